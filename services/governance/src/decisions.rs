//! The AI decision log and human control (GDPR art. 22, EU AI Act art. 14): every AI output is
//! logged with its model, input hash, output, explanation and review state; one with legal or
//! similar effect needs a named human reviewer and a rationale; a person can contest a decision,
//! which opens a review task that another human resolves.

use hrmesh_kit::auth::Principal;
use hrmesh_kit::db::get_bool;
use hrmesh_kit::{
    ApiError, Violations,
    error::{identifier, required_text},
    events::GOVERNANCE_TOPIC,
    outbox, time,
};
use hrmesh_proto::governance::v1::{
    Decision, DecisionRecorded, RecordDecisionRequest, ReviewResolved, ReviewState, ReviewTask,
};
use sqlx::{AnyConnection, Row};

use crate::{audit::Entry, core::Core, fairness, purposes};

const DECISION_COLUMNS: &str = "decision_id, subject, purpose, model_id, model_version, input_hash, output, \
     explanation, legal_effect, reviewer, rationale, review_state, stage, outcome, decided_at, recorded_by";
const TASK_COLUMNS: &str =
    "task_id, decision_id, subject, statement, opened_at, resolved, reviewer, outcome, rationale, resolved_at";

fn decision_from_row(row: &sqlx::any::AnyRow) -> Result<Decision, sqlx::Error> {
    Ok(Decision {
        decision_id: row.try_get(0)?,
        subject: row.try_get(1)?,
        purpose: row.try_get(2)?,
        model_id: row.try_get(3)?,
        model_version: row.try_get(4)?,
        input_hash: row.try_get(5)?,
        output: row.try_get(6)?,
        explanation: row.try_get(7)?,
        legal_effect: get_bool(row, 8)?,
        reviewer: row.try_get(9)?,
        rationale: row.try_get(10)?,
        review_state: row.try_get::<i32, _>(11)?,
        stage: row.try_get(12)?,
        outcome: row.try_get(13)?,
        decided_at: Some(time::timestamp(row.try_get(14)?)),
        recorded_by: row.try_get(15)?,
    })
}

fn task_from_row(row: &sqlx::any::AnyRow) -> Result<ReviewTask, sqlx::Error> {
    let resolved_at: i64 = row.try_get(9)?;
    Ok(ReviewTask {
        task_id: row.try_get(0)?,
        decision_id: row.try_get(1)?,
        subject: row.try_get(2)?,
        statement: row.try_get(3)?,
        opened_at: Some(time::timestamp(row.try_get(4)?)),
        resolved: get_bool(row, 5)?,
        reviewer: row.try_get(6)?,
        outcome: row.try_get(7)?,
        rationale: row.try_get(8)?,
        resolved_at: (resolved_at > 0).then(|| time::timestamp(resolved_at)),
    })
}

/// The validated content of a decision. The reviewer is the authenticated caller: a request may
/// repeat the caller's own id, never name someone else.
fn validate(caller: &Principal, req: &RecordDecisionRequest) -> Result<&'static purposes::Purpose, ApiError> {
    let mut v = Violations::default();
    v.check(identifier("subject", &req.subject));
    let purpose = purposes::find(&req.purpose);
    if purpose.is_none() {
        v.add("purpose", format!("unknown purpose {:?} (see ListPurposes)", req.purpose));
    }
    v.check(identifier("model_id", &req.model_id));
    v.check(required_text("model_version", &req.model_version, 64));
    if req.input_hash.len() != 64 || !req.input_hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        v.add("input_hash", "must be the SHA-256 of the model input as 64 hex characters");
    }
    v.check(required_text("output", &req.output, 4_000));
    v.check(required_text("explanation", &req.explanation, 8_000).map_err(|mut e| {
        e.description = "every AI output needs its explanation".into();
        e
    }));
    let named = req.reviewer.trim();
    if !named.is_empty() && named != caller.subject {
        v.add("reviewer", "the reviewer is the person calling; leave it empty or give your own id");
    }
    if req.legal_effect {
        if !caller.is_person() {
            return Err(ApiError::PermissionDenied(
                "a decision with legal or similar effect is taken by a person with their own token (GDPR art. 22) / \
                 een besluit met rechtsgevolgen neemt een mens met een eigen token / \
                 eine Entscheidung mit Rechtswirkung trifft ein Mensch mit eigenem Token"
                    .into(),
            ));
        }
        if req.rationale.trim().is_empty() {
            v.add("rationale", "a decision with legal or similar effect needs the reviewer's rationale");
        }
    }
    if !req.stage.is_empty() {
        v.check(identifier("stage", &req.stage));
        if !matches!(req.outcome.as_str(), "selected" | "rejected") {
            v.add("outcome", "must be `selected` or `rejected` when a stage is given");
        }
        if req.outcome == "rejected" && req.rationale.trim().is_empty() {
            v.add("rationale", "a rejection needs the reviewer's rationale");
        }
    } else if !req.outcome.is_empty() {
        v.add("stage", "an outcome needs the selection stage it belongs to");
    }
    v.finish()?;
    purpose.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("validated purpose vanished")))
}

