//! 360° results per rater kind. Self and manager answers are attributed (named); peers and
//! reports are anonymous and shown only when at least [`MIN_ANONYMOUS`] of that kind answered.
//! A smaller kind is merged with the other anonymous kind into one `peer+report` group when
//! together they reach the minimum (then neither is shown separately, so no subtraction reveals
//! the small one); otherwise it is withheld. Every merged or withheld group says so and why.

use std::collections::{BTreeMap, BTreeSet};

use hrmesh_kit::{ApiError, locale::Locale, service::ServiceContext};
use hrmesh_proto::performance::v1::{Cycle, CycleResults, QuestionResult, RaterGroupResult};

use crate::{privacy, questionnaire};

/// Fewest answers an anonymous group is shown with.
pub const MIN_ANONYMOUS: u32 = 3;

/// One stored answer, text opened.
#[derive(Debug, Clone)]
pub struct StoredAnswer {
    pub kind: String,
    pub slot: String,
    pub question_id: String,
    pub rating: i64,
    pub text: String,
    pub answered_at: i64,
}

#[derive(sqlx::FromRow)]
struct AnswerRow {
    rater_kind: String,
    slot: String,
    question_id: String,
    rating: i64,
    body: String,
    answered_at: i64,
}

/// Every answer of a cycle.
pub async fn answers(ctx: &ServiceContext, cycle: &Cycle) -> Result<Vec<StoredAnswer>, ApiError> {
    let rows: Vec<AnswerRow> = sqlx::query_as(
        "SELECT rater_kind, slot, question_id, rating, body, answered_at FROM cycle_answers WHERE cycle_id = $1
         ORDER BY id",
    )
    .bind(&cycle.cycle_id)
    .fetch_all(ctx.db.pool())
    .await?;
    let mut conn = ctx.db.pool().acquire().await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(StoredAnswer {
            text: privacy::open(ctx, &mut conn, &cycle.employee_id, &r.body).await?,
            kind: r.rater_kind,
            slot: r.slot,
            question_id: r.question_id,
            rating: r.rating,
            answered_at: r.answered_at,
        });
    }
    Ok(out)
}

fn respondents(answers: &[&StoredAnswer]) -> u32 {
    u32::try_from(answers.iter().map(|a| a.slot.as_str()).collect::<BTreeSet<_>>().len()).unwrap_or(u32::MAX)
}

fn of_kinds<'a>(answers: &'a [StoredAnswer], kinds: &[&str]) -> Vec<&'a StoredAnswer> {
    answers.iter().filter(|a| kinds.contains(&a.kind.as_str())).collect()
}

fn questions(answers: &[&StoredAnswer], locale: Locale) -> Vec<QuestionResult> {
    questionnaire::QUESTIONS
        .iter()
        .filter_map(|(id, kind, texts)| {
            let of: Vec<&StoredAnswer> = answers.iter().copied().filter(|a| a.question_id == *id).collect();
            if of.is_empty() {
                return None;
            }
            let mut texts_given: Vec<String> =
                of.iter().filter(|a| !a.text.is_empty()).map(|a| a.text.clone()).collect();
            // Sorted by content: the order says nothing about who wrote what.
            texts_given.sort();
            let mean = if *kind == questionnaire::RATING {
                of.iter().map(|a| a.rating as f64).sum::<f64>() / of.len() as f64
            } else {
                0.0
            };
            Some(QuestionResult {
                question_id: (*id).into(),
                text: texts[locale.index()].into(),
                mean,
                answers: u32::try_from(of.len()).unwrap_or(u32::MAX),
                texts: texts_given,
            })
        })
        .collect()
}

fn merged_reason(locale: Locale, small: &[(&str, u32)]) -> String {
    let list = small.iter().map(|(k, n)| format!("{k}: {n}")).collect::<Vec<_>>().join(", ");
    match locale {
        Locale::En => format!(
            "Fewer than {MIN_ANONYMOUS} answers of one kind ({list}): peers and reports are shown together so no one \
             can be recognised."
        ),
        Locale::Nl => format!(
            "Minder dan {MIN_ANONYMOUS} antwoorden van één soort ({list}): collega's en medewerkers worden samen \
             getoond zodat niemand herkenbaar is."
        ),
        Locale::De => format!(
            "Weniger als {MIN_ANONYMOUS} Antworten einer Art ({list}): Kolleginnen, Kollegen und Mitarbeitende werden \
             zusammen gezeigt, damit niemand erkennbar ist."
        ),
    }
}

