//! HR's templates: tasks per role, work country and language, each in a phase with an owner, a
//! deadline relative to the start date and dependencies that must not form a cycle.

use std::collections::{BTreeMap, BTreeSet};

use hrmesh_kit::{
    ApiError, Violations,
    error::{identifier, required_text},
    locale::Locale,
    time,
};
use hrmesh_proto::onboarding::v1::{self as pb, OwnerKind, Phase};
use sqlx::AnyConnection;

/// Days before or after the start date a deadline may lie.
const MAX_OFFSET: i32 = 366;

/// Parses and checks a template: known phases and owners, unique keys, dependencies on tasks
/// of the same template, and no cycle among them.
pub fn parse(t: &pb::Template) -> Result<pb::Template, ApiError> {
    let mut v = Violations::default();
    let template_id = v.check(identifier("template_id", &t.template_id));
    let role = v.check(required_text("role", &t.role, 200));
    let location = t.location.trim().to_uppercase();
    if !location.is_empty() && !["NL", "DE", "BE"].contains(&location.as_str()) {
        v.add("location", "NL, DE, BE or empty (any)");
    }
    let language = match Locale::of_field("language", if t.language.is_empty() { "en" } else { &t.language }) {
        Ok(l) => l.code().to_owned(),
        Err(e) => {
            v.check::<()>(Err(e));
            String::new()
        }
    };
    let mut keys = BTreeSet::new();
    for (i, task) in t.tasks.iter().enumerate() {
        let field = |name: &str| format!("tasks[{i}].{name}");
        if identifier(&field("task_key"), &task.task_key).is_err() {
            v.add(&field("task_key"), "required: letters, digits, '-', '_' or '.'");
        } else if !keys.insert(task.task_key.as_str()) {
            v.add(&field("task_key"), format!("{} appears twice", task.task_key));
        }
        if task.title.trim().is_empty() || task.title.len() > 300 {
            v.add(&field("title"), "required, at most 300 characters");
        }
        if !matches!(Phase::try_from(task.phase), Ok(p) if p != Phase::Unspecified) {
            v.add(&field("phase"), "one of before_day_one, day_one, week_one, month_one, month_three");
        }
        if !matches!(OwnerKind::try_from(task.owner), Ok(o) if o != OwnerKind::Unspecified) {
            v.add(&field("owner"), "one of hr, manager, it, buddy, new_hire");
        }
        if !(-MAX_OFFSET..=MAX_OFFSET).contains(&task.due_offset_days) {
            v.add(&field("due_offset_days"), format!("between -{MAX_OFFSET} and {MAX_OFFSET}"));
        }
    }
    for (i, task) in t.tasks.iter().enumerate() {
        for dep in &task.depends_on {
            if !keys.contains(dep.as_str()) || *dep == task.task_key {
                v.add(&format!("tasks[{i}].depends_on"), format!("{dep} is not another task of this template"));
            }
        }
    }
    if v.is_empty()
        && let Some(cycle) = find_cycle(&t.tasks)
    {
        v.add("tasks", format!("dependencies form a cycle: {}", cycle.join(" -> ")));
    }
    if !t.skills_role_id.is_empty() && identifier("skills_role_id", &t.skills_role_id).is_err() {
        v.add("skills_role_id", "letters, digits, '-', '_' or '.'");
    }
    match (template_id, role) {
        (Some(template_id), Some(role)) if v.is_empty() => Ok(pb::Template {
            template_id,
            role,
            location,
            language,
            tasks: t.tasks.clone(),
            skills_role_id: t.skills_role_id.trim().to_owned(),
        }),
        _ => Err(v.into_error()),
    }
}