impl Core {
    /// Logs a decision; refuses one with legal effect and no human behind it.
    pub async fn record_decision(&self, caller: &Principal, req: RecordDecisionRequest) -> Result<Decision, ApiError> {
        let purpose = validate(caller, &req)?;
        let actor = caller.subject.as_str();
        let mut tx = self.ctx.db.begin().await?;
        let consent = self.consent_state(&mut tx, &req.subject, purpose).await?;
        if !consent.allowed {
            return Err(ApiError::FailedPrecondition(format!(
                "{} may not be applied to {}: {}",
                purpose.id, req.subject, consent.reason
            )));
        }
        let human = caller.is_person();
        let state = if human { ReviewState::HumanDecided } else { ReviewState::Unreviewed };
        let decision = Decision {
            decision_id: uuid::Uuid::now_v7().to_string(),
            subject: req.subject.clone(),
            purpose: purpose.id.into(),
            model_id: req.model_id.trim().into(),
            model_version: req.model_version.trim().into(),
            input_hash: req.input_hash.to_ascii_lowercase(),
            output: req.output.trim().into(),
            explanation: req.explanation.trim().into(),
            legal_effect: req.legal_effect,
            reviewer: if human { caller.subject.clone() } else { String::new() },
            rationale: req.rationale.trim().into(),
            review_state: state as i32,
            stage: req.stage.clone(),
            outcome: req.outcome.clone(),
            decided_at: Some(time::timestamp(time::now_ms())),
            recorded_by: actor.to_owned(),
        };
        // The reviewer's rationale is free text that can name the person or more: it is kept
        // sealed under the person's key, so an erasure leaves it unreadable.
        let mut stored = decision.clone();
        stored.rationale = self.seal(&mut tx, &decision.subject, &decision.rationale).await?;
        insert(&mut tx, &stored).await?;
        let detail = serde_json::json!({
            "decision_id": decision.decision_id,
            "model_id": decision.model_id,
            "model_version": decision.model_version,
            "input_hash": decision.input_hash,
            "output": decision.output,
            "legal_effect": decision.legal_effect,
            "reviewer": decision.reviewer,
            "review_state": state.as_str_name(),
        });
        let entry = Entry {
            actor: actor.to_owned(),
            action: "decision.recorded".into(),
            subject_pseudonym: self.audit_pseudonym(&decision.subject),
            purpose: purpose.id.into(),
            legal_basis: purpose.legal_basis.into(),
            detail: detail.to_string(),
            ..Entry::default()
        };
        self.audit(&mut tx, entry).await?;
        let event = DecisionRecorded {
            decision_id: decision.decision_id.clone(),
            purpose: purpose.id.into(),
            legal_effect: decision.legal_effect,
            review_state: state as i32,
        };
        let envelope = self.ctx.events.envelope(&decision.subject, purpose.id, &event);
        outbox::enqueue(&mut tx, GOVERNANCE_TOPIC, &envelope).await?;
        if !decision.stage.is_empty() {
            fairness::monitor_stage(self, &mut tx, &decision.stage).await?;
        }
        self.ctx.commit(tx).await?;
        Ok(decision)
    }

    async fn seal(&self, conn: &mut AnyConnection, subject: &str, text: &str) -> Result<String, ApiError> {
        if text.is_empty() {
            return Ok(String::new());
        }
        Ok(self.ctx.vault.seal(conn, subject, text).await?)
    }

