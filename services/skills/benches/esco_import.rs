//! ESCO import benchmark: parsing the shared export, importing it into SQLite and PostgreSQL
//! (first run and re-run), and loading it back. Run `scripts/bench-esco.sh` (release mode).
//!
//! Data: `HRMESH_ESCO_DIR` or the shared directory (see `esco::default_dir`). PostgreSQL:
//! `HRMESH_TEST_POSTGRES` (default postgres://postgres@127.0.0.1:5432); a database of its own is
//! created and dropped.
#![allow(clippy::print_stdout)]

use std::{
    path::Path,
    time::{Duration, Instant},
};

use anyhow::Context;
use hrmesh_kit::{
    config::{Config, Mode},
    db::Database,
};
use hrmesh_skills::esco::{self, Counts};
use sqlx::{AssertSqlSafe, Connection, Executor};

fn main() -> anyhow::Result<()> {
    let dir =
        esco::default_dir().context("no ESCO export found: set HRMESH_ESCO_DIR to the directory of skills_en.csv")?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run(&dir))
}

fn rows(counts: Counts) -> usize {
    counts.skills
        + counts.groups
        + counts.broader
        + counts.relations
        + counts.occupations
        + counts.occupation_skills
        + counts.labels
}

fn per_second(n: usize, time: Duration) -> f64 {
    n as f64 / time.as_secs_f64().max(1e-9)
}

async fn run(dir: &Path) -> anyhow::Result<()> {
    println!("ESCO export: {}", dir.display());
    let started = Instant::now();
    let (data, report) = esco::parse_dir(dir)?;
    let parse = started.elapsed();
    let records: usize = report.files.iter().map(|(_, n)| n).sum();
    let bytes: u64 =
        report.files.iter().filter_map(|(file, _)| std::fs::metadata(dir.join(file)).ok()).map(|m| m.len()).sum();
    let c = data.counts();
    println!(
        "parse: {:.3} s for {} files, {records} records, {:.1} MB ({:.0} records/s, {:.0} MB/s)",
        parse.as_secs_f64(),
        report.files.len(),
        bytes as f64 / 1e6,
        per_second(records, parse),
        bytes as f64 / 1e6 / parse.as_secs_f64().max(1e-9)
    );
    println!(
        "set: {} skills, {} groups, {} broader, {} skill relations, {} occupations, {} occupation-skill relations, \
         {} labels = {} rows",
        c.skills,
        c.groups,
        c.broader,
        c.relations,
        c.occupations,
        c.occupation_skills,
        c.labels,
        rows(c)
    );
    drop(data);

    let data_dir = tempfile::tempdir()?;
    let sqlite = Config { data_dir: data_dir.path().to_path_buf(), ..Config::default() };
    backend("SQLite", &sqlite, dir).await?;

    let base = std::env::var("HRMESH_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let name = format!("bench_esco_{}", uuid::Uuid::now_v7().simple());
    let mut admin = sqlx::PgConnection::connect(&format!("{base}/postgres"))
        .await
        .with_context(|| format!("PostgreSQL at {base} (set HRMESH_TEST_POSTGRES)"))?;
    admin.execute(AssertSqlSafe(format!("CREATE DATABASE {name}"))).await?;
    let mut postgres = Config { mode: Mode::Platform, ..Config::default() };
    postgres.database.url = format!("{base}/{name}");
    let result = backend("PostgreSQL", &postgres, dir).await;
    admin.execute(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))).await?;
    result
}

async fn backend(name: &str, config: &Config, dir: &Path) -> anyhow::Result<()> {
    let db = Database::connect(config, hrmesh_skills::NAME).await?;
    db.migrate(hrmesh_skills::definition().migrations).await?;
    for run in ["import", "re-run"] {
        let report = esco::import(&db, dir).await?;
        let stored = rows(report.counts);
        println!(
            "{name} {run}: {:.3} s total (parse {:.3} s, store {:.3} s, {:.0} rows/s stored)",
            report.elapsed.as_secs_f64(),
            report.parse.as_secs_f64(),
            report.store.as_secs_f64(),
            per_second(stored, report.store)
        );
    }
    let started = Instant::now();
    let loaded = esco::load(&db).await?.context("the set just imported")?;
    let load = started.elapsed();
    let rows = rows(loaded.counts());
    println!("{name} load: {:.3} s ({rows} rows, {:.0} rows/s)", load.as_secs_f64(), per_second(rows, load));
    let started = Instant::now();
    let current = esco::current_import(&db).await?;
    println!("{name} current_import: {:?} in {} µs", current, started.elapsed().as_micros());
    db.close().await;
    Ok(())
}
