//! Reviews: a draft from the period's evidence (drafting), edited by the manager, approved with
//! an overall rating and an outcome that governance logs as a human decision. The employee reads
//! only an approved review. The review text is sealed under the employee's key.

use std::collections::BTreeSet;

use hrmesh_kit::{
    ApiError, Violations, auth::Principal, error::identifier, events::raw_topic, locale::Locale, outbox,
    service::ServiceContext, time,
};
use hrmesh_proto::{
    governance::v1::RecordDecisionRequest,
    performance::v1::{ApproveReviewRequest, BiasFinding, DraftReviewRequest, Review, ReviewApproved, ReviewSentence},
};
use sha2::{Digest, Sha256};

use crate::{
    bias, cycles,
    drafting::{self, Rating},
    feedback::{self, date_ms, ms_date},
    privacy,
    purposes::{DRAFTING, REVIEWS},
    remote, results,
};

/// The selection stage under which approved ratings reach governance's adverse-impact monitor.
pub const RATING_STAGE: &str = "performance_review";
/// Ratings from this value count as "rated well" (meets expectations or better).
pub const RATED_WELL: u32 = 3;
/// Outcomes with legal or similar effect: decided by a person, logged as such (GDPR art. 22).
const LEGAL_EFFECT: [&str; 2] = ["improvement_plan", "fail_probation"];
const OUTCOMES: [&str; 4] = ["none", "pass_probation", "improvement_plan", "fail_probation"];

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct StoredSentence {
    text: String,
    citations: Vec<String>,
    #[serde(default)]
    edited: bool,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct StoredFinding {
    check: String,
    words: Vec<String>,
    explanation: String,
    source: String,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Evidence {
    id: String,
    date: String,
}

/// What a review's sealed body holds.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Body {
    sentences: Vec<StoredSentence>,
    bias: Vec<StoredFinding>,
    evidence: Vec<Evidence>,
}

impl Body {
    fn sentences(&self) -> Vec<ReviewSentence> {
        self.sentences
            .iter()
            .map(|s| ReviewSentence { text: s.text.clone(), citations: s.citations.clone(), edited: s.edited })
            .collect()
    }

    fn bias(&self) -> Vec<BiasFinding> {
        self.bias
            .iter()
            .map(|f| BiasFinding {
                check: f.check.clone(),
                words: f.words.clone(),
                explanation: f.explanation.clone(),
                source: f.source.clone(),
            })
            .collect()
    }

    /// The bias checks over the sentences and, for recency, the dates of the evidence they cite.
    fn check_bias(&mut self, locale: Locale, period: (::time::Date, ::time::Date)) {
        let text = self.sentences.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join("\n");
        let (_, mut findings) = bias::check(&text, Some(locale));
        let cited: BTreeSet<&str> =
            self.sentences.iter().flat_map(|s| s.citations.iter().map(String::as_str)).collect();
        let dates: Vec<::time::Date> = self
            .evidence
            .iter()
            .filter(|e| cited.contains(e.id.as_str()))
            .filter_map(|e| time::parse_date("date", &e.date).ok())
            .collect();
        findings.extend(bias::recency(period, &dates, locale));
        self.bias = findings
            .into_iter()
            .map(|f| StoredFinding { check: f.check, words: f.words, explanation: f.explanation, source: f.source })
            .collect();
    }
}

#[derive(sqlx::FromRow)]
struct ReviewRow {
    id: String,
    employee_id: String,
    period_start: String,
    period_end: String,
    language: String,
    status: String,
    model: String,
    body: String,
    input_hash: String,
    drafted_by: String,
    overall_rating: i64,
    outcome: String,
    approved_by: String,
    approved_at: i64,
    decision_id: String,
}

const COLUMNS: &str = "id, employee_id, period_start, period_end, language, status, model, body, input_hash, \
                       drafted_by, overall_rating, outcome, approved_by, approved_at, decision_id";

/// A stored review with its body opened.
pub struct Stored {
    row: ReviewRow,
    body: Body,
}

impl Stored {
    pub fn employee_id(&self) -> &str {
        &self.row.employee_id
    }

    pub fn is_approved(&self) -> bool {
        self.row.status == "approved"
    }

    pub fn to_proto(&self) -> Review {
        let r = &self.row;
        Review {
            review_id: r.id.clone(),
            employee_id: r.employee_id.clone(),
            period_start: r.period_start.clone(),
            period_end: r.period_end.clone(),
            language: r.language.clone(),
            status: r.status.clone(),
            ai_assisted: true,
            model: r.model.clone(),
            sentences: self.body.sentences(),
            bias: self.body.bias(),
            overall_rating: u32::try_from(r.overall_rating).unwrap_or(0),
            outcome: r.outcome.clone(),
            approved_by: r.approved_by.clone(),
            approved_at: (r.approved_at > 0).then(|| time::timestamp(r.approved_at)),
            decision_id: r.decision_id.clone(),
            drafted_by: r.drafted_by.clone(),
        }
    }

    fn period(&self) -> (::time::Date, ::time::Date) {
        let start = time::parse_date("period_start", &self.row.period_start).unwrap_or(::time::Date::MIN);
        let end = time::parse_date("period_end", &self.row.period_end).unwrap_or(::time::Date::MIN);
        (start, end)
    }

    fn locale(&self) -> Locale {
        Locale::parse(&self.row.language).unwrap_or(Locale::En)
    }
}

/// One review.
pub async fn load(ctx: &ServiceContext, review_id: &str) -> Result<Stored, ApiError> {
    let id = identifier("review_id", review_id).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
    let sql = format!("SELECT {COLUMNS} FROM reviews WHERE id = $1");
    let row: ReviewRow = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(&id)
        .fetch_optional(ctx.db.pool())
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("review {id} does not exist")))?;
    opened(ctx, row).await
}

