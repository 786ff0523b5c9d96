//! Conversations with the assistant: opened in the employee's language, with `ConversationOpened`.

use hrmesh_kit::{
    ApiError, Violations, error::identifier, events::raw_topic, locale::Locale, outbox, service::ServiceContext, time,
};
use hrmesh_proto::selfservice::v1::{Conversation, ConversationOpened, OpenConversationRequest};

/// Processing purpose of assistant conversations.
pub const PURPOSE: &str = "selfservice.assistant";

/// The assistant's first words.
pub fn greeting(locale: Locale) -> &'static str {
    match locale {
        Locale::Nl => "Hallo! Ik ben de HR-assistent. Waarmee kan ik je helpen?",
        Locale::De => "Hallo! Ich bin der HR-Assistent. Wobei kann ich Ihnen helfen?",
        Locale::En => "Hello! I am the HR assistant. How can I help you?",
    }
}

/// Validates a request.
pub fn parse(req: &OpenConversationRequest) -> Result<(String, Locale), ApiError> {
    let mut v = Violations::default();
    let employee_id = v.check(identifier("employee_id", &req.employee_id));
    // The assistant needs to know which language to greet in: empty is not English here.
    let language = if req.language.is_empty() {
        v.add("language", "must be en, nl or de");
        None
    } else {
        v.check(Locale::of_field("language", &req.language))
    };
    match (employee_id, language) {
        (Some(e), Some(l)) => Ok((e, l)),
        _ => Err(v.into_error()),
    }
}

/// Stores the conversation and its event in one transaction.
pub async fn open(ctx: &ServiceContext, employee_id: String, language: Locale) -> Result<Conversation, ApiError> {
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
        greeting: greeting(language).into(),
        opened_at: Some(time::timestamp(now)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greets_in_dutch_german_and_english() {
        assert!(greeting(Locale::Nl).contains("Waarmee kan ik je helpen"));
        assert!(greeting(Locale::De).contains("Wobei kann ich"));
        assert!(greeting(Locale::En).contains("How can I help"));
    }

    #[test]
    fn rejects_unsupported_language() {
        for language in ["fr", ""] {
            let req = OpenConversationRequest { employee_id: "e1".into(), language: language.into() };
            assert!(matches!(parse(&req), Err(ApiError::InvalidArgument(_))), "{language:?}");
        }
    }
}