    /// A stored decision with its rationale opened; `[erased]` once the person's key is gone.
    async fn opened(&self, conn: &mut AnyConnection, mut decision: Decision) -> Result<Decision, ApiError> {
        if decision.rationale.starts_with("v1:") {
            let plain = self.ctx.vault.open(conn, &decision.subject, &decision.rationale).await?;
            decision.rationale = plain.unwrap_or_else(|| "[erased]".to_owned());
        }
        Ok(decision)
    }

    pub async fn decision(&self, conn: &mut AnyConnection, decision_id: &str) -> Result<Decision, ApiError> {
        let sql = format!("SELECT {DECISION_COLUMNS} FROM decisions WHERE decision_id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(decision_id).fetch_optional(&mut *conn).await?;
        let decision = row
            .as_ref()
            .map(decision_from_row)
            .transpose()?
            .ok_or_else(|| ApiError::NotFound(format!("no decision {decision_id}")))?;
        self.opened(conn, decision).await
    }

    pub async fn list_decisions(&self, conn: &mut AnyConnection, subject: &str) -> Result<Vec<Decision>, ApiError> {
        let sql = format!("SELECT {DECISION_COLUMNS} FROM decisions WHERE subject = $1 ORDER BY decided_at");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(subject).fetch_all(&mut *conn).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            out.push(self.opened(conn, decision_from_row(row)?).await?);
        }
        Ok(out)
    }