async fn opened(ctx: &ServiceContext, row: ReviewRow) -> Result<Stored, ApiError> {
    let mut conn = ctx.db.pool().acquire().await?;
    let plain = privacy::open(ctx, &mut conn, &row.employee_id, &row.body).await?;
    let body =
        serde_json::from_str(&plain).unwrap_or(Body { sentences: Vec::new(), bias: Vec::new(), evidence: Vec::new() });
    Ok(Stored { row, body })
}

/// An employee's reviews, newest first; drafts only when `with_drafts`.
pub async fn list(ctx: &ServiceContext, employee: &str, with_drafts: bool) -> Result<Vec<Review>, ApiError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM reviews WHERE employee_id = $1 AND (status = 'approved' OR $2 = 'yes')
         ORDER BY drafted_at DESC, id"
    );
    let rows: Vec<ReviewRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(employee)
        .bind(if with_drafts { "yes" } else { "no" })
        .fetch_all(ctx.db.pool())
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(opened(ctx, row).await?.to_proto());
    }
    Ok(out)
}

/// The visible 360° ratings of the employee's cycles overlapping the period, each with the date
/// its answers were given.
async fn ratings(
    ctx: &ServiceContext,
    employee: &str,
    start: &str,
    end: &str,
) -> Result<Vec<(Rating, String)>, ApiError> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM cycles WHERE employee_id = $1 AND period_start <= $2 AND period_end >= $3 ORDER BY opened_at",
    )
    .bind(employee)
    .bind(end)
    .bind(start)
    .fetch_all(ctx.db.pool())
    .await?;
    let mut out = Vec::new();
    for id in ids {
        let cycle = cycles::load(ctx, &id).await?;
        let answers = results::answers(ctx, &cycle).await?;
        let latest = answers.iter().map(|a| a.answered_at).max().unwrap_or(0);
        let date = time::format_date(ms_date(latest));
        for group in results::results(&cycle, &answers, Locale::En).groups {
            if group.visibility == "withheld" {
                continue;
            }
            for q in group.questions.iter().filter(|q| q.mean > 0.0) {
                let rating = Rating {
                    id: format!("answer:{}:{}:{}", cycle.cycle_id, group.kind, q.question_id),
                    question_id: q.question_id.clone(),
                    group: group.kind.clone(),
                    mean: q.mean,
                };
                out.push((rating, date.clone()));
            }
        }
    }
    Ok(out)
}

