//! Crypto-shredding: personal fields at rest are sealed with AES-256-GCM under a key of their
//! own person. Person keys live in the service's `_hrmesh_person_keys` table, wrapped with the
//! process's master key; destroying a person's key makes every sealed value of theirs unreadable,
//! in the table, in backups and in any copy.
//!
//! Sealed values are text: `v1:` + hex(nonce ‖ ciphertext ‖ tag). The person id is bound as
//! associated data, so a value moved to another person's row does not open.

use aes_gcm::{
    Aes256Gcm, Key, Nonce,
    aead::{Aead, KeyInit, Payload},
};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

use crate::config::Secret;

const PREFIX: &str = "v1:";
const NONCE_LEN: usize = 12;

/// Why a value could not be sealed or opened.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("sealed value is malformed or was not sealed for this person")]
    Corrupt,
    #[error("no randomness available: {0}")]
    Random(String),
}

/// Seals and opens personal fields with per-person keys.
#[derive(Clone)]
pub struct Vault {
    master: Key<Aes256Gcm>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(<redacted>)")
    }
}

fn random<const N: usize>() -> Result<[u8; N], VaultError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| VaultError::Random(e.to_string()))?;
    Ok(bytes)
}

fn seal_with(key: &Key<Aes256Gcm>, subject: &str, plaintext: &[u8]) -> Result<String, VaultError> {
    let nonce = random::<NONCE_LEN>()?;
    let ciphertext = Aes256Gcm::new(key)
        .encrypt(&Nonce::from(nonce), Payload { msg: plaintext, aad: subject.as_bytes() })
        .map_err(|_| VaultError::Corrupt)?;
    let mut out = Vec::with_capacity(NONCE_LEN + ciphertext.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    Ok(format!("{PREFIX}{}", hex::encode(out)))
}

fn open_with(key: &Key<Aes256Gcm>, subject: &str, sealed: &str) -> Result<Vec<u8>, VaultError> {
    let bytes = sealed.strip_prefix(PREFIX).and_then(|h| hex::decode(h).ok()).ok_or(VaultError::Corrupt)?;
    if bytes.len() < NONCE_LEN {
        return Err(VaultError::Corrupt);
    }
    let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| VaultError::Corrupt)?;
    Aes256Gcm::new(key)
        .decrypt(&Nonce::from(nonce), Payload { msg: ciphertext, aad: subject.as_bytes() })
        .map_err(|_| VaultError::Corrupt)
}

impl Vault {
    /// A vault whose person keys are wrapped with a key derived from `master`.
    pub fn new(master: &Secret) -> Self {
        let digest: [u8; 32] = Sha256::digest(master.expose().as_bytes()).into();
        Self { master: digest.into() }
    }

    /// The person's key, created on first use (concurrent first uses agree on one key).
    async fn person_key(&self, conn: &mut AnyConnection, subject: &str) -> Result<Key<Aes256Gcm>, VaultError> {
        if let Some(key) = self.existing_key(conn, subject).await? {
            return Ok(key);
        }
        let fresh = random::<32>()?;
        let wrapped = seal_with(&self.master, subject, &fresh)?;
        sqlx::query(
            "INSERT INTO _hrmesh_person_keys (subject, wrapped_key, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (subject) DO NOTHING",
        )
        .bind(subject)
        .bind(wrapped)
        .bind(crate::time::now_ms())
        .execute(&mut *conn)
        .await?;
        self.existing_key(conn, subject).await?.ok_or(VaultError::Corrupt)
    }

    async fn existing_key(
        &self,
        conn: &mut AnyConnection,
        subject: &str,
    ) -> Result<Option<Key<Aes256Gcm>>, VaultError> {
        let row = sqlx::query("SELECT wrapped_key FROM _hrmesh_person_keys WHERE subject = $1")
            .bind(subject)
            .fetch_optional(&mut *conn)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let key = open_with(&self.master, subject, &row.try_get::<String, _>(0)?)?;
        let key: [u8; 32] = key.try_into().map_err(|_| VaultError::Corrupt)?;
        Ok(Some(key.into()))
    }

    /// Seals `plaintext` for `subject`, creating their key if needed.
    pub async fn seal(&self, conn: &mut AnyConnection, subject: &str, plaintext: &str) -> Result<String, VaultError> {
        let key = self.person_key(conn, subject).await?;
        seal_with(&key, subject, plaintext.as_bytes())
    }

    /// Opens a value sealed for `subject`; `None` once their key has been destroyed.
    pub async fn open(
        &self,
        conn: &mut AnyConnection,
        subject: &str,
        sealed: &str,
    ) -> Result<Option<String>, VaultError> {
        let Some(key) = self.existing_key(conn, subject).await? else { return Ok(None) };
        let plain = open_with(&key, subject, sealed)?;
        String::from_utf8(plain).map(Some).map_err(|_| VaultError::Corrupt)
    }

    /// Destroys `subject`'s key; returns whether there was one.
    pub async fn destroy(&self, conn: &mut AnyConnection, subject: &str) -> Result<bool, VaultError> {
        let done =
            sqlx::query("DELETE FROM _hrmesh_person_keys WHERE subject = $1").bind(subject).execute(conn).await?;
        Ok(done.rows_affected() > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> Key<Aes256Gcm> {
        [byte; 32].into()
    }

    #[test]
    fn sealed_values_open_only_for_their_person_and_key() {
        let sealed = seal_with(&key(1), "emp-1", b"jan@example.nl").expect("seal");
        assert!(sealed.starts_with("v1:"));
        assert!(!sealed.contains("jan"));
        assert_eq!(open_with(&key(1), "emp-1", &sealed).expect("open"), b"jan@example.nl");
        assert!(open_with(&key(1), "emp-2", &sealed).is_err(), "bound to its person");
        assert!(open_with(&key(2), "emp-1", &sealed).is_err(), "needs its key");
        assert!(open_with(&key(1), "emp-1", "v1:zz").is_err());
    }

    #[test]
    fn the_same_value_seals_differently_each_time() {
        let a = seal_with(&key(1), "emp-1", b"x").expect("seal");
        let b = seal_with(&key(1), "emp-1", b"x").expect("seal");
        assert_ne!(a, b);
    }
}
