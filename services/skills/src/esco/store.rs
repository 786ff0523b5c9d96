//! One ESCO set in the skills database: replaced whole by each import, read back whole.

use std::{collections::HashMap, path::Path, time::Instant};

use futures_util::TryStreamExt;
use hrmesh_kit::db::{Backend, Database, get_bool, rows_per_statement};
use sqlx::{Any, AnyConnection, AssertSqlSafe, Row, any::AnyArguments, query::Query};

use super::{
    Description, EscoData, EscoError, EscoGroup, EscoOccupation, EscoRelation, EscoSkill, ImportReport, Label,
    parse_dir,
};
use crate::lang::Lang;

/// Every table of the set; emptied before an import inserts the new rows.
const SET_TABLES: [&str; 8] = [
    "esco_labels",
    "esco_descriptions",
    "esco_broader",
    "esco_skill_relations",
    "esco_occupation_skills",
    "esco_skills",
    "esco_groups",
    "esco_occupations",
];

/// Parses and validates the export in `dir`, then replaces the stored set with it in one
/// transaction. On any error the previous set stays as it was.
pub async fn import(db: &Database, dir: &Path) -> Result<ImportReport, EscoError> {
    let started = Instant::now();
    let path = dir.to_path_buf();
    let (data, mut report) = match tokio::task::spawn_blocking(move || parse_dir(&path)).await {
        Ok(parsed) => parsed?,
        Err(e) => match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => return Err(EscoError::Cancelled(e.to_string())),
        },
    };
    let storing = Instant::now();
    let source = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let id = store(db, &data, &source.display().to_string()).await?;
    report.import_id = Some(id);
    report.store = storing.elapsed();
    report.elapsed = started.elapsed();
    tracing::info!(
        import = id,
        skills = report.counts.skills,
        occupations = report.counts.occupations,
        parse_ms = report.parse.as_millis(),
        store_ms = report.store.as_millis(),
        "ESCO set imported"
    );
    Ok(report)
}

/// Id of the latest import (None before the first); one indexed lookup, cheap enough to poll.
pub async fn current_import(db: &Database) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT MAX(id) FROM esco_imports").fetch_one(db.pool()).await
}

async fn store(db: &Database, data: &EscoData, source: &str) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    if db.backend() == Backend::Postgres {
        // Concurrent imports queue here; readers are not blocked (SQLite's BEGIN IMMEDIATE does the same).
        sqlx::query("LOCK TABLE esco_imports IN SHARE ROW EXCLUSIVE MODE").execute(&mut *tx).await?;
    }
    for table in SET_TABLES {
        sqlx::query(AssertSqlSafe(format!("DELETE FROM {table}"))).execute(&mut *tx).await?;
    }
    insert(&mut tx, "esco_skills (uri, skill_type, reuse_level)", 3, &data.skills, |q, s| {
        q.bind(s.uri.as_str()).bind(s.skill_type.as_str()).bind(s.reuse_level.as_str())
    })
    .await?;
    insert(&mut tx, "esco_groups (uri, code)", 2, &data.groups, |q, g| q.bind(g.uri.as_str()).bind(g.code.as_str()))
        .await?;
    insert(&mut tx, "esco_occupations (uri, code)", 2, &data.occupations, |q, o| {
        q.bind(o.uri.as_str()).bind(o.code.as_str())
    })
    .await?;
    insert(&mut tx, "esco_broader (concept, broader)", 2, &data.broader, |q, (concept, broader)| {
        q.bind(concept.as_str()).bind(broader.as_str())
    })
    .await?;
    insert(&mut tx, "esco_skill_relations (from_skill, to_skill, kind)", 3, &data.relations, |q, r| {
        q.bind(r.from.as_str()).bind(r.to.as_str()).bind(r.kind.as_str())
    })
    .await?;
    let occupation_skills: Vec<(&str, &str, &str)> = data
        .occupations
        .iter()
        .flat_map(|o| {
            let essential = o.essential.iter().map(|s| (o.uri.as_str(), s.as_str(), "essential"));
            essential.chain(o.optional.iter().map(|s| (o.uri.as_str(), s.as_str(), "optional")))
        })
        .collect();
    insert(&mut tx, "esco_occupation_skills (occupation, skill, kind)", 3, &occupation_skills, |q, (o, s, k)| {
        q.bind(*o).bind(*s).bind(*k)
    })
    .await?;
    let labelled = data.skills.iter().map(|s| (&s.uri, &s.labels));
    let labelled = labelled.chain(data.groups.iter().map(|g| (&g.uri, &g.labels)));
    let labelled = labelled.chain(data.occupations.iter().map(|o| (&o.uri, &o.labels)));
    let labels: Vec<(&str, i64, &Label)> = labelled
        .flat_map(|(uri, labels)| {
            labels.iter().zip(0_i64..).map(move |(label, position)| (uri.as_str(), position, label))
        })
        .collect();
    insert(&mut tx, "esco_labels (concept, position, lang, text, preferred)", 5, &labels, |q, (uri, position, l)| {
        q.bind(*uri).bind(*position).bind(l.lang.code()).bind(l.text.as_str()).bind(i64::from(l.preferred))
    })
    .await?;
    let descriptions: Vec<(&str, &Description)> =
        data.skills.iter().flat_map(|s| s.descriptions.iter().map(move |d| (s.uri.as_str(), d))).collect();
    insert(&mut tx, "esco_descriptions (concept, lang, text)", 3, &descriptions, |q, (uri, d)| {
        q.bind(*uri).bind(d.lang.code()).bind(d.text.as_str())
    })
    .await?;
    let id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM esco_imports").fetch_one(&mut *tx).await?;
    let counts = data.counts();
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    sqlx::query(
        "INSERT INTO esco_imports (id, imported_at, source, skill_count, group_count, broader_count, relation_count,
                                   occupation_count, occupation_skill_count, label_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id)
    .bind(hrmesh_kit::time::now_ms())
    .bind(source)
    .bind(count(counts.skills))
    .bind(count(counts.groups))
    .bind(count(counts.broader))
    .bind(count(counts.relations))
    .bind(count(counts.occupations))
    .bind(count(counts.occupation_skills))
    .bind(count(counts.labels))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Inserts `rows` into `target` ("table (col, ...)", `columns` values each) with multi-row
