//! The course catalogue: courses mapped to the skills and levels they teach, with course
//! prerequisites that must never form a cycle. hrmesh seeds its starter catalogue once; after
//! that the catalogue is the customer's to change.

use std::collections::{HashMap, HashSet};

use hrmesh_kit::{
    ApiError, Violations,
    error::{identifier, required_text},
    service::ServiceContext,
    time,
};
use hrmesh_proto::skills::v1::{Course, CourseSkill};
use sqlx::{AnyConnection, Row};

use crate::{profile::level, taxonomy::Taxonomy};

const SEED: &str = "builtin-courses-v1";
const DELETE_LINKS: [&str; 2] =
    ["DELETE FROM course_skills WHERE course_id = $1", "DELETE FROM course_prerequisites WHERE course_id = $1"];

/// Validates a course against the taxonomy (unknown skills are named by index).
fn validate(t: &Taxonomy, c: &Course) -> Result<Course, ApiError> {
    let mut v = Violations::default();
    let id = v.check(identifier("course_id", &c.course_id));
    let title_en = v.check(required_text("title_en", &c.title_en, 300));
    for (field, title) in [("title_nl", &c.title_nl), ("title_de", &c.title_de)] {
        if title.len() > 300 {
            v.add(field, "must be at most 300 characters");
        }
    }
    if c.skills.is_empty() {
        v.add("skills", "a course must teach at least one skill");
    }
    let mut seen = HashSet::new();
    for (i, s) in c.skills.iter().enumerate() {
        if t.skill(&s.skill_id).is_none() {
            v.add(
                &format!("skills[{i}].skill_id"),
                format!("unknown skill {:?}: use SearchSkills to find ids", s.skill_id),
            );
        } else if !seen.insert(&s.skill_id) {
            v.add(&format!("skills[{i}].skill_id"), "listed twice");
        }
        v.check(level(&format!("skills[{i}].level"), s.level));
    }
    if c.hours == 0 || c.hours > 10_000 {
        v.add("hours", "must be between 1 and 10000");
    }
    for (i, p) in c.prerequisite_course_ids.iter().enumerate() {
        v.check(identifier(&format!("prerequisite_course_ids[{i}]"), p));
        if *p == c.course_id {
            v.add(&format!("prerequisite_course_ids[{i}]"), "a course cannot be its own prerequisite");
        }
    }
    let (Some(course_id), Some(title_en)) = (id, title_en) else { return Err(v.into_error()) };
    v.finish()?;
    Ok(Course {
        course_id,
        title_en,
        title_nl: c.title_nl.trim().to_owned(),
        title_de: c.title_de.trim().to_owned(),
        provider: c.provider.trim().to_owned(),
        ..c.clone()
    })
}

