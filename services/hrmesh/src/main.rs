//! `hrmesh`: run the HR platform.

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
    time::Duration,
};

mod people_import;

use anyhow::Context;
use clap::{Parser, Subcommand};
use hrmesh_kit::{
    auth::{Role, TokenIssuer},
    config::{Config, Mode},
    db::Database,
    runtime,
};

/// hrmesh: an event-driven HR platform with privacy and human control built in.
///
/// Quick start (nothing else to install):
///   hrmesh up                                  # every service on 127.0.0.1:50051, data in ./data
///   hrmesh token --role hr_admin               # a token for grpcurl / your client
///
/// Settings come from built-in defaults, then the TOML file given with --config, then
/// HRMESH_* environment variables (nested keys with a double underscore: HRMESH_GRPC__PORT).
#[derive(Debug, Parser)]
#[command(name = "hrmesh", version, verbatim_doc_comment)]
struct Cli {
    /// TOML configuration file.
    #[arg(long, global = true, env = "HRMESH_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run every service in this process (embedded mode: SQLite and a durable event log in the data directory).
    Up {
        /// Where data lives (default: ./data).
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// gRPC port (default: 50051; 0 picks a free one).
        #[arg(long)]
        port: Option<u16>,
    },
    /// Run one service in platform mode (PostgreSQL, Kafka, Redis), e.g. `hrmesh serve recruiting`.
    Serve {
        /// governance, people, recruiting, onboarding, analytics, engagement, skills, performance or selfservice.
        service: String,
    },
    /// Apply database migrations and exit (all services, or the ones named).
    Migrate { services: Vec<String> },
    /// Print a signed access token (uses the embedded key, or the first HS256 key in auth.keys).
    Token {
        /// One or more of: hr_admin, manager, employee, candidate, dpo, service.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Who the token is for.
        #[arg(long, default_value = "dev")]
        subject: String,
        /// Lifetime in minutes.
        #[arg(long, default_value_t = 60)]
        ttl_minutes: u64,
    },
    /// Inspect the audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Manage the skills service's data.
    Skills {
        #[command(subcommand)]
        command: SkillsCommand,
    },
    /// Manage the people service's data.
    People {
        #[command(subcommand)]
        command: PeopleCommand,
    },
}