/// statements as large as the backend handles well.
async fn insert<T>(
    conn: &mut AnyConnection,
    target: &str,
    columns: usize,
    rows: &[T],
    bind: impl for<'q> Fn(Query<'q, Any, AnyArguments>, &T) -> Query<'q, Any, AnyArguments>,
) -> Result<(), sqlx::Error> {
    let per_statement = rows_per_statement(conn, columns);
    // Every full chunk uses the same text, so the connection prepares it once.
    let mut full_chunk_sql = None;
    for chunk in rows.chunks(per_statement) {
        let sql = if chunk.len() == per_statement {
            full_chunk_sql.get_or_insert_with(|| insert_sql(target, columns, per_statement)).clone()
        } else {
            insert_sql(target, columns, chunk.len())
        };
        let query = chunk.iter().fold(sqlx::query(AssertSqlSafe(sql)), &bind);
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

fn insert_sql(target: &str, columns: usize, rows: usize) -> String {
    let mut sql = format!("INSERT INTO {target} VALUES ");
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..columns {
            if column > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&(row * columns + column + 1).to_string());
        }
        sql.push(')');
    }
    sql
}

/// Reads the stored set, or None if nothing was ever imported. Reads one consistent snapshot, so
/// an import committing meanwhile is seen entirely or not at all.
pub async fn load(db: &Database) -> Result<Option<EscoData>, sqlx::Error> {
    let mut tx = db.pool().begin().await?;
    if db.backend() == Backend::Postgres {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
    }
    let imported: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM esco_imports").fetch_one(&mut *tx).await?;
    if imported.is_none() {
        return Ok(None);
    }
    let mut labels = load_labels(&mut tx).await?;
    let mut take_labels = |uri: &str| {
        let mut found = labels.remove(uri).unwrap_or_default();
        found.sort_unstable_by_key(|(position, _)| *position);
        found.into_iter().map(|(_, label)| label).collect::<Vec<_>>()
    };
    let mut descriptions: HashMap<String, Vec<Description>> = HashMap::new();
    let mut rows = sqlx::query("SELECT concept, lang, text FROM esco_descriptions").fetch(&mut *tx);
    while let Some(row) = rows.try_next().await? {
        let code: &str = row.try_get(1)?;
        let lang = Lang::parse(code).ok_or_else(|| {
            sqlx::Error::Protocol(format!("esco_descriptions holds a description in unknown language {code:?}"))
        })?;
        descriptions.entry(row.try_get(0)?).or_default().push(Description { lang, text: row.try_get(2)? });
    }
    drop(rows);
    let mut data = EscoData::default();
    let mut rows = sqlx::query("SELECT uri, skill_type, reuse_level FROM esco_skills").fetch(&mut *tx);
    while let Some(row) = rows.try_next().await? {
        let uri: String = row.try_get(0)?;
        let labels = take_labels(&uri);
        let descriptions = descriptions.remove(&uri).unwrap_or_default();
        data.skills.push(EscoSkill {
            labels,
            descriptions,
            uri,
            skill_type: row.try_get(1)?,
            reuse_level: row.try_get(2)?,
        });
    }
    drop(rows);
    let mut rows = sqlx::query("SELECT uri, code FROM esco_groups").fetch(&mut *tx);
    while let Some(row) = rows.try_next().await? {
        let uri: String = row.try_get(0)?;
        data.groups.push(EscoGroup { labels: take_labels(&uri), uri, code: row.try_get(1)? });
    }
    drop(rows);
    let mut occupations = HashMap::new();
    let mut rows = sqlx::query("SELECT uri, code FROM esco_occupations").fetch(&mut *tx);
    while let Some(row) = rows.try_next().await? {
        let uri: String = row.try_get(0)?;
        occupations.insert(uri.clone(), data.occupations.len());
        let labels = take_labels(&uri);
        data.occupations.push(EscoOccupation {
            labels,
            uri,
            code: row.try_get(1)?,
            essential: vec![],
            optional: vec![],
        });
    }
    drop(rows);
    let mut rows = sqlx::query("SELECT occupation, skill, kind FROM esco_occupation_skills").fetch(&mut *tx);
    while let Some(row) = rows.try_next().await? {
        let uri: &str = row.try_get(0)?;
        let occupation = occupations.get(uri).and_then(|&ix| data.occupations.get_mut(ix)).ok_or_else(|| {
            sqlx::Error::Protocol(format!(
                "esco_occupation_skills names occupation {uri}, which esco_occupations lacks"
            ))
        })?;
        let kind: &str = row.try_get(2)?;
        let list = if kind == "essential" { &mut occupation.essential } else { &mut occupation.optional };
        list.push(row.try_get(1)?);
    }
    drop(rows);
    let mut rows = sqlx::query("SELECT concept, broader FROM esco_broader").fetch(&mut *tx);
    while let Some(row) = rows.try_next().await? {
        data.broader.push((row.try_get(0)?, row.try_get(1)?));
    }
    drop(rows);
    let mut rows = sqlx::query("SELECT from_skill, to_skill, kind FROM esco_skill_relations").fetch(&mut *tx);
    while let Some(row) = rows.try_next().await? {
        data.relations.push(EscoRelation { from: row.try_get(0)?, to: row.try_get(1)?, kind: row.try_get(2)? });
    }
    drop(rows);
    tx.rollback().await?;
    data.canonicalize();
    Ok(Some(data))
}

