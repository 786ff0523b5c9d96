//! The company knowledge base: handbook documents HR uploads per language (Markdown, plain text,
//! PDF or DOCX, split into passages under their headings) and question–answer pairs HR adds,
//! searched with BM25 over stemmed words. An answer quotes its source with title, heading and
//! date; a question nothing answers is said to be unanswered and queued for HR.

mod bm25;
mod passages;
mod questions;
mod upload;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use hrmesh_kit::{ApiError, cpu, locale::Locale, service::ServiceContext, time as clock};
use hrmesh_proto::selfservice::v1 as pb;
use sqlx::AnyConnection;

pub use questions::{add_faq, queue, unanswered};
pub use upload::upload;

/// How many sources an answer quotes at most.
const MAX_CITATIONS: usize = 2;
/// Deadline for indexing a handbook off the request threads.
const CPU_DEADLINE: Duration = Duration::from_secs(10);

/// Something an answer can quote.
#[derive(Debug, Clone)]
struct Source {
    kind: &'static str,
    id: String,
    title: String,
    heading: String,
    text: String,
    dated_ms: i64,
}

/// One language's sources and their index, with the state of the tables it was built from.
struct Loaded {
    generation: (i64, i64, i64, i64),
    sources: Vec<Source>,
    index: bm25::Index,
}

/// The knowledge base's indexes, rebuilt when a document or pair was added.
#[derive(Default)]
pub struct Knowledge {
    loaded: Mutex<HashMap<Locale, Arc<Loaded>>>,
}

impl std::fmt::Debug for Knowledge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Knowledge")
    }
}

/// What the knowledge base says to a question.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    pub answered: bool,
    pub citations: Vec<pb::Citation>,
}

#[derive(sqlx::FromRow)]
struct PassageRow {
    id: String,
    title: String,
    heading: String,
    body: String,
    uploaded_at: i64,
}

#[derive(sqlx::FromRow)]
struct FaqRow {
    id: String,
    question: String,
    answer: String,
    added_at: i64,
}

async fn generation(conn: &mut AnyConnection, locale: Locale) -> Result<(i64, i64, i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM handbook_documents WHERE language = $1),
                (SELECT COALESCE(MAX(uploaded_at), 0) FROM handbook_documents WHERE language = $1),
                (SELECT COUNT(*) FROM faqs WHERE language = $1),
                (SELECT COALESCE(MAX(added_at), 0) FROM faqs WHERE language = $1)",
    )
    .bind(locale.code())
    .fetch_one(conn)
    .await
}

impl Knowledge {
    /// The index of `locale`, rebuilt if the tables changed since it was built.
    async fn index(&self, ctx: &ServiceContext, locale: Locale) -> Result<Arc<Loaded>, ApiError> {
        let mut conn = ctx.db.pool().acquire().await?;
        let generation = generation(&mut conn, locale).await?;
        if let Some(loaded) = self.cached(locale).filter(|l| l.generation == generation) {
            return Ok(loaded);
        }
        let passages: Vec<PassageRow> = sqlx::query_as(
            "SELECT p.id, d.title, p.heading, p.body, d.uploaded_at FROM handbook_passages p
             JOIN handbook_documents d ON d.id = p.document_id WHERE p.language = $1 ORDER BY d.title, p.position",
        )
        .bind(locale.code())
        .fetch_all(&mut *conn)
        .await?;
        let faqs: Vec<FaqRow> =
            sqlx::query_as("SELECT id, question, answer, added_at FROM faqs WHERE language = $1 ORDER BY added_at")
                .bind(locale.code())
                .fetch_all(&mut *conn)
                .await?;
        drop(conn);
        let mut sources: Vec<Source> = passages
            .into_iter()
            .map(|p| Source {
                kind: "handbook",
                id: p.id,
                title: p.title,
                heading: p.heading,
                text: p.body,
                dated_ms: p.uploaded_at,
            })
            .collect();
        sources.extend(faqs.into_iter().map(|f| Source {
            kind: "faq",
            id: f.id,
            title: String::new(),
            heading: f.question,
            text: f.answer,
            dated_ms: f.added_at,
        }));
        let loaded = cpu::run("handbook indexing", CPU_DEADLINE, move || {
            let index = bm25::Index::build(locale, sources.iter().map(|s| format!("{} {}", s.heading, s.text)));
            Loaded { generation, sources, index }
        })
        .await?;
        let loaded = Arc::new(loaded);
        if let Ok(mut map) = self.loaded.lock() {
            map.insert(locale, Arc::clone(&loaded));
        }
        Ok(loaded)
    }

    fn cached(&self, locale: Locale) -> Option<Arc<Loaded>> {
        self.loaded.lock().ok().and_then(|map| map.get(&locale).cloned())
    }

    /// The sources answering `question` in `locale`, if any covers it.
    pub async fn ask(&self, ctx: &ServiceContext, locale: Locale, question: &str) -> Result<Answer, ApiError> {
        let loaded = self.index(ctx, locale).await?;
        let hits = loaded.index.search(question, MAX_CITATIONS * 3);
        let citations: Vec<pb::Citation> = hits
            .iter()
            .filter(|h| h.coverage >= bm25::MIN_COVERAGE)
            .take(MAX_CITATIONS)
            .map(|h| {
                let s = &loaded.sources[h.passage];
                pb::Citation {
                    source: s.kind.into(),
                    source_id: s.id.clone(),
                    title: s.title.clone(),
                    heading: s.heading.clone(),
                    passage: s.text.clone(),
                    dated: clock::format_date(clock::date_of_ms(s.dated_ms)),
                    score: h.score,
                }
            })
            .collect();
        Ok(Answer { answered: !citations.is_empty(), citations })
    }
}

/// The reply quoting the best source, or saying the handbook does not answer.
pub fn reply(locale: Locale, answer: &Answer) -> String {
    use crate::say::{iso_date, say};
    let Some(best) = answer.citations.first() else {
        return say!(locale,
            en: "The handbook does not answer that. I have passed your question on to HR; once they answer it, the answer will be in the handbook.".into(),
            nl: "Daar geeft het personeelshandboek geen antwoord op. Ik heb je vraag doorgegeven aan HR; zodra zij hem beantwoorden, staat het antwoord in het handboek.".into(),
            de: "Darauf gibt das Handbuch keine Antwort. Ich habe Ihre Frage an die Personalabteilung weitergegeben; sobald sie beantwortet ist, steht die Antwort im Handbuch.".into(),
        );
    };
    let when = iso_date(locale, &best.dated);
    let (text, heading, title) = (&best.passage, &best.heading, &best.title);
    if best.source == "faq" {
        return say!(locale,
            en: format!("{text}\nSource: HR's answers to frequent questions (\"{heading}\"), added on {when}."),
            nl: format!("{text}\nBron: antwoorden van HR op veelgestelde vragen (\"{heading}\"), toegevoegd op {when}."),
            de: format!("{text}\nQuelle: Antworten der Personalabteilung auf häufige Fragen („{heading}“), hinzugefügt am {when}."),
        );
    }
    let place = if heading.is_empty() { title.clone() } else { format!("{title} – {heading}") };
    say!(locale,
        en: format!("The handbook says:\n“{text}”\nSource: {place}, uploaded on {when}."),
        nl: format!("Dit staat in het handboek:\n“{text}”\nBron: {place}, geüpload op {when}."),
        de: format!("Das steht im Handbuch:\n„{text}“\nQuelle: {place}, hochgeladen am {when}."),
    )
}
