//! CPU-heavy work (text analysis, documents, models) off the request threads.
//!
//! At most one such job runs per core at a time, so the async runtime's threads always stay free
//! for other calls (health checks, consent, reads); a job waits for a slot only briefly and has a
//! deadline. Work must still be bounded by its input limits: a job past its deadline is no longer
//! waited for, but its thread cannot be stopped and keeps its slot until it finishes.

use std::{sync::LazyLock, time::Duration};

use tokio::sync::Semaphore;

use crate::ApiError;

static SLOTS: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZero::get)));

/// How long a job waits for a free slot before the call is refused as busy.
const QUEUE_WAIT: Duration = Duration::from_secs(5);

/// Runs `job` on a blocking thread within `deadline` (including the wait for a slot).
/// `what` names the work in errors ("skill extraction").
pub async fn run<T, F>(what: &str, deadline: Duration, job: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let permit = tokio::time::timeout(QUEUE_WAIT.min(deadline), SLOTS.acquire())
        .await
        .map_err(|_| ApiError::Unavailable(format!("too many {what} jobs at once; retry in a moment")))?
        .map_err(|e| ApiError::Internal(e.into()))?;
    let handle = tokio::task::spawn_blocking(move || {
        let _slot = permit;
        job()
    });
    match tokio::time::timeout(deadline, handle).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(ApiError::Internal(anyhow::anyhow!("{what} failed: {e}"))),
        Err(_) => Err(ApiError::DeadlineExceeded(format!(
            "{what} took longer than {} ms; send a shorter input",
            deadline.as_millis()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn returns_the_result_and_reports_a_missed_deadline() {
        assert_eq!(run("sum", Duration::from_secs(5), || 2 + 2).await.expect("runs"), 4);
        let slow = run("sleep", Duration::from_millis(20), || std::thread::sleep(Duration::from_millis(300))).await;
        assert!(matches!(slow, Err(ApiError::DeadlineExceeded(_))), "{slow:?}");
    }
}
