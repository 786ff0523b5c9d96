//! Goals with check-ins, and the agenda of an employee's 1:1s with their manager. Check-in notes
//! and agenda items are sealed under the employee's key.

use hrmesh_kit::{
    ApiError, Violations,
    error::{identifier, required_text},
    service::ServiceContext,
    time,
};
use hrmesh_proto::performance::v1::{
    AddAgendaItemRequest, AgendaItem, CheckIn, CheckInGoalRequest, Goal, SetGoalRequest,
};

use crate::privacy;

#[derive(sqlx::FromRow)]
struct GoalRow {
    id: String,
    employee_id: String,
    title: String,
    due_date: String,
    status: String,
    progress: i64,
    created_by: String,
}

#[derive(sqlx::FromRow)]
struct CheckInRow {
    id: String,
    author_id: String,
    progress: i64,
    note: String,
    checked_at: i64,
}

/// The employee a goal belongs to (for authorization before acting on it).
pub async fn owner_of_goal(ctx: &ServiceContext, goal_id: &str) -> Result<String, ApiError> {
    let id = identifier("goal_id", goal_id).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
    sqlx::query_scalar::<_, String>("SELECT employee_id FROM goals WHERE id = $1")
        .bind(&id)
        .fetch_optional(ctx.db.pool())
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("goal {id} does not exist")))
}

/// Creates or updates a goal.
pub async fn set(ctx: &ServiceContext, by: &str, req: &SetGoalRequest) -> Result<Goal, ApiError> {
    let mut v = Violations::default();
    v.check(identifier("employee_id", &req.employee_id));
    let title = v.check(required_text("title", &req.title, 300));
    v.check(time::parse_optional_date("due_date", &req.due_date));
    let status = match req.status.as_str() {
        "" | "open" => "open",
        "done" => "done",
        "dropped" => "dropped",
        _ => {
            v.add("status", "must be open, done or dropped");
            "open"
        }
    };
    v.finish()?;
    let title = title.unwrap_or_default();
    let now = time::now_ms();
    let id = if req.goal_id.is_empty() {
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO goals (id, employee_id, title, due_date, status, progress, created_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $7)",
        )
        .bind(&id)
        .bind(&req.employee_id)
        .bind(title.trim())
        .bind(&req.due_date)
        .bind(status)
        .bind(by)
        .bind(now)
        .execute(ctx.db.pool())
        .await?;
        id
    } else {
        let done = sqlx::query(
            "UPDATE goals SET title = $1, due_date = $2, status = $3, updated_at = $4 WHERE id = $5 AND employee_id = $6",
        )
        .bind(title.trim())
        .bind(&req.due_date)
        .bind(status)
        .bind(now)
        .bind(&req.goal_id)
        .bind(&req.employee_id)
        .execute(ctx.db.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(ApiError::NotFound(format!("goal {} of {} does not exist", req.goal_id, req.employee_id)));
        }
        req.goal_id.clone()
    };
    goal(ctx, &id).await
}

/// Records progress on a goal.
pub async fn check_in(
    ctx: &ServiceContext,
    by: &str,
    employee: &str,
    req: &CheckInGoalRequest,
) -> Result<Goal, ApiError> {
    let mut v = Violations::default();
    if req.progress > 100 {
        v.add("progress", "must be 0 to 100");
    }
    if req.note.chars().count() > 2_000 {
        v.add("note", "must be at most 2000 characters");
    }
    v.finish()?;
    let now = time::now_ms();
    let mut tx = ctx.db.begin().await?;
    let note = if req.note.trim().is_empty() {
        String::new()
    } else {
        privacy::seal(ctx, &mut tx, employee, req.note.trim()).await?
    };
    sqlx::query(
        "INSERT INTO goal_check_ins (id, goal_id, employee_id, author_id, progress, note, checked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&req.goal_id)
    .bind(employee)
    .bind(by)
    .bind(i64::from(req.progress))
    .bind(note)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE goals SET progress = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(req.progress))
        .bind(now)
        .bind(&req.goal_id)
        .execute(&mut *tx)
        .await?;
    ctx.commit(tx).await?;
    goal(ctx, &req.goal_id).await
}

async fn to_goal(ctx: &ServiceContext, row: GoalRow) -> Result<Goal, ApiError> {
    let mut conn = ctx.db.pool().acquire().await?;
    let check_ins: Vec<CheckInRow> = sqlx::query_as(
        "SELECT id, author_id, progress, note, checked_at FROM goal_check_ins WHERE goal_id = $1 ORDER BY checked_at, id",
    )
    .bind(&row.id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(check_ins.len());
    for c in check_ins {
        out.push(CheckIn {
            check_in_id: c.id,
            author_id: c.author_id,
            progress: u32::try_from(c.progress).unwrap_or(0),
            note: privacy::open(ctx, &mut conn, &row.employee_id, &c.note).await?,
            checked_at: Some(time::timestamp(c.checked_at)),
        });
    }
    Ok(Goal {
        goal_id: row.id,
        employee_id: row.employee_id,
        title: row.title,
        due_date: row.due_date,
        status: row.status,
        progress: u32::try_from(row.progress).unwrap_or(0),
        check_ins: out,
        created_by: row.created_by,
    })
}

const GOAL_COLUMNS: &str = "id, employee_id, title, due_date, status, progress, created_by";

async fn goal(ctx: &ServiceContext, id: &str) -> Result<Goal, ApiError> {
    let sql = format!("SELECT {GOAL_COLUMNS} FROM goals WHERE id = $1");
    let row: GoalRow = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(ctx.db.pool())
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("goal {id} does not exist")))?;
    to_goal(ctx, row).await
}

