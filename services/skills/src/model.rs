//! The loaded competence model — taxonomy, graph and extractor — swapped as a whole when a new
//! ESCO import appears, so a request always sees one consistent version.

use std::{
    sync::{Arc, RwLock},
    time::Duration,
};

use hrmesh_kit::db::Database;
use tokio_util::sync::CancellationToken;

use crate::{esco, extract::Extractor, graph::CompetenceGraph, rank::Ranker, taxonomy::Taxonomy};

/// How often a running service looks for a newer ESCO import.
const RELOAD_INTERVAL: Duration = Duration::from_secs(10);

#[derive(Debug)]
pub struct Model {
    pub taxonomy: Taxonomy,
    pub graph: CompetenceGraph,
    pub extractor: Extractor,
    pub ranker: Ranker,
}

impl Model {
    pub fn new(taxonomy: Taxonomy) -> Self {
        let graph = CompetenceGraph::build(&taxonomy);
        let extractor = Extractor::new(taxonomy.terms());
        let ranker = Ranker::new(&taxonomy);
        Self { taxonomy, graph, extractor, ranker }
    }

    /// The skills `text` shows, best first (see [`crate::rank`]).
    pub fn rank(&self, text: &str, hint: Option<crate::lang::Lang>, k: usize) -> crate::rank::Ranking {
        self.ranker.rank(&self.taxonomy, &self.extractor, text, hint, k)
    }

    /// The attribution to show with results, when ESCO data is part of the model.
    pub fn attribution(&self) -> String {
        if self.taxonomy.uses_esco() { esco::ATTRIBUTION.to_owned() } else { String::new() }
    }
}

#[derive(Debug)]
pub struct Catalog {
    current: RwLock<Arc<Model>>,
}

impl Catalog {
    /// The built-in taxonomy only; [`Catalog::refresh`] merges an ESCO import.
    pub fn builtin() -> anyhow::Result<Self> {
        Ok(Self { current: RwLock::new(Arc::new(Model::new(Taxonomy::builtin()?))) })
    }

    pub fn get(&self) -> Arc<Model> {
        Arc::clone(&self.current.read().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    fn set(&self, model: Model) {
        *self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(model);
    }

    /// Loads the latest ESCO import if it is not the one in use. Returns whether it changed.
    pub async fn refresh(&self, db: &Database) -> anyhow::Result<bool> {
        let latest = esco::current_import(db).await?;
        if latest == self.get().taxonomy.esco_import {
            return Ok(false);
        }
        let Some(import) = latest else { return Ok(false) };
        let Some(data) = esco::load(db).await? else { return Ok(false) };
        let started = std::time::Instant::now();
        let model = tokio::task::spawn_blocking(move || -> anyhow::Result<Model> {
            Ok(Model::new(Taxonomy::builtin()?.with_esco(&data, import)))
        })
        .await??;
        tracing::info!(
            import,
            skills = model.taxonomy.skills.len(),
            occupations = model.taxonomy.occupations.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "ESCO classification loaded"
        );
        self.set(model);
        Ok(true)
    }

    /// Keeps the model in step with the database until cancelled.
    pub async fn follow(self: Arc<Self>, db: Database, shutdown: CancellationToken) {
        loop {
            if let Err(e) = self.refresh(&db).await {
                tracing::warn!(error = %e, "could not load the ESCO classification; keeping the current model");
            }
            tokio::select! {
                () = shutdown.cancelled() => return,
                () = tokio::time::sleep(RELOAD_INTERVAL) => {}
            }
        }
    }
}
