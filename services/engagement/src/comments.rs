//! Comments of a unit, shown only when its results are (5 respondents or more, no small group
//! by difference), with colleagues' names removed.

use std::collections::BTreeSet;

use hrmesh_kit::{ApiError, locale::Locale, service::ServiceContext};
use hrmesh_proto::engagement::v1 as pb;

use crate::{figures::ALL, org, questions, results::Round, surveys::SurveyRow};

/// What replaces a name, in the comment's language.
fn placeholder(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "[name]",
        Locale::Nl => "[naam]",
        Locale::De => "[Name]",
    }
}

/// The names to remove: full names (particles such as "de", "van" or "von" included) and each
/// capitalised part of them, lower-cased.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    full: Vec<String>,
    words: BTreeSet<String>,
}

/// [`Names`] of the people called `full_names`.
pub fn name_words(full_names: &BTreeSet<String>) -> Names {
    let mut full: Vec<String> = full_names
        .iter()
        .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase())
        .filter(|n| n.contains(' '))
        .collect();
    // Longest first, so "Jan van Dijk" goes before "Jan".
    full.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    let words = full_names
        .iter()
        .flat_map(|n| n.split_whitespace())
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase) && w.chars().count() >= 2)
        .map(str::to_lowercase)
        .collect();
    Names { full, words }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '\''
}

/// `text` with every full name replaced by a placeholder (matched case-insensitively, on word
/// boundaries), when lower-casing keeps every character's length.
fn replace_full_names(text: &str, names: &Names, mark: &str) -> String {
    let lower = text.to_lowercase();
    if lower.len() != text.len() || !text.chars().zip(lower.chars()).all(|(a, b)| a.len_utf8() == b.len_utf8()) {
        return text.to_owned();
    }
    let mut out = text.to_owned();
    for name in names.full.iter().filter(|n| lower.contains(n.as_str())) {
        let mut from = 0;
        loop {
            let lower = out.to_lowercase();
            let Some(at) = lower[from..].find(name.as_str()).map(|i| i + from) else { break };
            let end = at + name.len();
            let before = out[..at].chars().next_back().is_none_or(|c| !is_word_char(c));
            let after = out[end..].chars().next().is_none_or(|c| !is_word_char(c));
            if before && after {
                out.replace_range(at..end, mark);
                from = at + mark.len();
            } else {
                from = end;
            }
        }
    }
    out
}

/// `text` with every name replaced; consecutive name words become one placeholder. A word
/// counts when it is capitalised, or long enough (5+ letters) not to be an everyday word.
pub fn redact(text: &str, names: &Names) -> String {
    let mark = placeholder(Locale::detect(text));
    let text = replace_full_names(text, names, mark);
    let mut out = String::with_capacity(text.len());
    let mut pending_space = String::new();
    let mut last_was_name = false;
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String, pending: &mut String, last: &mut bool| {
        if word.is_empty() {
            return;
        }
        let lower = word.to_lowercase();
        let is_name = names.words.contains(&lower)
            && (word.chars().next().is_some_and(char::is_uppercase) || word.chars().count() >= 5);
        if is_name {
            if !*last {
                out.push_str(pending);
                out.push_str(mark);
            }
            *last = true;
        } else {
            out.push_str(pending);
            out.push_str(word);
            *last = false;
        }
        pending.clear();
        word.clear();
    };
    for c in text.chars() {
        if is_word_char(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out, &mut pending_space, &mut last_was_name);
            if c.is_whitespace() && last_was_name {
                pending_space.push(c);
            } else {
                out.push_str(&pending_space);
                pending_space.clear();
                out.push(c);
                last_was_name = false;
            }
        }
    }
    flush(&mut word, &mut out, &mut pending_space, &mut last_was_name);
    out.push_str(&pending_space);
    out
}

#[derive(Debug, sqlx::FromRow)]
struct Row {
    org_unit_id: String,
    question_id: String,
    body: String,
    sentiment: Option<f64>,
    label: Option<String>,
    topics: String,
}

/// ListComments of `unit` in the released `round` (the caller's visibility already applied).
pub async fn list(
    ctx: &ServiceContext,
    survey: &SurveyRow,
    round: &Round,
    unit: &str,
) -> Result<pb::ListCommentsResponse, ApiError> {
    let node = round
        .nodes
        .get(unit)
        .ok_or_else(|| ApiError::NotFound(format!("org unit {unit} is not in the audience of this round")))?;
    if let Some(reason) = &node.withheld {
        return Err(ApiError::FailedPrecondition(reason.clone()));
    }
    // The units whose comments belong to this node: those below it.
    let members: BTreeSet<String> = round
        .nodes
        .keys()
        .filter(|id| {
            let mut at = Some((*id).clone());
            while let Some(u) = at {
                if u == unit {
                    return true;
                }
                at = round.nodes.get(&u).and_then(|n| n.parent.clone());
            }
            false
        })
        .cloned()
        .collect();
    let mut conn = ctx.db.pool().acquire().await?;
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT org_unit_id, question_id, body, sentiment, label, topics FROM comments WHERE survey_id = $1 AND round = $2
         ORDER BY question_id, comment_id",
    )
    .bind(&survey.survey_id)
    .bind(round.row.round)
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);
    let rows: Vec<Row> = rows.into_iter().filter(|r| unit == ALL || members.contains(&r.org_unit_id)).collect();
    let names =
        if rows.is_empty() { Names::default() } else { name_words(&org::names(ctx, &survey.org_units()).await?) };
    let comments = rows
        .into_iter()
        .map(|r| pb::Comment {
            driver: questions::find(&r.question_id).map(|q| q.driver.as_str().to_owned()).unwrap_or_default(),
            question_id: r.question_id,
            text: redact(&r.body, &names),
            has_sentiment: r.sentiment.is_some(),
            sentiment: r.sentiment.unwrap_or(0.0),
            label: r.label.unwrap_or_default(),
            topics: r.topics.split(',').filter(|t| !t.is_empty()).map(str::to_owned).collect(),
        })
        .collect();
    Ok(pb::ListCommentsResponse { respondents: u32::try_from(node.respondents.len()).unwrap_or(u32::MAX), comments })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        name_words(&["Sanne de Vries".to_owned(), "Jan van Dijk".to_owned(), "Ben Müller".to_owned()].into())
    }

    #[test]
    fn names_of_colleagues_are_removed_in_the_comments_language() {
        assert_eq!(
            redact("Sanne de Vries helpt me altijd, maar de planning is te krap.", &names()),
            "[naam] helpt me altijd, maar de planning is te krap."
        );
        assert_eq!(redact("Thanks to Jan for the help!", &names()), "Thanks to [name] for the help!");
        assert_eq!(
            redact("Herr Müller hört nie zu und ich bin müde.", &names()),
            "Herr [Name] hört nie zu und ich bin müde."
        );
        assert_eq!(redact("Ik ben blij met het team van Dijk.", &names()), "Ik ben blij met het team van [naam].");
        assert_eq!(redact("JAN VAN DIJK en sanne de vries", &names()), "[naam] en [naam]");
    }
}