/// An employee's goals, oldest first.
pub async fn list(ctx: &ServiceContext, employee: &str) -> Result<Vec<Goal>, ApiError> {
    let sql = format!("SELECT {GOAL_COLUMNS} FROM goals WHERE employee_id = $1 ORDER BY created_at, id");
    let rows: Vec<GoalRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(employee).fetch_all(ctx.db.pool()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(to_goal(ctx, row).await?);
    }
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct AgendaRow {
    id: String,
    employee_id: String,
    added_by: String,
    body: String,
    meeting_date: String,
    closed: i64,
    added_at: i64,
}

async fn to_item(ctx: &ServiceContext, conn: &mut sqlx::AnyConnection, r: AgendaRow) -> Result<AgendaItem, ApiError> {
    Ok(AgendaItem {
        text: privacy::open(ctx, conn, &r.employee_id, &r.body).await?,
        item_id: r.id,
        employee_id: r.employee_id,
        added_by: r.added_by,
        meeting_date: r.meeting_date,
        closed: r.closed != 0,
        added_at: Some(time::timestamp(r.added_at)),
    })
}

/// Adds a 1:1 agenda item.
pub async fn add_item(ctx: &ServiceContext, by: &str, req: &AddAgendaItemRequest) -> Result<AgendaItem, ApiError> {
    let mut v = Violations::default();
    v.check(identifier("employee_id", &req.employee_id));
    let text = v.check(required_text("text", &req.text, 1_000));
    v.check(time::parse_optional_date("meeting_date", &req.meeting_date));
    v.finish()?;
    let text = text.unwrap_or_default();
    let now = time::now_ms();
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = ctx.db.begin().await?;
    let sealed = privacy::seal(ctx, &mut tx, &req.employee_id, text.trim()).await?;
    sqlx::query(
        "INSERT INTO agenda_items (id, employee_id, added_by, body, meeting_date, closed, added_at)
         VALUES ($1, $2, $3, $4, $5, 0, $6)",
    )
    .bind(&id)
    .bind(&req.employee_id)
    .bind(by)
    .bind(sealed)
    .bind(&req.meeting_date)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    ctx.commit(tx).await?;
    Ok(AgendaItem {
        item_id: id,
        employee_id: req.employee_id.clone(),
        added_by: by.to_owned(),
        text: text.trim().to_owned(),
        meeting_date: req.meeting_date.clone(),
        closed: false,
        added_at: Some(time::timestamp(now)),
    })
}

const AGENDA_COLUMNS: &str = "id, employee_id, added_by, body, meeting_date, closed, added_at";

/// The employee an agenda item belongs to.
pub async fn owner_of_item(ctx: &ServiceContext, item_id: &str) -> Result<String, ApiError> {
    let id = identifier("item_id", item_id).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
    sqlx::query_scalar::<_, String>("SELECT employee_id FROM agenda_items WHERE id = $1")
        .bind(&id)
        .fetch_optional(ctx.db.pool())
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("agenda item {id} does not exist")))
}

/// Marks an item discussed.
pub async fn close_item(ctx: &ServiceContext, item_id: &str) -> Result<AgendaItem, ApiError> {
    sqlx::query("UPDATE agenda_items SET closed = 1 WHERE id = $1").bind(item_id).execute(ctx.db.pool()).await?;
    let sql = format!("SELECT {AGENDA_COLUMNS} FROM agenda_items WHERE id = $1");
    let row: AgendaRow = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(item_id)
        .fetch_optional(ctx.db.pool())
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("agenda item {item_id} does not exist")))?;
    let mut conn = ctx.db.pool().acquire().await?;
    to_item(ctx, &mut conn, row).await
}

/// An employee's agenda, oldest first.
pub async fn agenda(ctx: &ServiceContext, employee: &str, include_closed: bool) -> Result<Vec<AgendaItem>, ApiError> {
    let sql = format!(
        "SELECT {AGENDA_COLUMNS} FROM agenda_items WHERE employee_id = $1 AND closed <= $2 ORDER BY added_at, id"
    );
    let rows: Vec<AgendaRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(employee)
        .bind(i64::from(include_closed))
        .fetch_all(ctx.db.pool())
        .await?;
    let mut conn = ctx.db.pool().acquire().await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(to_item(ctx, &mut conn, r).await?);
    }
    Ok(out)
}
