//! `hrmesh skills import-esco`: the real binary imports the shared ESCO export completely, a re-run
//! changes nothing, and a malformed export fails naming file and line while the previous set stays.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    time::{Duration, Instant},
};

use hrmesh_kit::{
    config::{Config, Mode},
    db::Database,
};
use sqlx::{AssertSqlSafe, Connection, Executor};

use crate::helpers::postgres_url;

/// Files an export must have; everything but skills_en.csv is copied into the malformed export.
const REQUIRED: [&str; 7] = [
    "skills_en.csv",
    "skillGroups_en.csv",
    "skillsHierarchy_en.csv",
    "broaderRelationsSkillPillar.csv",
    "skillSkillRelations.csv",
    "occupations_en.csv",
    "occupationSkillRelations.csv",
];

/// Rows of ESCO v1.1.1 as SOURCE.md counts them, and what the import keeps of them.
const SKILLS: i64 = 13_896;
const OCCUPATIONS: i64 = 3_007;
const SKILL_RELATIONS: i64 = 5_899;
const OCCUPATION_SKILL_ROWS: i64 = 123_855;
/// 67 rows of occupationSkillRelations.csv name an occupation occupations_en.csv lacks.
const OCCUPATION_SKILLS: i64 = OCCUPATION_SKILL_ROWS - 67;
/// skillGroups_en.csv's 640 and 7 listed only in skillsHierarchy_en.csv.
const GROUPS: i64 = 647;
const BROADER: i64 = 20_656;

fn esco_dir() -> PathBuf {
    hrmesh_skills::esco::default_dir().expect(
        "the shared ESCO export is missing: set HRMESH_ESCO_DIR to the directory holding skills_en.csv \
         (see /work/shared/data/esco/SOURCE.md)",
    )
}

/// Runs `hrmesh [--config config] skills import-esco dir` with only the given HRMESH_* settings.
fn import_esco(dir: &Path, config: Option<&Path>, env: &[(&str, &str)]) -> Output {
    // The test binary lives in target/<profile>/deps; the hrmesh binary one level up.
    let exe = std::env::current_exe().expect("test binary");
    let hrmesh = exe.parent().and_then(|deps| deps.parent()).expect("target dir").join("hrmesh");
    assert!(hrmesh.exists(), "build the hrmesh binary first (cargo build -p hrmesh): {}", hrmesh.display());
    let mut command = Command::new(&hrmesh);
    for (key, _) in std::env::vars() {
        if key.starts_with("HRMESH_") {
            command.env_remove(key);
        }
    }
    if let Some(config) = config {
        command.arg("--config").arg(config);
    }
    let mut child = command
        .args(["skills", "import-esco"])
        .arg(dir)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run hrmesh");
    let deadline = Instant::now() + Duration::from_secs(180);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("hrmesh skills import-esco {} did not finish in 180 s", dir.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}

fn succeeded(output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "import failed: {}\n{stdout}", String::from_utf8_lossy(&output.stderr));
    stdout
}

/// Row counts of the stored set: skills, groups, broader, skill relations, occupations,
/// occupation-skill relations, labels, imports.
async fn counts(config: &Config) -> [i64; 8] {
    let db = Database::connect(config, hrmesh_skills::NAME).await.expect("skills database");
    let tables = [
        "esco_skills",
        "esco_groups",
        "esco_broader",
        "esco_skill_relations",
        "esco_occupations",
        "esco_occupation_skills",
        "esco_labels",
        "esco_imports",
    ];
    let mut counts = [0; 8];
    for (count, table) in counts.iter_mut().zip(tables) {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        *count = sqlx::query_scalar(AssertSqlSafe(sql)).fetch_one(db.pool()).await.expect("count");
    }
    db.close().await;
    counts
}

fn assert_complete(counts: [i64; 8], imports: i64) {
    let [skills, groups, broader, relations, occupations, occupation_skills, labels, imported] = counts;
    assert_eq!(
        (skills, occupations, relations, occupation_skills),
        (SKILLS, OCCUPATIONS, SKILL_RELATIONS, OCCUPATION_SKILLS)
    );
    assert_eq!((groups, broader, imported), (GROUPS, BROADER, imports));
    assert!(labels > 150_000, "English, Dutch and German labels: {labels}");
}

