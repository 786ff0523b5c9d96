//! Storage: one sqlx `Any` pool per service — a SQLite file per service in embedded mode, the
//! service's own schema in PostgreSQL in platform mode. Queries are written once, in the SQL both
//! understand (`$1` placeholders, `ON CONFLICT`, `RETURNING`, BIGINT millisecond timestamps).

use std::{str::FromStr, sync::LazyLock, time::Duration};

use sqlx::{
    Any, AnyPool, AssertSqlSafe, Connection, Executor, Transaction,
    any::{AnyConnectOptions, AnyPoolOptions},
    migrate::Migrator,
};

use crate::config::{Config, Mode};

/// Which engine is behind a [`Database`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How many rows of `params_per_row` bound parameters one multi-row statement should carry.
/// SQLite looks up `$N` parameters by a linear scan, so large statements cost quadratic time
/// there; PostgreSQL prefers few round trips.
pub fn rows_per_statement(conn: &sqlx::AnyConnection, params_per_row: usize) -> usize {
    let budget = if conn.backend_name() == "SQLite" { 240 } else { 30_000 };
    (budget / params_per_row.max(1)).max(1)
}

/// A flag stored as BIGINT 0/1 (sqlx's Any driver cannot read SQLite's BOOLEAN).
pub fn get_bool(row: &sqlx::any::AnyRow, index: usize) -> Result<bool, sqlx::Error> {
    use sqlx::Row;
    row.try_get::<i64, _>(index).map(|v| v != 0)
}

/// Creates `dir` readable by this user only, and the SQLite file `path` (if missing) with mode
/// 0600; SQLite gives its `-wal` and `-shm` files the database file's mode. Personal data at rest
/// is never world-readable.
pub fn create_private_file(dir: &std::path::Path, path: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        std::fs::OpenOptions::new().create(true).append(true).mode(0o600).open(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        for suffix in ["-wal", "-shm"] {
            let side = path
                .with_file_name(format!("{}{suffix}", path.file_name().and_then(|n| n.to_str()).unwrap_or_default()));
            if side.exists() {
                std::fs::set_permissions(&side, std::fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    Ok(())
}

/// Whether `err` is a violated unique or primary key.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    err.as_database_error().is_some_and(|d| d.is_unique_violation())
}

/// A service's database.
#[derive(Debug, Clone)]
pub struct Database {
    pool: AnyPool,
    backend: Backend,
}

/// The kit's own tables (outbox, inbox); tracked apart from each service's migrations.
static KIT_MIGRATIONS: LazyLock<Migrator> = LazyLock::new(|| {
    let mut migrator = sqlx::migrate!("./migrations");
    migrator.dangerous_set_table_name("_hrmesh_kit_migrations");
    migrator
});

impl Database {
    /// Connects to `service`'s database, creating the file or schema when missing.
    pub async fn connect(config: &Config, service: &str) -> anyhow::Result<Self> {
        sqlx::any::install_default_drivers();
        match config.mode {
            Mode::Embedded => {
                let path = config.data_dir.join(format!("{service}.db"));
                create_private_file(&config.data_dir, &path)?;
                let url = format!("sqlite://{}?mode=rwc", path.display());
                let pool = AnyPoolOptions::new()
                    .max_connections(4)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                                 PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON; \
                                 PRAGMA secure_delete = ON;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await?;
                Ok(Self { pool, backend: Backend::Sqlite })
            }
            Mode::Platform => {
                let schema = service.to_owned();
                let options = AnyConnectOptions::from_str(&config.database.url)?;
                let mut admin = sqlx::AnyConnection::connect_with(&options).await?;
                admin.execute(AssertSqlSafe(format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\""))).await?;
                admin.close().await?;
                let search_path = format!("SET search_path TO \"{schema}\"");
                let pool = AnyPoolOptions::new()
                    .max_connections(config.database.max_connections)
                    .acquire_timeout(Duration::from_secs(10))
                    .after_connect(move |conn, _| {
                        let search_path = search_path.clone();
                        Box::pin(async move {
                            conn.execute(AssertSqlSafe(search_path)).await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?;
                Ok(Self { pool, backend: Backend::Postgres })
            }
        }
    }

    /// Applies the kit's migrations, then the service's (each under sqlx's advisory lock).
    pub async fn migrate(&self, service: &Migrator) -> anyhow::Result<()> {
        KIT_MIGRATIONS.run(&self.pool).await?;
        service.run(&self.pool).await?;
        Ok(())
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a write transaction. SQLite takes the write lock up front (`BEGIN IMMEDIATE`) so
    /// concurrent writers wait instead of failing on a stale snapshot.
    pub async fn begin(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// After personal data was deleted: SQLite moves every page out of the write-ahead log
    /// into the database (where `secure_delete` has zeroed what was deleted) and truncates the
    /// log, so no old copy stays readable in the WAL file. PostgreSQL needs nothing here: its
    /// storage is not in the data directory an embedded user can read.
    pub async fn scrub_deleted(&self) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await?;
        }
        Ok(())
    }

    /// Closes the pool, waiting for connections in use.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
