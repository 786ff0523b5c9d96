//! Cache and short-lived state: Redis in platform mode, process memory in embedded mode.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use redis::AsyncCommands;

use crate::config::{Config, Mode};

/// Values with their expiry, for embedded mode.
type MemoryMap = Arc<Mutex<HashMap<String, (Vec<u8>, Instant)>>>;

/// A key-value cache with expiry; every key gets the configured prefix.
#[derive(Clone)]
pub enum Cache {
    Memory(MemoryMap),
    Redis { conn: redis::aio::ConnectionManager, prefix: String },
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cache::Memory(_) => f.write_str("Cache::Memory"),
            Cache::Redis { prefix, .. } => write!(f, "Cache::Redis({prefix})"),
        }
    }
}

impl Cache {
    pub async fn connect(config: &Config) -> anyhow::Result<Self> {
        match config.mode {
            Mode::Embedded => Ok(Cache::Memory(Arc::default())),
            Mode::Platform => {
                let client = redis::Client::open(config.redis.url.as_str())?;
                let conn = redis::aio::ConnectionManager::new(client).await?;
                Ok(Cache::Redis { conn, prefix: config.redis.key_prefix.clone() })
            }
        }
    }

    pub async fn get(&self, key: &str) -> anyhow::Result<Option<Vec<u8>>> {
        match self {
            Cache::Memory(map) => {
                let mut map = map.lock().map_err(|_| anyhow::anyhow!("cache lock poisoned"))?;
                match map.get(key) {
                    Some((value, expires)) if *expires > Instant::now() => Ok(Some(value.clone())),
                    Some(_) => {
                        map.remove(key);
                        Ok(None)
                    }
                    None => Ok(None),
                }
            }
            Cache::Redis { conn, prefix } => Ok(conn.clone().get(format!("{prefix}{key}")).await?),
        }
    }

    pub async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> anyhow::Result<()> {
        match self {
            Cache::Memory(map) => {
                let mut map = map.lock().map_err(|_| anyhow::anyhow!("cache lock poisoned"))?;
                map.insert(key.to_owned(), (value.to_vec(), Instant::now() + ttl));
                Ok(())
            }
            Cache::Redis { conn, prefix } => {
                let secs = ttl.as_secs().max(1);
                let () = conn.clone().set_ex(format!("{prefix}{key}"), value, secs).await?;
                Ok(())
            }
        }
    }

    /// Sets `key` only if it holds no (unexpired) value; returns whether it was set.
    pub async fn set_if_absent(&self, key: &str, value: &[u8], ttl: Duration) -> anyhow::Result<bool> {
        match self {
            Cache::Memory(map) => {
                let mut map = map.lock().map_err(|_| anyhow::anyhow!("cache lock poisoned"))?;
                let now = Instant::now();
                if map.get(key).is_some_and(|(_, expires)| *expires > now) {
                    return Ok(false);
                }
                map.insert(key.to_owned(), (value.to_vec(), now + ttl));
                Ok(true)
            }
            Cache::Redis { conn, prefix } => {
                let options = redis::SetOptions::default()
                    .conditional_set(redis::ExistenceCheck::NX)
                    .with_expiration(redis::SetExpiry::EX(ttl.as_secs().max(1)));
                let set: Option<String> = conn.clone().set_options(format!("{prefix}{key}"), value, options).await?;
                Ok(set.is_some())
            }
        }
    }

    pub async fn delete(&self, key: &str) -> anyhow::Result<()> {
        match self {
            Cache::Memory(map) => {
                map.lock().map_err(|_| anyhow::anyhow!("cache lock poisoned"))?.remove(key);
                Ok(())
            }
            Cache::Redis { conn, prefix } => {
                let _: i64 = conn.clone().del(format!("{prefix}{key}")).await?;
                Ok(())
            }
        }
    }
}
