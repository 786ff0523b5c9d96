//! Why the assistant read a message as it did, for the reply: the words that weighed for the
//! intent with their learned weights, the words behind each detail, typos read and the other
//! likely readings.

use hrmesh_proto::selfservice::v1 as pb;

use crate::understand::{Evidence, SlotName, Understanding};

/// The value a slot was filled with, as the explanation shows it.
fn slot_value(u: &Understanding, slot: SlotName) -> String {
    let s = &u.slots;
    match slot {
        SlotName::Dates => s.dates.map(|d| d.iso()).unwrap_or_default(),
        SlotName::HalfDay => s.half_day.map(|h| h.as_str().to_owned()).unwrap_or_default(),
        SlotName::Days => s.days.map(|d| d.to_string()).unwrap_or_default(),
        SlotName::Address => s
            .address
            .as_ref()
            .map(|a| a.pairs().iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "))
            .unwrap_or_default(),
        SlotName::CertificateKind => s.certificate_kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
        SlotName::Period => s.period.map(|(y, m)| format!("{y:04}-{m:02}")).unwrap_or_default(),
        SlotName::LeaveType => s.leave_type.map(|t| t.as_str().to_owned()).unwrap_or_default(),
    }
}

/// Why the message was read as it was.
pub fn explanation(u: &Understanding) -> pb::Explanation {
    let mut out = pb::Explanation {
        language: u.locale.code().into(),
        alternatives: u
            .alternatives
            .iter()
            .map(|(i, p)| pb::IntentScore { intent: i.as_str().into(), confidence: *p })
            .collect(),
        ..pb::Explanation::default()
    };
    for evidence in &u.evidence {
        match evidence {
            Evidence::Locale { detected, .. } => out.language_detected = *detected,
            Evidence::Typo { typed, read } => out.typos.push(pb::Typo { typed: typed.clone(), read: read.clone() }),
            Evidence::Feature { words, feature, intent, weight } => out.matches.push(pb::WordMatch {
                words: words.clone(),
                feature: feature.clone(),
                intent: intent.as_str().into(),
                weight: *weight,
            }),
            Evidence::Cue { phrase, words, intent, weight } => out.matches.push(pb::WordMatch {
                words: words.clone(),
                feature: format!("cue:{phrase}"),
                intent: intent.as_str().into(),
                weight: *weight,
            }),
            Evidence::Slot { slot, words } => out.slots.push(pb::SlotFill {
                slot: slot.as_str().into(),
                words: words.clone(),
                value: slot_value(u, *slot),
            }),
        }
    }
    out
}