    /// Opens a review task for a decision the person contests.
    pub async fn contest(&self, actor: &str, decision: &Decision, statement: &str) -> Result<ReviewTask, ApiError> {
        let statement = required_text("statement", statement, 4_000).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
        let mut tx = self.ctx.db.begin().await?;
        let task = ReviewTask {
            task_id: uuid::Uuid::now_v7().to_string(),
            decision_id: decision.decision_id.clone(),
            subject: decision.subject.clone(),
            statement,
            opened_at: Some(time::timestamp(time::now_ms())),
            ..ReviewTask::default()
        };
        let inserted = sqlx::query(
            "INSERT INTO review_tasks (task_id, decision_id, subject, statement, opened_at, resolved, reviewer, outcome,
                                       rationale, resolved_at)
             VALUES ($1, $2, $3, $4, $5, 0, '', '', '', 0) ON CONFLICT (decision_id) DO NOTHING",
        )
        .bind(&task.task_id)
        .bind(&task.decision_id)
        .bind(&task.subject)
        .bind(&task.statement)
        .bind(time::now_ms())
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(ApiError::FailedPrecondition(format!(
                "decision {} is already contested; its review task is open or resolved",
                decision.decision_id
            )));
        }
        set_state(&mut tx, &decision.decision_id, ReviewState::Contested).await?;
        let entry = Entry {
            actor: actor.to_owned(),
            action: "decision.contested".into(),
            subject_pseudonym: self.audit_pseudonym(&decision.subject),
            purpose: decision.purpose.clone(),
            detail: format!("decision {} task {}", decision.decision_id, task.task_id),
            ..Entry::default()
        };
        self.audit(&mut tx, entry).await?;
        self.ctx.commit(tx).await?;
        Ok(task)
    }

    pub async fn review_tasks(&self, include_resolved: bool) -> Result<Vec<ReviewTask>, ApiError> {
        let filter = if include_resolved { "" } else { "WHERE resolved = 0" };
        let sql = format!("SELECT {TASK_COLUMNS} FROM review_tasks {filter} ORDER BY opened_at");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(self.ctx.db.pool()).await?;
        Ok(rows.iter().map(task_from_row).collect::<Result<_, _>>()?)
    }

    /// Closes a review task. The reviewer is a person who neither took the contested decision
    /// nor is the person it is about; the service that took the decision learns the outcome
    /// from `ReviewResolved`.
    pub async fn resolve(
        &self,
        caller: &Principal,
        task_id: &str,
        outcome: &str,
        rationale: &str,
    ) -> Result<ReviewTask, ApiError> {
        let mut v = Violations::default();
        if !matches!(outcome, "upheld" | "overturned") {
            v.add("outcome", "must be `upheld` or `overturned`");
        }
        let rationale = v.check(required_text("rationale", rationale, 4_000));
        v.finish()?;
        let rationale = rationale.unwrap_or_default();
        if !caller.is_person() {
            return Err(ApiError::PermissionDenied(
                "a contested decision is reviewed by a person, not a service".into(),
            ));
        }
        let reviewer = caller.subject.as_str();
        let mut tx = self.ctx.db.begin().await?;
        let sql = format!("SELECT {TASK_COLUMNS} FROM review_tasks WHERE task_id = $1");
        let mut task = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(task_id)
            .fetch_optional(&mut *tx)
            .await?
            .as_ref()
            .map(task_from_row)
            .transpose()?
            .ok_or_else(|| ApiError::NotFound(format!("no review task {task_id}")))?;
        if task.resolved {
            return Err(ApiError::FailedPrecondition(format!("review task {task_id} is already resolved")));
        }
        let decision = self.decision(&mut tx, &task.decision_id).await?;
        if task.subject == reviewer {
            return Err(ApiError::PermissionDenied("you cannot review a contest about yourself".into()));
        }
        if decision.reviewer == reviewer || decision.recorded_by == reviewer {
            return Err(ApiError::FailedPrecondition(
                "the contested decision must be reviewed by someone other than who took it".into(),
            ));
        }
        let now = time::now_ms();
        sqlx::query(
            "UPDATE review_tasks SET resolved = 1, reviewer = $1, outcome = $2, rationale = $3, resolved_at = $4
             WHERE task_id = $5",
        )
        .bind(reviewer)
        .bind(outcome)
        .bind(&rationale)
        .bind(now)
        .bind(task_id)
        .execute(&mut *tx)
        .await?;
        set_state(&mut tx, &task.decision_id, ReviewState::ReviewedAfterContest).await?;
        let entry = Entry {
            actor: reviewer.to_owned(),
            action: "review.resolved".into(),
            subject_pseudonym: self.audit_pseudonym(&task.subject),
            purpose: decision.purpose.clone(),
            detail: format!("decision {} {outcome}: {rationale}", task.decision_id),
            ..Entry::default()
        };
        self.audit(&mut tx, entry).await?;
        let event = ReviewResolved {
            task_id: task.task_id.clone(),
            decision_id: task.decision_id.clone(),
            purpose: decision.purpose.clone(),
            outcome: outcome.to_owned(),
            rationale: rationale.clone(),
        };
        let envelope = self.ctx.events.envelope(&task.subject, &decision.purpose, &event);
        outbox::enqueue(&mut tx, GOVERNANCE_TOPIC, &envelope).await?;
        self.ctx.commit(tx).await?;
        task.resolved = true;
        task.reviewer = reviewer.to_owned();
        task.outcome = outcome.to_owned();
        task.rationale = rationale;
        task.resolved_at = Some(time::timestamp(now));
        Ok(task)
    }

    /// Review tasks about a person (for access requests).
    pub async fn tasks_of(&self, conn: &mut AnyConnection, subject: &str) -> Result<Vec<ReviewTask>, sqlx::Error> {
        let sql = format!("SELECT {TASK_COLUMNS} FROM review_tasks WHERE subject = $1 ORDER BY opened_at");
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(subject).fetch_all(conn).await?.iter().map(task_from_row).collect()
    }
}

async fn insert(conn: &mut AnyConnection, d: &Decision) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO decisions ({DECISION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&d.decision_id)
        .bind(&d.subject)
        .bind(&d.purpose)
        .bind(&d.model_id)
        .bind(&d.model_version)
        .bind(&d.input_hash)
        .bind(&d.output)
        .bind(&d.explanation)
        .bind(i64::from(d.legal_effect))
        .bind(&d.reviewer)
        .bind(&d.rationale)
        .bind(d.review_state)
        .bind(&d.stage)
        .bind(&d.outcome)
        .bind(time::now_ms())
        .bind(&d.recorded_by)
        .execute(conn)
        .await?;
    Ok(())
}

async fn set_state(conn: &mut AnyConnection, decision_id: &str, state: ReviewState) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE decisions SET review_state = $1 WHERE decision_id = $2")
        .bind(state as i32)
        .bind(decision_id)
        .execute(conn)
        .await?;
    Ok(())
}
