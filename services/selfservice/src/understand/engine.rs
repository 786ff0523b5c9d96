//! Reading an utterance (tokens, typo correction, dates, cues, features) and the trained model,
//! built once from the embedded corpus.

use std::collections::HashMap;

use hrmesh_kit::locale::Locale;
use rust_stemmers::{Algorithm, Stemmer};
use time::Date;

use super::address;
use super::common;
use super::corpus::{self, Example, REFERENCE_DATE, Split};
use super::cues::{CueMatch, Cues};
use super::dates::{self, DateRange};
use super::datewords;
use super::intents::Intent;
use super::model::{Feature, Model};
use super::slots;
use super::text::{Kind, Lexicon, Token, span_text, tokenize};

/// Words longer than this carry no feature of their own (only `#oov`): bounds stemming.
const MAX_FEATURE_CHARS: usize = 40;

/// Yes/no cues count only in messages of at most this many words (`klopt` in `klopt mijn
/// salaris wel?` is a question, not a yes); greeting and thanks cues also at the start.
const SHORT_MESSAGE_WORDS: usize = 6;

/// An utterance as read.
#[derive(Debug)]
pub struct Read {
    pub tokens: Vec<Token>,
    pub dates: Option<(DateRange, (usize, usize))>,
    pub features: Vec<Feature>,
}

/// What reading needs: the typo lexicon, the cues and a stemmer per language.
pub struct Reader {
    lexicon: Lexicon,
    cues: Cues,
    stemmers: [Stemmer; 3],
}

/// The reader and the model trained with it.
pub struct Engine {
    pub reader: Reader,
    pub model: Model,
}

/// The language to read `text` in: the kit's detector, unless it found no evidence (it then
/// answers English by its tie-break), in which case `default`. Whether English won only by the
/// tie-break is asked of the same detector: appending one Dutch and, separately, one German stop
/// word flips its answer only if all three languages were level.
pub fn resolve_locale(text: &str, default: Locale) -> (Locale, bool) {
    let detected = Locale::detect(text);
    let level = detected == Locale::En
        && Locale::detect(&format!("{text} de")) == Locale::Nl
        && Locale::detect(&format!("{text} der")) == Locale::De;
    if level { (default, false) } else { (detected, true) }
}

impl Reader {
    /// Tokens (typo-corrected), the first date expression, cue matches and classifier features.
    pub fn read(&self, text: &str, today: Date, locale: Locale) -> Read {
        let mut tokens = tokenize(text);
        self.lexicon.correct_tokens(&mut tokens);
        let dates = dates::parse_tokens(&tokens, today, locale);
        let words = tokens.iter().filter(|t| t.kind != Kind::Punct).count();
        let first_word = tokens.iter().position(|t| t.kind != Kind::Punct).unwrap_or(0);
        let word_index = |i: usize| tokens[..i].iter().filter(|t| t.kind != Kind::Punct).count();
        let cues: Vec<CueMatch> = self
            .cues
            .find(&tokens)
            .into_iter()
            .filter(|c| match c.intent {
                Intent::Confirm | Intent::Deny => words <= SHORT_MESSAGE_WORDS && word_index(c.from) <= 1,
                Intent::Greeting | Intent::Thanks => words <= SHORT_MESSAGE_WORDS || c.from == first_word,
                _ => true,
            })
            .collect();
        let stemmer = &self.stemmers[locale.index()];
        let mut features = Vec::new();
        let mut prev: Option<(String, usize)> = None;
        for (i, t) in tokens.iter().enumerate() {
            match t.kind {
                Kind::Word if t.norm.chars().count() <= MAX_FEATURE_CHARS => {
                    if !self.lexicon.contains(&t.norm) {
                        features.push(Feature { name: "#oov".into(), words: t.norm.clone(), cue: None });
                    }
                    let stem = stemmer.stem(&t.norm).into_owned();
                    if !common::is_common(&t.norm) {
                        features.push(Feature { name: format!("w:{stem}"), words: t.norm.clone(), cue: None });
                    }
                    if let Some((p, j)) = prev {
                        let words = format!("{} {}", tokens[j].norm, t.norm);
                        features.push(Feature { name: format!("b:{p} {stem}"), words, cue: None });
                    }
                    prev = Some((stem, i));
                }
                Kind::Word => {
                    features.push(Feature { name: "#oov".into(), words: String::new(), cue: None });
                    prev = None;
                }
                Kind::Num => {
                    features.push(Feature { name: "#num".into(), words: t.norm.clone(), cue: None });
                    prev = None;
                }
                Kind::Punct => {}
            }
        }
        for c in &cues {
            let words = span_text(text, &tokens, c.from, c.to);
            features.push(Feature { name: format!("cue:{}", c.intent), words, cue: Some(c.phrase) });
        }
        if let Some((a, _)) = address::find(text, &tokens) {
            if a.postcode.is_some() {
                features.push(Feature { name: "#postcode".into(), words: a.postcode.unwrap_or_default(), cue: None });
            }
            if let Some(street) = a.street {
                features.push(Feature { name: "#street".into(), words: street, cue: None });
            }
        }
        if let Some((_, (a, b))) = dates {
            features.push(Feature { name: "#date".into(), words: span_text(text, &tokens, a, b), cue: None });
        }
        Read { tokens, dates, features }
    }
}

impl Engine {
    /// Builds the lexicon and trains the model on the corpus's train rows.
    pub fn new() -> Engine {
        let train: Vec<Example> = corpus::examples().into_iter().filter(|e| e.split == Split::Train).collect();
        Engine::train(&train)
    }

    /// Builds the lexicon from `train` (and the word lists) and trains the model on it.
    pub fn train(train: &[Example]) -> Engine {
        let cues = Cues::new();
        let mut counts: HashMap<String, u32> = HashMap::new();
        for e in train {
            for t in tokenize(&e.text).into_iter().filter(|t| t.kind == Kind::Word) {
                *counts.entry(t.norm).or_default() += 1;
            }
        }
        let mut words: Vec<(String, u32)> = counts.into_iter().collect();
        words.sort();
        // Words seen once in training may be typos: kept only if they are not one of a word the
        // vocabulary already has (so `vrj` in a training row is read as `vrij`, not learned).
        let build = |with_rare: &dyn Fn(&str) -> bool| {
            let mut l = Lexicon::default();
            cues.add_words(&mut l);
            common::add_to(&mut l);
            datewords::add_to(&mut l);
            slots::add_words(&mut l);
            for (w, n) in &words {
                if *n >= 2 || with_rare(w) {
                    l.add(w, *n);
                }
            }
            l.finish();
            l
        };
        let frequent = build(&|_| false);
        let lexicon = build(&|w| frequent.correct(w).is_none());
        let stemmers = [
            Stemmer::create(Algorithm::English),
            Stemmer::create(Algorithm::Dutch),
            Stemmer::create(Algorithm::German),
        ];
        let reader = Reader { lexicon, cues, stemmers };
        let examples: Vec<(Vec<Feature>, _)> = train
            .iter()
            .map(|e| {
                let (locale, _) = resolve_locale(&e.text, e.locale);
                (reader.read(&e.text, REFERENCE_DATE, locale).features, e.intent)
            })
            .collect();
        let model = Model::train(&examples);
        Engine { reader, model }
    }
}