#[derive(Debug, Subcommand)]
enum PeopleCommand {
    /// Import employees (org units, managers, contracts) from an HRIS export in CSV or JSON, through
    /// the running people service. Every bad row is listed with its line; nothing is written
    /// unless the whole file is valid; importing the same file again changes nothing.
    Import {
        /// The CSV (header row) or JSON (array of objects) file.
        file: PathBuf,
        /// Our field name = the file's column, for columns named differently, e.g.
        /// `--map employee_id=Personeelsnummer --map full_name=Naam`.
        #[arg(long = "map", value_name = "FIELD=COLUMN")]
        mappings: Vec<String>,
        /// csv or json (guessed from the content when left out).
        #[arg(long, default_value = "")]
        format: String,
        /// Only check the file; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// The people service (default: this machine's embedded server, or peers.people).
        #[arg(long)]
        endpoint: Option<String>,
        /// An hr_admin token (default: one signed with the configured key, as `hrmesh token` does).
        #[arg(long, env = "HRMESH_TOKEN")]
        token: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check the hash chain, every signed Merkle tree head and chain head of the audit trail, and
    /// the witness file in the data directory; lists every finding and exits 2 on any modified,
    /// deleted, inserted, reordered or re-hashed record, truncated tail, deleted or forged head.
    Verify,
}

#[derive(Debug, Subcommand)]
enum SkillsCommand {
    /// Import the ESCO classification from the official CSV export (skills_en.csv, skillGroups_en.csv,
    /// skillsHierarchy_en.csv, occupations_en.csv, the relation files, and nl/de label files when
    /// present), replacing the set imported before. Nothing changes if any file is malformed.
    ImportEsco {
        /// Directory of the unzipped export.
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn load(cli_config: Option<&PathBuf>, mode: Option<Mode>) -> anyhow::Result<Config> {
    let mut config = Config::load(cli_config.map(PathBuf::as_path))?;
    if let Some(mode) = mode {
        config.mode = mode;
        config.validate()?;
    }
    Ok(config)
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Up { data_dir, port } => {
            let mut config = load(cli.config.as_ref(), Some(Mode::Embedded))?;
            if let Some(dir) = data_dir {
                config.data_dir = dir;
            }
            if let Some(port) = port {
                config.grpc.port = port;
            }
            serve(config, hrmesh::all_services()).await
        }
        Command::Serve { service } => {
            let def = hrmesh::service(&service).map_err(anyhow::Error::msg)?;
            let config = load(cli.config.as_ref(), Some(Mode::Platform))?;
            serve(config, vec![def]).await
        }
        Command::Migrate { services } => {
            let config = load(cli.config.as_ref(), None)?;
            let _telemetry = hrmesh_kit::telemetry::init("hrmesh", &config.telemetry)?;
            let defs = if services.is_empty() {
                hrmesh::all_services()
            } else {
                services.iter().map(|s| hrmesh::service(s)).collect::<Result<_, _>>().map_err(anyhow::Error::msg)?
            };
            runtime::migrate(&config, &defs).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Token { roles, subject, ttl_minutes } => {
            let config = load(cli.config.as_ref(), None)?;
            let roles = roles
                .iter()
                .map(|r| {
                    Role::parse(r).ok_or_else(|| {
                        let all: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
                        anyhow::anyhow!("unknown role {r:?}: use one of {}", all.join(", "))
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let token = issue(&config, &subject, &roles, Duration::from_secs(ttl_minutes * 60))?;
            print_line(&token);
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit { command: AuditCommand::Verify } => {
            let config = load(cli.config.as_ref(), None)?;
            let db = Database::connect(&config, hrmesh_governance::NAME).await?;
            let verdict = hrmesh_governance::verify_report(&db, &config).await;
            db.close().await;
            let report = verdict?;
            let witness = hrmesh_governance::witness_path(&config);
            if report.findings.is_empty() {
                print_line(&format!(
                    "audit trail intact: {} records, {} signed tree heads and {} chain heads verified",
                    report.records, report.tree_heads, report.chain_heads
                ));
                let witnessed = match report.witnessed {
                    Some(size) => format!("witness {}: head over {size} records matches", witness.display()),
                    None => format!(
                        "no witness file at {}: a trail truncated together with its heads would go unnoticed",
                        witness.display()
                    ),
                };
                print_line(&witnessed);
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("audit trail TAMPERED ({} findings):", report.findings.len());
                for finding in &report.findings {
                    eprintln!("  - {finding}");
                }
                Ok(ExitCode::from(2))
            }
        }
        Command::Skills { command: SkillsCommand::ImportEsco { dir } } => {
            let config = load(cli.config.as_ref(), None)?;
            import_esco(&config, &dir).await
        }
        Command::People { command: PeopleCommand::Import { file, mappings, format, dry_run, endpoint, token } } => {
            let config = load(cli.config.as_ref(), None)?;
            let token = match token {
                Some(token) => token,
                None => issue(&config, "hrmesh-cli", &[Role::HrAdmin], Duration::from_secs(600))?,
            };
            let endpoint = endpoint.unwrap_or_else(|| match (config.mode, config.peers.get("people")) {
                (_, Some(peer)) => peer.clone(),
                (Mode::Embedded, None) => format!("http://127.0.0.1:{}", config.grpc.port),
                (Mode::Platform, None) => "http://hrmesh-people:50051".to_owned(),
            });
            people_import::run(&endpoint, &token, &file, &mappings, &format, dry_run).await
        }
    }
}

/// A token signed with the configured key (the embedded key in embedded mode).
fn issue(config: &Config, subject: &str, roles: &[Role], ttl: Duration) -> anyhow::Result<String> {
    let mut auth = config.auth.clone();
    if config.mode == Mode::Embedded && auth.keys.is_empty() {
        auth.keys.push(hrmesh_kit::auth::embedded_key(config)?);
    }
    TokenIssuer::from_config(&auth)?.issue(subject, roles, ttl)
}

async fn import_esco(config: &Config, dir: &Path) -> anyhow::Result<ExitCode> {
    let db = Database::connect(config, hrmesh_skills::NAME).await?;
    let imported = match db.migrate(hrmesh_skills::definition().migrations).await {
        Ok(()) => hrmesh_skills::esco::import(&db, dir).await.map_err(anyhow::Error::from),
        Err(e) => Err(anyhow::anyhow!("migrating {}: {e}", hrmesh_skills::NAME)),
    };
    db.close().await;
    let report = imported.with_context(|| format!("importing ESCO from {}", dir.display()))?;
    for (file, records) in &report.files {
        print_line(&format!("{file}: {records} records"));
    }
    for skipped in &report.skipped {
        print_line(&format!("left out: {skipped}"));
    }
    let c = report.counts;
    print_line(&format!(
        "ESCO import #{}: {} skills, {} skill groups, {} broader relations, {} skill relations, {} occupations, \
         {} occupation-skill relations, {} labels",
        report.import_id.unwrap_or_default(),
        c.skills,
        c.groups,
        c.broader,
        c.relations,
        c.occupations,
        c.occupation_skills,
        c.labels
    ));
    print_line(&format!(
        "time: {:.2} s (parse and validate {:.2} s, store {:.2} s)",
        report.elapsed.as_secs_f64(),
        report.parse.as_secs_f64(),
        report.store.as_secs_f64()
    ));
    print_line(hrmesh_skills::esco::ATTRIBUTION);
    print_line(hrmesh_skills::esco::ADAPTATION);
    Ok(ExitCode::SUCCESS)
}

/// Command output for people and scripts.
#[allow(clippy::print_stdout)]
fn print_line(line: &str) {
    println!("{line}");
}

async fn serve(config: Config, defs: Vec<hrmesh_kit::service::ServiceDef>) -> anyhow::Result<ExitCode> {
    let name = match defs.as_slice() {
        [one] => format!("hrmesh-{}", one.name),
        _ => "hrmesh".to_owned(),
    };
    let _telemetry = hrmesh_kit::telemetry::init(&name, &config.telemetry)?;
    let running = runtime::start(config, &defs).await?;
    let shutdown = running.shutdown_token();
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("signal received, shutting down");
        shutdown.cancel();
    });
    running.wait().await?;
    Ok(ExitCode::SUCCESS)
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