/// Drafts a review of the period from its evidence.
pub async fn draft(ctx: &ServiceContext, by: &str, req: &DraftReviewRequest) -> Result<Review, ApiError> {
    let mut v = Violations::default();
    v.check(identifier("employee_id", &req.employee_id));
    let start = v.check(time::parse_date("period_start", &req.period_start));
    let end = v.check(time::parse_date("period_end", &req.period_end));
    let asked = v.check(Locale::optional("language", &req.language));
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        v.add("period_end", "must not be before period_start");
    }
    v.finish()?;
    let (Some(start), Some(end), Some(asked)) = (start, end, asked) else {
        return Err(ApiError::Internal(anyhow::anyhow!("validated period vanished")));
    };
    let locale = match asked {
        Some(locale) => locale,
        None => remote::employee_language(ctx, &req.employee_id).await.unwrap_or(Locale::En),
    };
    let mut conn = ctx.db.pool().acquire().await?;
    let items =
        feedback::items(ctx, &mut conn, &req.employee_id, (date_ms(start), date_ms(end) + 86_400_000), None).await?;
    drop(conn);
    let rated = ratings(ctx, &req.employee_id, &req.period_start, &req.period_end).await?;
    if items.is_empty() && rated.is_empty() {
        return Err(ApiError::FailedPrecondition(
            "no feedback or 360° ratings in this period: a review draft needs evidence to cite".into(),
        ));
    }
    let ratings: Vec<Rating> = rated.iter().map(|(r, _)| r.clone()).collect();
    let sentences = drafting::draft(&items, &ratings, locale);
    let mut evidence: Vec<Evidence> =
        items.iter().map(|i| Evidence { id: i.id.clone(), date: time::format_date(ms_date(i.recorded_at)) }).collect();
    evidence.extend(rated.iter().map(|(r, date)| Evidence { id: r.id.clone(), date: date.clone() }));
    let mut hasher = Sha256::new();
    for i in &items {
        hasher.update(format!("{}|{}|{:.3}\n", i.id, i.text, i.tone).as_bytes());
    }
    for r in &ratings {
        hasher.update(format!("{}|{:.3}\n", r.id, r.mean).as_bytes());
    }
    let input_hash = hex::encode(hasher.finalize());
    let mut body = Body {
        sentences: sentences
            .into_iter()
            .map(|s| StoredSentence { text: s.text, citations: s.citations, edited: false })
            .collect(),
        bias: Vec::new(),
        evidence,
    };
    body.check_bias(locale, (start, end));
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = ctx.db.begin().await?;
    let json = serde_json::to_string(&body).map_err(|e| ApiError::Internal(e.into()))?;
    let sealed = privacy::seal(ctx, &mut tx, &req.employee_id, &json).await?;
    sqlx::query(
        "INSERT INTO reviews (id, employee_id, period_start, period_end, language, status, model, body, input_hash,
                              drafted_by, drafted_at)
         VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(&req.employee_id)
    .bind(&req.period_start)
    .bind(&req.period_end)
    .bind(locale.code())
    .bind(drafting::MODEL)
    .bind(sealed)
    .bind(&input_hash)
    .bind(by)
    .bind(time::now_ms())
    .execute(&mut *tx)
    .await?;
    ctx.commit(tx).await?;
    tracing::info!(review = %id, purpose = DRAFTING, model = drafting::MODEL, "review drafted");
    Ok(load(ctx, &id).await?.to_proto())
}

async fn store_body(ctx: &ServiceContext, review: &Stored, body: &Body) -> Result<(), ApiError> {
    let mut tx = ctx.db.begin().await?;
    let json = serde_json::to_string(body).map_err(|e| ApiError::Internal(e.into()))?;
    let sealed = privacy::seal(ctx, &mut tx, review.employee_id(), &json).await?;
    let done = sqlx::query("UPDATE reviews SET body = $1 WHERE id = $2 AND status = 'draft'")
        .bind(sealed)
        .bind(&review.row.id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::FailedPrecondition("the review was approved meanwhile".into()));
    }
    ctx.commit(tx).await?;
    Ok(())
}