fn assert_reports_every_file(stdout: &str) {
    for line in [
        format!("skills_en.csv: {SKILLS} records"),
        format!("occupations_en.csv: {OCCUPATIONS} records"),
        format!("skillSkillRelations.csv: {SKILL_RELATIONS} records"),
        format!("occupationSkillRelations.csv: {OCCUPATION_SKILL_ROWS} records"),
        "left out: occupationSkillRelations.csv: 67 relations name 1 occupation not in occupations_en.csv".to_owned(),
        hrmesh_skills::esco::ATTRIBUTION.to_owned(),
    ] {
        assert!(stdout.contains(&line), "missing {line:?} in:\n{stdout}");
    }
    assert!(stdout.lines().any(|l| l.starts_with("time: ") && l.ends_with(" s)")), "{stdout}");
}

/// An export whose skills_en.csv ends in the middle of a record; returns the line it starts on.
fn truncated_export(source: &Path, into: &Path) -> u64 {
    for file in REQUIRED.iter().skip(1) {
        std::fs::copy(source.join(file), into.join(file)).expect("copy ESCO file");
    }
    let skills = std::fs::read(source.join("skills_en.csv")).expect("read skills_en.csv");
    // Records end in CRLF, quoted newlines are bare LF: cut after record 5000, and 60 bytes into the next.
    let boundary = skills.windows(2).enumerate().filter(|(_, w)| w == b"\r\n").nth(5_000).map(|(i, _)| i + 2);
    let boundary = boundary.expect("more than 5000 records");
    std::fs::write(into.join("skills_en.csv"), &skills[..boundary + 60]).expect("write truncated file");
    1 + skills[..boundary].iter().filter(|&&b| b == b'\n').count() as u64
}

#[tokio::test]
async fn imports_the_shared_export_twice_without_duplicates_and_survives_a_malformed_one() {
    let source = esco_dir();
    let data = tempfile::tempdir().expect("temp dir");
    let data_dir = data.path().to_str().expect("utf-8 path");
    let env = [("HRMESH_MODE", "embedded"), ("HRMESH_DATA_DIR", data_dir)];
    let config = Config { data_dir: data.path().to_path_buf(), ..Config::default() };

    assert_reports_every_file(&succeeded(&import_esco(&source, None, &env)));
    let first = counts(&config).await;
    assert_complete(first, 1);

    assert_reports_every_file(&succeeded(&import_esco(&source, None, &env)));
    let second = counts(&config).await;
    assert_complete(second, 2);
    assert_eq!(first[..7], second[..7], "a re-run stores the same rows");

    let broken = tempfile::tempdir().expect("temp dir");
    let line = truncated_export(&source, broken.path());
    let output = import_esco(broken.path(), None, &env);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "a truncated skills_en.csv must fail the import");
    let location = format!("skills_en.csv line {line}: ");
    assert!(stderr.contains(&location), "expected {location:?} in: {stderr}");
    assert!(stderr.contains("expected 13 fields") || stderr.contains("unbalanced quotes"), "{stderr}");
    assert_eq!(counts(&config).await, second, "the failed import left the previous set");
}

#[test]
fn a_directory_without_an_export_is_named() {
    let empty = tempfile::tempdir().expect("temp dir");
    let data = tempfile::tempdir().expect("temp dir");
    let env = [("HRMESH_DATA_DIR", data.path().to_str().expect("utf-8 path"))];
    let output = import_esco(empty.path(), None, &env);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    let expected = format!("skills_en.csv: required ESCO file missing in {}", empty.path().display());
    assert!(stderr.contains(&expected), "expected {expected:?} in: {stderr}");
}

#[tokio::test]
async fn imports_into_postgresql_in_platform_mode() {
    let source = esco_dir();
    let database = format!("it_esco_{}", uuid::Uuid::now_v7().simple());
    let mut admin = sqlx::PgConnection::connect(&postgres_url("postgres")).await.expect("connect to PostgreSQL");
    admin.execute(AssertSqlSafe(format!("CREATE DATABASE {database}"))).await.expect("create database");
    let dir = tempfile::tempdir().expect("temp dir");
    let config_file = dir.path().join("platform.toml");
    std::fs::write(
        &config_file,
        format!(
            "mode = \"platform\"\n[database]\nurl = \"{}\"\n\
             [[auth.keys]]\nkid = \"k\"\nalgorithm = \"HS256\"\nkey = \"0123456789abcdef0123456789abcdef\"\n",
            postgres_url(&database)
        ),
    )
    .expect("write config");

    let stdout = succeeded(&import_esco(&source, Some(&config_file), &[]));
    assert_reports_every_file(&stdout);
    let mut config = Config { mode: Mode::Platform, ..Config::default() };
    config.database.url = postgres_url(&database);
    assert_complete(counts(&config).await, 1);

    admin
        .execute(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)")))
        .await
        .expect("drop database");
}