/// A cycle among the tasks' dependencies (its keys, the first repeated at the end), if any.
pub fn find_cycle(tasks: &[pb::TemplateTask]) -> Option<Vec<String>> {
    let deps: BTreeMap<&str, Vec<&str>> =
        tasks.iter().map(|t| (t.task_key.as_str(), t.depends_on.iter().map(String::as_str).collect())).collect();
    // 0 unvisited, 1 on the current path, 2 done.
    let mut state: BTreeMap<&str, u8> = deps.keys().map(|k| (*k, 0)).collect();
    fn visit<'a>(
        node: &'a str,
        deps: &BTreeMap<&'a str, Vec<&'a str>>,
        state: &mut BTreeMap<&'a str, u8>,
        path: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        state.insert(node, 1);
        path.push(node);
        for next in deps.get(node).into_iter().flatten() {
            match state.get(next).copied().unwrap_or(2) {
                1 => {
                    let from = path.iter().position(|n| n == next).unwrap_or(0);
                    let mut cycle: Vec<String> = path[from..].iter().map(|s| (*s).to_owned()).collect();
                    cycle.push((*next).to_owned());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(next, deps, state, path) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(node, 2);
        None
    }
    let keys: Vec<&str> = deps.keys().copied().collect();
    for key in keys {
        if state.get(key) == Some(&0)
            && let Some(c) = visit(key, &deps, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

/// Stores `t` (parsed), replacing its earlier version.
pub async fn upsert(conn: &mut AnyConnection, t: &pb::Template) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO templates (template_id, role, location, language, skills_role_id, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (template_id) DO UPDATE SET role = $2, location = $3, language = $4, skills_role_id = $5,
         updated_at = $6",
    )
    .bind(&t.template_id)
    .bind(&t.role)
    .bind(&t.location)
    .bind(&t.language)
    .bind(&t.skills_role_id)
    .bind(time::now_ms())
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM template_tasks WHERE template_id = $1").bind(&t.template_id).execute(&mut *conn).await?;
    for (position, task) in t.tasks.iter().enumerate() {
        sqlx::query(
            "INSERT INTO template_tasks (template_id, task_key, position, title, phase, owner, due_offset_days,
             depends_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&t.template_id)
        .bind(&task.task_key)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(task.title.trim())
        .bind(i64::from(task.phase))
        .bind(i64::from(task.owner))
        .bind(i64::from(task.due_offset_days))
        .bind(task.depends_on.join(","))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct TemplateRow {
    template_id: String,
    role: String,
    location: String,
    language: String,
    skills_role_id: String,
}

#[derive(sqlx::FromRow)]
struct TaskRow {
    task_key: String,
    title: String,
    phase: i64,
    owner: i64,
    due_offset_days: i64,
    depends_on: String,
}

/// Splits a stored comma list.
pub fn split_list(s: &str) -> Vec<String> {
    s.split(',').filter(|k| !k.is_empty()).map(str::to_owned).collect()
}

async fn with_tasks(conn: &mut AnyConnection, row: TemplateRow) -> Result<pb::Template, ApiError> {
    let tasks: Vec<TaskRow> = sqlx::query_as(
        "SELECT task_key, title, phase, owner, due_offset_days, depends_on FROM template_tasks
         WHERE template_id = $1 ORDER BY position",
    )
    .bind(&row.template_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(pb::Template {
        template_id: row.template_id,
        role: row.role,
        location: row.location,
        language: row.language,
        skills_role_id: row.skills_role_id,
        tasks: tasks
            .into_iter()
            .map(|t| pb::TemplateTask {
                task_key: t.task_key,
                title: t.title,
                phase: i32::try_from(t.phase).unwrap_or(0),
                owner: i32::try_from(t.owner).unwrap_or(0),
                due_offset_days: i32::try_from(t.due_offset_days).unwrap_or(0),
                depends_on: split_list(&t.depends_on),
            })
            .collect(),
    })
}

/// Every template, by id.
pub async fn list(conn: &mut AnyConnection) -> Result<Vec<pb::Template>, ApiError> {
    let rows: Vec<TemplateRow> = sqlx::query_as(
        "SELECT template_id, role, location, language, skills_role_id FROM templates ORDER BY template_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(with_tasks(conn, row).await?);
    }
    Ok(out)
}

/// How well a template fits: the role must match (case-insensitive); a matching location and
/// language each count, a template for any location fits every location.
fn fit(row: &TemplateRow, role: &str, location: &str, language: &str) -> Option<u8> {
    if !row.role.eq_ignore_ascii_case(role.trim()) {
        return None;
    }
    let place = match row.location.as_str() {
        "" => 1,
        l if l.eq_ignore_ascii_case(location) => 2,
        _ => return None,
    };
    let tongue = u8::from(row.language.eq_ignore_ascii_case(language));
    Some(place * 2 + tongue)
}

/// The best-fitting template for a hire, if any.
pub async fn best(
    conn: &mut AnyConnection,
    role: &str,
    location: &str,
    language: &str,
) -> Result<Option<pb::Template>, ApiError> {
    let rows: Vec<TemplateRow> = sqlx::query_as(
        "SELECT template_id, role, location, language, skills_role_id FROM templates ORDER BY template_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let best = rows
        .into_iter()
        .filter_map(|r| fit(&r, role, location, language).map(|f| (f, r)))
        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.template_id.cmp(&a.1.template_id)));
    match best {
        Some((_, row)) => Ok(Some(with_tasks(conn, row).await?)),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(key: &str, deps: &[&str]) -> pb::TemplateTask {
        pb::TemplateTask {
            task_key: key.into(),
            title: format!("Task {key}"),
            phase: Phase::WeekOne as i32,
            owner: OwnerKind::Manager as i32,
            due_offset_days: 3,
            depends_on: deps.iter().map(|d| (*d).to_owned()).collect(),
        }
    }

    fn template(tasks: Vec<pb::TemplateTask>) -> pb::Template {
        pb::Template {
            template_id: "dev-nl".into(),
            role: "Developer".into(),
            location: "nl".into(),
            language: "nl".into(),
            tasks,
            skills_role_id: String::new(),
        }
    }

    #[test]
    fn rejects_a_dependency_cycle_and_names_it() {
        let t = template(vec![task("a", &["c"]), task("b", &["a"]), task("c", &["b"]), task("d", &[])]);
        let Err(ApiError::InvalidArgument(v)) = parse(&t) else { panic!("cycle accepted") };
        assert_eq!(v[0].field, "tasks");
        assert!(v[0].description.contains("a -> c -> b -> a"), "{}", v[0].description);
    }

    #[test]
    fn accepts_a_dependency_chain_and_normalises_the_location() {
        let t = parse(&template(vec![task("a", &[]), task("b", &["a"]), task("c", &["a", "b"])])).expect("valid");
        assert_eq!(t.location, "NL");
    }

    #[test]
    fn rejects_unknown_dependencies_duplicates_and_missing_phase() {
        let mut bad = task("a", &["zzz"]);
        bad.phase = 0;
        let t = template(vec![bad, task("a", &[])]);
        let Err(ApiError::InvalidArgument(v)) = parse(&t) else { panic!("accepted") };
        let fields: Vec<_> = v.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["tasks[0].phase", "tasks[1].task_key", "tasks[0].depends_on"]);
    }

    #[test]
    fn prefers_the_template_for_the_location_and_language() {
        let row = |id: &str, loc: &str, lang: &str| TemplateRow {
            template_id: id.into(),
            role: "Developer".into(),
            location: loc.into(),
            language: lang.into(),
            skills_role_id: String::new(),
        };
        assert_eq!(fit(&row("x", "", "en"), "developer", "NL", "nl"), Some(2));
        assert_eq!(fit(&row("x", "NL", "en"), "developer", "NL", "nl"), Some(4));
        assert_eq!(fit(&row("x", "NL", "nl"), "developer", "NL", "nl"), Some(5));
        assert_eq!(fit(&row("x", "DE", "nl"), "developer", "NL", "nl"), None);
        assert_eq!(fit(&row("x", "NL", "nl"), "tester", "NL", "nl"), None);
    }
}