/// Writes a course (insert or replace) after checking its prerequisites exist and stay acyclic.
async fn write(conn: &mut AnyConnection, c: &Course, insert: bool) -> Result<(), ApiError> {
    let exists = sqlx::query("SELECT 1 FROM courses WHERE course_id = $1")
        .bind(&c.course_id)
        .fetch_optional(&mut *conn)
        .await?
        .is_some();
    match (insert, exists) {
        (true, true) => return Err(ApiError::AlreadyExists(format!("course {} already exists", c.course_id))),
        (false, false) => return Err(ApiError::NotFound(format!("no course {}", c.course_id))),
        _ => {}
    }
    let mut graph: HashMap<String, Vec<String>> = HashMap::new();
    for r in sqlx::query("SELECT course_id, prerequisite_id FROM course_prerequisites").fetch_all(&mut *conn).await? {
        graph.entry(r.try_get(0)?).or_default().push(r.try_get(1)?);
    }
    let known: HashSet<String> = sqlx::query("SELECT course_id FROM courses")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    let mut v = Violations::default();
    for (i, p) in c.prerequisite_course_ids.iter().enumerate() {
        if !known.contains(p) {
            v.add(&format!("prerequisite_course_ids[{i}]"), format!("no course {p}"));
        }
    }
    v.finish()?;
    graph.insert(c.course_id.clone(), c.prerequisite_course_ids.clone());
    if let Some(cycle) = find_cycle(&graph, &c.course_id) {
        return Err(ApiError::InvalidArgument(vec![hrmesh_kit::FieldViolation::new(
            "prerequisite_course_ids",
            format!("prerequisites would form a cycle: {}", cycle.join(" → ")),
        )]));
    }
    let now = time::now_ms();
    sqlx::query(
        "INSERT INTO courses (course_id, title_en, title_nl, title_de, hours, provider, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (course_id) DO UPDATE SET title_en = excluded.title_en, title_nl = excluded.title_nl,
           title_de = excluded.title_de, hours = excluded.hours, provider = excluded.provider,
           updated_at = excluded.updated_at",
    )
    .bind(&c.course_id)
    .bind(&c.title_en)
    .bind(&c.title_nl)
    .bind(&c.title_de)
    .bind(i64::from(c.hours))
    .bind(&c.provider)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    for sql in DELETE_LINKS {
        sqlx::query(sql).bind(&c.course_id).execute(&mut *conn).await?;
    }
    for s in &c.skills {
        sqlx::query("INSERT INTO course_skills (course_id, skill_id, level) VALUES ($1, $2, $3)")
            .bind(&c.course_id)
            .bind(&s.skill_id)
            .bind(i64::from(s.level))
            .execute(&mut *conn)
            .await?;
    }
    for p in &c.prerequisite_course_ids {
        sqlx::query("INSERT INTO course_prerequisites (course_id, prerequisite_id) VALUES ($1, $2)")
            .bind(&c.course_id)
            .bind(p)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A cycle through `start` in the prerequisite graph, as the list of course ids around it.
fn find_cycle(graph: &HashMap<String, Vec<String>>, start: &str) -> Option<Vec<String>> {
    fn walk<'a>(
        graph: &'a HashMap<String, Vec<String>>,
        node: &'a str,
        start: &str,
        path: &mut Vec<&'a str>,
        seen: &mut HashSet<&'a str>,
    ) -> bool {
        for next in graph.get(node).into_iter().flatten() {
            if next == start {
                path.push(next);
                return true;
            }
            if seen.insert(next) {
                path.push(next);
                if walk(graph, next, start, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start];
    let mut seen = HashSet::from([start]);
    walk(graph, start, start, &mut path, &mut seen).then(|| path.into_iter().map(str::to_owned).collect())
}

pub async fn create(ctx: &ServiceContext, t: &Taxonomy, c: &Course) -> Result<Course, ApiError> {
    let c = validate(t, c)?;
    let mut tx = ctx.db.begin().await?;
    write(&mut tx, &c, true).await?;
    ctx.commit(tx).await?;
    Ok(c)
}

pub async fn update(ctx: &ServiceContext, t: &Taxonomy, c: &Course) -> Result<Course, ApiError> {
    let c = validate(t, c)?;
    let mut tx = ctx.db.begin().await?;
    write(&mut tx, &c, false).await?;
    ctx.commit(tx).await?;
    Ok(c)
}

/// Deletes a course; refused while other courses name it as a prerequisite.
pub async fn delete(ctx: &ServiceContext, id: &str) -> Result<(), ApiError> {
    let id = identifier("course_id", id).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
    let mut tx = ctx.db.begin().await?;
    let dependants: Vec<String> = sqlx::query("SELECT course_id FROM course_prerequisites WHERE prerequisite_id = $1")
        .bind(&id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    if !dependants.is_empty() {
        return Err(ApiError::FailedPrecondition(format!(
            "course {id} is a prerequisite of {}; remove it there first",
            dependants.join(", ")
        )));
    }
    let deleted = sqlx::query("DELETE FROM courses WHERE course_id = $1").bind(&id).execute(&mut *tx).await?;
    if deleted.rows_affected() == 0 {
        return Err(ApiError::NotFound(format!("no course {id}")));
    }
    for sql in DELETE_LINKS {
        sqlx::query(sql).bind(&id).execute(&mut *tx).await?;
    }
    ctx.commit(tx).await?;
    Ok(())
}

/// Every course (or those teaching `skill_id`), ordered by id.
pub async fn list(ctx: &ServiceContext, skill_id: Option<&str>) -> Result<Vec<Course>, sqlx::Error> {
    let pool = ctx.db.pool();
    let mut courses: Vec<Course> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for r in
        sqlx::query("SELECT course_id, title_en, title_nl, title_de, hours, provider FROM courses ORDER BY course_id")
            .fetch_all(pool)
            .await?
    {
        index.insert(r.try_get(0)?, courses.len());
        courses.push(Course {
            course_id: r.try_get(0)?,
            title_en: r.try_get(1)?,
            title_nl: r.try_get(2)?,
            title_de: r.try_get(3)?,
            hours: u32::try_from(r.try_get::<i64, _>(4)?).unwrap_or(0),
            provider: r.try_get(5)?,
            ..Default::default()
        });
    }
    for r in sqlx::query("SELECT course_id, skill_id, level FROM course_skills ORDER BY course_id, skill_id")
        .fetch_all(pool)
        .await?
    {
        if let Some(&i) = index.get(&r.try_get::<String, _>(0)?) {
            let level = u32::try_from(r.try_get::<i64, _>(2)?).unwrap_or(0);
            courses[i].skills.push(CourseSkill { skill_id: r.try_get(1)?, level });
        }
    }
    for r in
        sqlx::query("SELECT course_id, prerequisite_id FROM course_prerequisites ORDER BY course_id, prerequisite_id")
            .fetch_all(pool)
            .await?
    {
        if let Some(&i) = index.get(&r.try_get::<String, _>(0)?) {
            courses[i].prerequisite_course_ids.push(r.try_get(1)?);
        }
    }
    if let Some(skill) = skill_id {
        courses.retain(|c| c.skills.iter().any(|s| s.skill_id == skill));
    }
    Ok(courses)
}

pub async fn get(ctx: &ServiceContext, id: &str) -> Result<Course, ApiError> {
    let id = identifier("course_id", id).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
    list(ctx, None)
        .await?
        .into_iter()
        .find(|c| c.course_id == id)
        .ok_or_else(|| ApiError::NotFound(format!("no course {id}")))
}

/// The starter catalogue from `data/courses.tsv`.
pub fn builtin() -> Vec<Course> {
    include_str!("../data/courses.tsv")
        .lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            let [id, en, nl, de, skill, level, hours] = f.as_slice() else { return None };
            Some(Course {
                course_id: (*id).to_owned(),
                title_en: (*en).to_owned(),
                title_nl: (*nl).to_owned(),
                title_de: (*de).to_owned(),
                skills: vec![CourseSkill { skill_id: (*skill).to_owned(), level: level.parse().ok()? }],
                hours: hours.parse().ok()?,
                prerequisite_course_ids: Vec::new(),
                provider: "hrmesh starter catalogue".into(),
            })
        })
        .collect()
}

/// Seeds the starter catalogue once per database (a deleted starter course stays deleted).
pub async fn seed(ctx: &ServiceContext, t: &Taxonomy) -> Result<usize, ApiError> {
    let mut tx = ctx.db.begin().await?;
    let done = sqlx::query("SELECT 1 FROM catalogue_seeds WHERE name = $1").bind(SEED).fetch_optional(&mut *tx).await?;
    if done.is_some() {
        return Ok(0);
    }
    let courses = builtin();
    for c in &courses {
        let c = validate(t, c)?;
        write(&mut tx, &c, true).await?;
    }
    sqlx::query("INSERT INTO catalogue_seeds (name, seeded_at) VALUES ($1, $2)")
        .bind(SEED)
        .bind(time::now_ms())
        .execute(&mut *tx)
        .await?;
    ctx.commit(tx).await?;
    Ok(courses.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_catalogue_is_valid_against_the_taxonomy() {
        let t = Taxonomy::builtin().expect("valid");
        let courses = builtin();
        assert!(courses.len() >= 150, "{}", courses.len());
        for c in &courses {
            validate(&t, c).unwrap_or_else(|e| panic!("{}: {e}", c.course_id));
        }
    }

    #[test]
    fn cycle_is_reported_with_its_path() {
        let graph = HashMap::from([
            ("a".to_owned(), vec!["b".to_owned()]),
            ("b".to_owned(), vec!["c".to_owned()]),
            ("c".to_owned(), vec!["a".to_owned()]),
            ("d".to_owned(), vec!["a".to_owned()]),
        ]);
        assert_eq!(find_cycle(&graph, "a"), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
        assert_eq!(find_cycle(&graph, "d"), None);
    }

    #[test]
    fn unknown_skill_and_bad_level_are_named_by_index() {
        let t = Taxonomy::builtin().expect("valid");
        let c = Course {
            course_id: "crs.x".into(),
            title_en: "X".into(),
            skills: vec![
                CourseSkill { skill_id: "it.python".into(), level: 2 },
                CourseSkill { skill_id: "it.cobol9000".into(), level: 9 },
            ],
            hours: 4,
            ..Default::default()
        };
        let Err(ApiError::InvalidArgument(v)) = validate(&t, &c) else { panic!("must be rejected") };
        let fields: Vec<&str> = v.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["skills[1].skill_id", "skills[1].level"]);
    }
}