fn withheld_reason(locale: Locale, kind: &str, n: u32) -> String {
    match locale {
        Locale::En => format!(
            "Withheld: only {n} {kind} answer(s), and together with the other anonymous kind fewer than \
             {MIN_ANONYMOUS}; showing them would reveal who answered."
        ),
        Locale::Nl => format!(
            "Niet getoond: slechts {n} antwoord(en) van {kind}, en samen met de andere anonieme groep minder dan \
             {MIN_ANONYMOUS}; tonen zou verraden wie antwoordde."
        ),
        Locale::De => format!(
            "Zurückgehalten: nur {n} Antwort(en) von {kind}, und zusammen mit der anderen anonymen Gruppe weniger \
             als {MIN_ANONYMOUS}; die Anzeige würde verraten, wer geantwortet hat."
        ),
    }
}

/// The results of `cycle` in `locale`.
pub fn results(cycle: &Cycle, answers: &[StoredAnswer], locale: Locale) -> CycleResults {
    let mut groups = Vec::new();
    for (kind, rater) in [("self", &cycle.employee_id), ("manager", &cycle.manager_id)] {
        let of = of_kinds(answers, &[kind]);
        let n = respondents(&of);
        if n > 0 {
            groups.push(RaterGroupResult {
                kind: kind.into(),
                visibility: "attributed".into(),
                respondents: n,
                rater_id: rater.clone(),
                questions: questions(&of, locale),
                reason: String::new(),
            });
        }
    }
    let count: BTreeMap<&str, u32> =
        ["peer", "report"].into_iter().map(|k| (k, respondents(&of_kinds(answers, &[k])))).collect();
    let (peers, reports) = (count["peer"], count["report"]);
    let small: Vec<(&str, u32)> =
        count.iter().filter(|(_, n)| **n > 0 && **n < MIN_ANONYMOUS).map(|(k, n)| (*k, *n)).collect();
    if small.is_empty() {
        for kind in ["peer", "report"] {
            if count[kind] > 0 {
                groups.push(RaterGroupResult {
                    kind: kind.into(),
                    visibility: "shown".into(),
                    respondents: count[kind],
                    rater_id: String::new(),
                    questions: questions(&of_kinds(answers, &[kind]), locale),
                    reason: String::new(),
                });
            }
        }
    } else if peers + reports >= MIN_ANONYMOUS {
        groups.push(RaterGroupResult {
            kind: "peer+report".into(),
            visibility: "merged".into(),
            respondents: peers + reports,
            rater_id: String::new(),
            questions: questions(&of_kinds(answers, &["peer", "report"]), locale),
            reason: merged_reason(locale, &small),
        });
    } else {
        for (kind, n) in small {
            groups.push(RaterGroupResult {
                kind: kind.into(),
                visibility: "withheld".into(),
                respondents: n,
                rater_id: String::new(),
                questions: Vec::new(),
                reason: withheld_reason(locale, kind, n),
            });
        }
    }
    CycleResults {
        cycle_id: cycle.cycle_id.clone(),
        employee_id: cycle.employee_id.clone(),
        groups,
        minimum_anonymous_raters: MIN_ANONYMOUS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(kinds: &[(&str, usize)]) -> Vec<StoredAnswer> {
        let mut out = Vec::new();
        for (kind, n) in kinds {
            for i in 0..*n {
                out.push(StoredAnswer {
                    kind: (*kind).into(),
                    slot: format!("{kind}{i}"),
                    question_id: "results".into(),
                    rating: 4,
                    text: String::new(),
                    answered_at: 0,
                });
            }
        }
        out
    }

    fn cycle() -> Cycle {
        Cycle { cycle_id: "c".into(), employee_id: "e".into(), manager_id: "m".into(), ..Default::default() }
    }

    fn visibility(kinds: &[(&str, usize)]) -> Vec<(String, String)> {
        results(&cycle(), &answers(kinds), Locale::En).groups.into_iter().map(|g| (g.kind, g.visibility)).collect()
    }

    #[test]
    fn anonymous_kinds_need_three_answers_or_are_merged_or_withheld() {
        let v = |k: &str, s: &str| (k.to_owned(), s.to_owned());
        assert_eq!(visibility(&[("peer", 3)]), vec![v("peer", "shown")]);
        assert_eq!(visibility(&[("peer", 2)]), vec![v("peer", "withheld")]);
        assert_eq!(visibility(&[("peer", 2), ("report", 1)]), vec![v("peer+report", "merged")]);
        assert_eq!(visibility(&[("peer", 3), ("report", 1)]), vec![v("peer+report", "merged")], "no subtraction");
        assert_eq!(visibility(&[("peer", 1), ("report", 1)]), vec![v("peer", "withheld"), v("report", "withheld")]);
        assert_eq!(
            visibility(&[("manager", 1), ("peer", 3), ("report", 3)]),
            vec![v("manager", "attributed"), v("peer", "shown"), v("report", "shown")]
        );
    }
}