/// Replaces the draft's sentences with the manager's edit.
pub async fn edit(ctx: &ServiceContext, review: Stored, sentences: &[ReviewSentence]) -> Result<Review, ApiError> {
    if review.is_approved() {
        return Err(ApiError::FailedPrecondition("an approved review can no longer be edited".into()));
    }
    let known: BTreeSet<&str> = review.body.evidence.iter().map(|e| e.id.as_str()).collect();
    let mut v = Violations::default();
    if sentences.is_empty() || sentences.len() > 100 {
        v.add("sentences", "give 1 to 100 sentences");
    }
    for (i, s) in sentences.iter().enumerate() {
        if s.text.trim().is_empty() || s.text.chars().count() > 2_000 {
            v.add(&format!("sentences[{i}].text"), "must be 1 to 2000 characters");
        }
        if s.citations.is_empty() {
            v.add(&format!("sentences[{i}].citations"), "every sentence rests on evidence: cite at least one item");
        }
        for c in &s.citations {
            if !known.contains(c.as_str()) {
                v.add(&format!("sentences[{i}].citations"), format!("{c} is not evidence of this review's period"));
            }
        }
    }
    v.finish()?;
    let original: Vec<(&str, &[String])> =
        review.body.sentences.iter().map(|s| (s.text.as_str(), s.citations.as_slice())).collect();
    let mut body = review.body.clone();
    body.sentences = sentences
        .iter()
        .map(|s| {
            let text = s.text.trim().to_owned();
            let unchanged = original.iter().any(|(t, c)| *t == text && *c == s.citations.as_slice());
            StoredSentence { text, citations: s.citations.clone(), edited: !unchanged }
        })
        .collect();
    body.check_bias(review.locale(), review.period());
    store_body(ctx, &review, &body).await?;
    Ok(load(ctx, &review.row.id).await?.to_proto())
}

/// Approves a draft: the decision goes to governance with the approver's own credentials first,
/// then the review is marked approved with its event.
pub async fn approve(
    ctx: &ServiceContext,
    approver: &Principal,
    authorization: &tonic::metadata::MetadataValue<tonic::metadata::Ascii>,
    review: Stored,
    req: &ApproveReviewRequest,
) -> Result<Review, ApiError> {
    let mut v = Violations::default();
    if !(1..=5).contains(&req.overall_rating) {
        v.add("overall_rating", "must be 1 to 5");
    }
    if !OUTCOMES.contains(&req.outcome.as_str()) {
        v.add("outcome", "must be none, pass_probation, improvement_plan or fail_probation");
    }
    if req.rationale.trim().chars().count() < 10 || req.rationale.chars().count() > 2_000 {
        v.add("rationale", "give your reasons in 10 to 2000 characters");
    }
    v.finish()?;
    if review.is_approved() {
        return Err(ApiError::FailedPrecondition("the review is already approved".into()));
    }
    if !approver.is_person() {
        return Err(ApiError::PermissionDenied("a review is approved by a person with their own token".into()));
    }
    let legal_effect = LEGAL_EFFECT.contains(&req.outcome.as_str());
    let edited = review.body.sentences.iter().filter(|s| s.edited).count();
    let decision = remote::record_decision(
        ctx,
        RecordDecisionRequest {
            subject: review.employee_id().to_owned(),
            purpose: REVIEWS.into(),
            model_id: "performance.review-drafter".into(),
            model_version: "1".into(),
            input_hash: review.row.input_hash.clone(),
            output: format!("overall rating {} of 5; outcome {}", req.overall_rating, req.outcome),
            explanation: format!(
                "AI-assisted draft of {} sentences, each citing the period's feedback or 360° ratings; {} sentences \
                 edited by the manager; {} bias findings shown before approval",
                review.body.sentences.len(),
                edited,
                review.body.bias.len()
            ),
            legal_effect,
            reviewer: approver.subject.clone(),
            rationale: req.rationale.trim().into(),
            stage: RATING_STAGE.into(),
            outcome: if req.overall_rating >= RATED_WELL { "selected" } else { "rejected" }.into(),
        },
        authorization,
    )
    .await?;
    let now = time::now_ms();
    let mut tx = ctx.db.begin().await?;
    let done = sqlx::query(
        "UPDATE reviews SET status = 'approved', overall_rating = $1, outcome = $2, approved_by = $3, approved_at = $4,
                            decision_id = $5
         WHERE id = $6 AND status = 'draft'",
    )
    .bind(i64::from(req.overall_rating))
    .bind(&req.outcome)
    .bind(&approver.subject)
    .bind(now)
    .bind(&decision.decision_id)
    .bind(&review.row.id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::FailedPrecondition("the review was approved meanwhile".into()));
    }
    let event = ReviewApproved {
        review_id: review.row.id.clone(),
        overall_rating: req.overall_rating,
        outcome: req.outcome.clone(),
        decision_id: decision.decision_id.clone(),
    };
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(review.employee_id(), REVIEWS, &event))
        .await?;
    ctx.commit(tx).await?;
    Ok(load(ctx, &review.row.id).await?.to_proto())
}