type LabelsByConcept = HashMap<String, Vec<(i64, Label)>>;

async fn load_labels(conn: &mut AnyConnection) -> Result<LabelsByConcept, sqlx::Error> {
    let mut labels = LabelsByConcept::new();
    let mut rows = sqlx::query("SELECT concept, position, lang, text, preferred FROM esco_labels").fetch(conn);
    while let Some(row) = rows.try_next().await? {
        let code: &str = row.try_get(2)?;
        let lang = Lang::parse(code)
            .ok_or_else(|| sqlx::Error::Protocol(format!("esco_labels holds a label in unknown language {code:?}")))?;
        let label = (row.try_get(1)?, Label { lang, text: row.try_get(3)?, preferred: get_bool(&row, 4)? });
        let concept: &str = row.try_get(0)?;
        match labels.get_mut(concept) {
            Some(list) => list.push(label),
            None => {
                labels.insert(concept.to_owned(), vec![label]);
            }
        }
    }
    Ok(labels)
}

#[cfg(test)]
mod tests {
    use hrmesh_kit::config::{Config, Mode};
    use sqlx::{Connection, Executor};

    use super::*;
    use crate::esco::fixture;

    /// A migrated skills database of its own: a SQLite file in a temp dir, or a fresh PostgreSQL database.
    struct TestDb {
        db: Database,
        _dir: tempfile::TempDir,
        postgres: Option<String>,
    }

