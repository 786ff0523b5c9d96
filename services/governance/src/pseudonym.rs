//! Pseudonymisation: HMAC-SHA-256 with a key per purpose, derived from the configured master key
//! and its version, so the same person gets unrelated pseudonyms under different purposes and a
//! key rotation (new version) unlinks old pseudonyms. Keys are never logged.

use hmac::{Hmac, Mac};
use hrmesh_kit::config::Secret;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Turns internal person ids into pseudonyms.
pub struct Pseudonymiser {
    master: Secret,
    version: u32,
}

impl Pseudonymiser {
    pub fn new(master: Secret, version: u32) -> Self {
        Self { master, version }
    }

    pub fn version(&self) -> u32 {
        self.version
    }

    fn mac(key: &[u8], parts: &[&str]) -> [u8; 32] {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        mac.finalize().into_bytes().into()
    }

    /// The pseudonym of `subject` within `tenant` for `purpose`.
    pub fn pseudonym(&self, tenant: &str, purpose: &str, subject: &str) -> String {
        let version = self.version.to_string();
        let purpose_key = Self::mac(self.master.expose().as_bytes(), &["hrmesh-pseudonym", &version, purpose]);
        let digest = Self::mac(&purpose_key, &[tenant, subject]);
        format!("p{}_{}", self.version, hex::encode(&digest[..16]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(version: u32) -> Pseudonymiser {
        Pseudonymiser::new(Secret::new("k".repeat(32)), version)
    }

    #[test]
    fn pseudonyms_are_stable_per_purpose_and_unlinkable_across_purposes() {
        let a = p(1).pseudonym("acme", "recruiting.screening", "cand-1");
        assert_eq!(a, p(1).pseudonym("acme", "recruiting.screening", "cand-1"));
        assert_ne!(a, p(1).pseudonym("acme", "recruiting.matching", "cand-1"));
        assert_ne!(a, p(2).pseudonym("acme", "recruiting.screening", "cand-1"));
        assert!(!a.contains("cand-1"));
        assert!(a.starts_with("p1_"));
    }
}
