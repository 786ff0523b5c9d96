//! Conversations with the assistant: opened in the employee's language, with `ConversationOpened`.

use hrmesh_kit::{
    ApiError, FieldViolation, Violations, error::identifier, events::raw_topic, outbox, service::ServiceContext, time,
};
use hrmesh_proto::selfservice::v1::{Conversation, ConversationOpened, OpenConversationRequest};

/// Processing purpose of assistant conversations.
pub const PURPOSE: &str = "selfservice.assistant";

/// Languages the assistant speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Dutch,
    German,
    English,
}

impl Language {
    fn parse(value: &str) -> Result<Self, FieldViolation> {
        match value {
            "nl" => Ok(Language::Dutch),
            "de" => Ok(Language::German),
            "en" => Ok(Language::English),
            _ => Err(FieldViolation::new("language", "must be one of nl, de, en")),
        }
    }

    fn code(self) -> &'static str {
        match self {
            Language::Dutch => "nl",
            Language::German => "de",
            Language::English => "en",
        }
    }

    /// The assistant's first words.
    pub fn greeting(self) -> &'static str {
        match self {
            Language::Dutch => "Hallo! Ik ben de HR-assistent. Waarmee kan ik je helpen?",
            Language::German => "Hallo! Ich bin der HR-Assistent. Wobei kann ich Ihnen helfen?",
            Language::English => "Hello! I am the HR assistant. How can I help you?",
        }
    }
}

/// Validates a request.
pub fn parse(req: &OpenConversationRequest) -> Result<(String, Language), ApiError> {
    let mut v = Violations::default();
    let employee_id = v.check(identifier("employee_id", &req.employee_id));
    let language = v.check(Language::parse(&req.language));
    match (employee_id, language) {
        (Some(e), Some(l)) => Ok((e, l)),
        _ => Err(v.into_error()),
    }
}

/// Stores the conversation and its event in one transaction.
pub async fn open(ctx: &ServiceContext, employee_id: String, language: Language) -> Result<Conversation, ApiError> {
    let now = time::now_ms();
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = ctx.db.begin().await?;
    sqlx::query("INSERT INTO conversations (id, employee_id, language, opened_at) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(&employee_id)
        .bind(language.code())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let event = ConversationOpened { conversation_id: id.clone(), language: language.code().into() };
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(&employee_id, PURPOSE, &event)).await?;
    ctx.commit(tx).await?;
    Ok(Conversation {
        conversation_id: id,
        employee_id,
        language: language.code().into(),
        greeting: language.greeting().into(),
        opened_at: Some(time::timestamp(now)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greets_in_dutch_german_and_english() {
        assert!(Language::parse("nl").expect("nl").greeting().contains("Waarmee kan ik je helpen"));
        assert!(Language::parse("de").expect("de").greeting().contains("Wobei kann ich"));
        assert!(Language::parse("en").expect("en").greeting().contains("How can I help"));
    }

    #[test]
    fn rejects_unsupported_language() {
        let req = OpenConversationRequest { employee_id: "e1".into(), language: "fr".into() };
        assert!(matches!(parse(&req), Err(ApiError::InvalidArgument(_))));
    }
}