    fn postgres_url(database: &str) -> String {
        let base =
            std::env::var("HRMESH_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
        format!("{base}/{database}")
    }

    impl TestDb {
        async fn new(mode: Mode) -> Self {
            let dir = tempfile::tempdir().expect("temp dir");
            let mut config = Config { data_dir: dir.path().to_path_buf(), mode, ..Config::default() };
            let mut postgres = None;
            if mode == Mode::Platform {
                let name = format!("esco_{}", uuid::Uuid::now_v7().simple());
                let mut admin = sqlx::PgConnection::connect(&postgres_url("postgres")).await.expect("PostgreSQL");
                admin.execute(AssertSqlSafe(format!("CREATE DATABASE {name}"))).await.expect("create database");
                config.database.url = postgres_url(&name);
                postgres = Some(name);
            }
            let db = Database::connect(&config, crate::NAME).await.expect("connect");
            db.migrate(crate::definition().migrations).await.expect("migrate");
            Self { db, _dir: dir, postgres }
        }

        async fn drop(self) {
            self.db.close().await;
            if let Some(name) = self.postgres {
                let mut admin = sqlx::PgConnection::connect(&postgres_url("postgres")).await.expect("PostgreSQL");
                admin
                    .execute(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                    .await
                    .expect("drop");
            }
        }

        async fn count(&self, table: &str) -> i64 {
            let sql = format!("SELECT COUNT(*) FROM {table}");
            sqlx::query_scalar(AssertSqlSafe(sql)).fetch_one(self.db.pool()).await.expect("count")
        }
    }

    async fn import_load_and_reimport(mode: Mode) {
        let t = TestDb::new(mode).await;
        assert_eq!(current_import(&t.db).await.expect("current"), None);
        assert!(load(&t.db).await.expect("load").is_none(), "nothing imported yet");

        let export = tempfile::tempdir().expect("temp dir");
        fixture::write(export.path());
        let (parsed, _) = parse_dir(export.path()).expect("valid export");
        let report = import(&t.db, export.path()).await.expect("import");
        assert_eq!(report.import_id, Some(1));
        assert_eq!(report.counts, parsed.counts());
        assert_eq!(load(&t.db).await.expect("load"), Some(parsed.clone()), "the loaded set is the parsed one");

        let again = import(&t.db, export.path()).await.expect("second import");
        assert_eq!(again.import_id, Some(2));
        assert_eq!(current_import(&t.db).await.expect("current"), Some(2));
        assert_eq!(load(&t.db).await.expect("load"), Some(parsed.clone()), "a re-run stores the same set");
        let counts = parsed.counts();
        assert_eq!(t.count("esco_skills").await, 3);
        assert_eq!(t.count("esco_occupation_skills").await, 3);
        assert_eq!(t.count("esco_labels").await, i64::try_from(counts.labels).expect("count"));
        assert_eq!(t.count("esco_imports").await, 2);

        // A malformed export fails before the transaction and leaves the set as it was.
        let broken = tempfile::tempdir().expect("temp dir");
        fixture::write(broken.path());
        let skills = fixture::skills_file();
        fixture::write_file(broken.path(), "skills_en.csv", &skills[..skills.len() - 20]);
        let failed = import(&t.db, broken.path()).await.expect_err("truncated skills file");
        assert!(
            matches!(failed, EscoError::Malformed { ref file, line: 6, .. } if file == "skills_en.csv"),
            "{failed}"
        );
        assert_eq!(current_import(&t.db).await.expect("current"), Some(2));
        assert_eq!(load(&t.db).await.expect("load"), Some(parsed));
        t.drop().await;
    }

    #[tokio::test]
    async fn import_replaces_the_set_and_load_returns_it_sqlite() {
        import_load_and_reimport(Mode::Embedded).await;
    }

    #[tokio::test]
    async fn import_replaces_the_set_and_load_returns_it_postgres() {
        import_load_and_reimport(Mode::Platform).await;
    }

    #[tokio::test]
    async fn a_failing_statement_rolls_the_whole_import_back() {
        let t = TestDb::new(Mode::Embedded).await;
        let export = tempfile::tempdir().expect("temp dir");
        fixture::write(export.path());
        import(&t.db, export.path()).await.expect("import");
        let (mut data, _) = parse_dir(export.path()).expect("valid export");
        // Two skills with one URI pass no parser, but make the database refuse the batch.
        let twin = data.skills.first().cloned().expect("a skill");
        data.skills.push(twin);
        data.occupations.clear();
        let err = store(&t.db, &data, "test").await.expect_err("duplicate key");
        assert!(hrmesh_kit::db::is_unique_violation(&err), "{err}");
        assert_eq!(t.count("esco_occupations").await, 2, "the deletes were rolled back");
        assert_eq!(current_import(&t.db).await.expect("current"), Some(1));
        t.drop().await;
    }

    #[test]
    fn insert_statements_number_their_parameters_row_by_row() {
        assert_eq!(insert_sql("t (a, b)", 2, 2), "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)");
    }
}
