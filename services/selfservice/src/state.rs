//! Where a conversation stands between two messages: an action proposed and awaiting the
//! employee's yes or no, a detail asked for, and how many messages in a row were not understood.
//!
//! It lives in the cache (Redis in platform mode, memory in embedded mode), sealed under the
//! employee's key because a proposal carries personal data (an address, sick days): erasing the
//! person's key makes it unreadable, and it expires on its own after [`TTL`]. The durable record
//! of the conversation is its messages in the database; losing this state only means a pending
//! proposal has to be asked for again.

use std::time::Duration;

use hrmesh_kit::service::ServiceContext;
use serde::{Deserialize, Serialize};

use crate::{actions::Action, conversation::Conv, understand::Intent};

/// How long a proposal and the rest of the state are kept after the last message.
pub const TTL: Duration = Duration::from_secs(30 * 60);

/// An action proposed to the employee.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    pub action: Action,
    /// Unix ms after which a "yes" no longer runs it.
    pub expires_ms: i64,
}

/// The dialogue state of one conversation.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    /// Messages in a row that were not understood; the second one hands over.
    pub failures: u8,
    pub pending: Option<Pending>,
    /// The intent whose details (dates, an address) the assistant asked for.
    pub awaiting: Option<String>,
}

impl State {
    /// The intent waiting for details, if any.
    pub fn awaiting(&self) -> Option<Intent> {
        self.awaiting.as_deref().and_then(Intent::parse)
    }
}

fn key(conversation_id: &str) -> String {
    format!("selfservice:dialogue:{conversation_id}")
}

/// The conversation's state; a fresh one when none is kept (or it cannot be read).
pub async fn load(ctx: &ServiceContext, conv: &Conv) -> State {
    let sealed = match ctx.cache.get(&key(&conv.id)).await {
        Ok(Some(bytes)) => String::from_utf8(bytes).unwrap_or_default(),
        Ok(None) => return State::default(),
        Err(e) => {
            tracing::warn!(error = %e, "dialogue state unavailable; starting afresh");
            return State::default();
        }
    };
    let opened = async {
        let mut conn = ctx.db.pool().acquire().await?;
        anyhow::Ok(ctx.vault.open(&mut conn, &conv.employee_id, &sealed).await?)
    }
    .await;
    match opened {
        Ok(Some(json)) => serde_json::from_str(&json).unwrap_or_default(),
        Ok(None) => State::default(),
        Err(e) => {
            tracing::warn!(error = %e, "dialogue state unreadable; starting afresh");
            State::default()
        }
    }
}

/// Keeps `state` for the next message.
pub async fn save(ctx: &ServiceContext, conv: &Conv, state: &State) -> anyhow::Result<()> {
    let json = serde_json::to_string(state)?;
    let mut conn = ctx.db.pool().acquire().await?;
    let sealed = ctx.vault.seal(&mut conn, &conv.employee_id, &json).await?;
    drop(conn);
    ctx.cache.set(&key(&conv.id), sealed.as_bytes(), TTL).await
}
