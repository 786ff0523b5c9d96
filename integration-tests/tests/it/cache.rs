//! The cache: Redis in platform mode, memory in embedded mode, same behaviour.

use std::time::Duration;

use hrmesh_kit::{
    cache::Cache,
    config::{Config, Mode},
};

async fn cache(mode: Mode, prefix: &str) -> Cache {
    let mut config = Config { mode, ..Config::default() };
    config.redis.key_prefix = prefix.to_owned();
    Cache::connect(&config).await.expect("cache")
}

async fn set_get_delete_and_expire(mode: Mode) {
    let prefix = format!("it-{}:", uuid::Uuid::now_v7().simple());
    let cache = cache(mode, &prefix).await;
    assert_eq!(cache.get("consent:cand-1").await.expect("get"), None);
    cache.set("consent:cand-1", b"granted", Duration::from_secs(60)).await.expect("set");
    assert_eq!(cache.get("consent:cand-1").await.expect("get").as_deref(), Some(&b"granted"[..]));
    cache.delete("consent:cand-1").await.expect("delete");
    assert_eq!(cache.get("consent:cand-1").await.expect("get"), None);

    cache.set("short", b"x", Duration::from_secs(1)).await.expect("set");
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(cache.get("short").await.expect("get"), None, "expired");
}

#[tokio::test]
async fn memory_cache_sets_gets_deletes_and_expires() {
    set_get_delete_and_expire(Mode::Embedded).await;
}

#[tokio::test]
async fn redis_cache_sets_gets_deletes_and_expires() {
    set_get_delete_and_expire(Mode::Platform).await;
}

#[tokio::test]
async fn redis_keys_are_isolated_by_prefix() {
    let a = cache(Mode::Platform, &format!("it-{}:", uuid::Uuid::now_v7().simple())).await;
    let b = cache(Mode::Platform, &format!("it-{}:", uuid::Uuid::now_v7().simple())).await;
    a.set("k", b"a", Duration::from_secs(60)).await.expect("set");
    assert_eq!(b.get("k").await.expect("get"), None);
}
