//! A comment as tokens: words and emoticons with their casing and clause boundaries. Emoji become
//! VADER's English descriptions, scored through the English lexicon whatever the comment's language.

use super::fold;
use super::lexicon::Lexicons;

/// One word, emoticon or emoji-description word of a comment.
#[derive(Debug, Clone)]
pub(super) struct Token {
    /// Lower case, without surrounding punctuation (emoticons whole; ’ written as ').
    pub lower: String,
    /// Lower case without diacritics ([`fold`]): how function words, phrases and topics compare.
    pub folded: String,
    /// ALL CAPS: at least one cased letter and no lower-case one.
    pub caps: bool,
    /// The text starts here, or punctuation (. , ; : ! ? …), a bracket or a dash came before.
    pub clause_start: bool,
    /// The text starts here, or a sentence ended before (. ; ! ? …).
    pub sentence_start: bool,
    /// The emoji this token describes ("grinning" of 😀).
    pub emoji: Option<&'static str>,
}

/// Punctuation that ends a clause: negation and phrases do not reach across it.
fn ends_clause(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '…'
            | '('
            | ')'
            | '['
            | ']'
            | '"'
            | '“'
            | '”'
            | '„'
            | '–'
            | '—'
            | '/'
            | '|'
            | '•'
            | '-'
            | '+'
            | '*'
            | '='
    )
}

/// Punctuation that ends a sentence.
fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | ';' | '!' | '?' | '…')
}

/// Emoticons that people glue to the last word ("super:)").
const GLUED_EMOTICONS: &[&str] =
    &[":-)", ":)", ":-(", ":(", ":-D", ":D", ";-)", ";)", ":P", ":p", ":/", ":'(", ":-/", ":-P", "<3", ":|"];

/// Emoji modifiers that carry no meaning of their own (variation selector, joiner, skin tones).
fn is_emoji_modifier(c: char) -> bool {
    matches!(c, '\u{fe0f}' | '\u{fe0e}' | '\u{200d}' | '\u{1f3fb}'..='\u{1f3ff}')
}

/// Splits `text` into tokens.
pub(super) fn tokenize(text: &str, lex: &Lexicons) -> Vec<Token> {
    let mut out = Tokens { tokens: Vec::new(), boundary: true, sentence: true };
    for raw in text.split_whitespace() {
        let mut rest = raw;
        while !rest.is_empty() {
            match next_emoji(rest, lex) {
                Some((at, len, emoji, description)) => {
                    out.piece(&rest[..at], lex);
                    for word in description.split_whitespace() {
                        out.push(word, Some(emoji));
                    }
                    rest = &rest[at + len..];
                }
                None => {
                    out.piece(rest, lex);
                    rest = "";
                }
            }
        }
    }
    out.tokens
}

/// The first emoji in `s`: byte offset, byte length, the emoji and its description. Modifiers
/// that are not part of a known sequence are skipped as if they were punctuation.
fn next_emoji(s: &str, lex: &Lexicons) -> Option<(usize, usize, &'static str, &'static str)> {
    for (at, c) in s.char_indices() {
        if c.is_ascii() {
            continue;
        }
        let ends: Vec<usize> = s[at..].char_indices().skip(1).map(|(i, _)| at + i).chain([s.len()]).collect();
        for &end in ends.iter().take(lex.emoji_max_chars()).rev() {
            if let Some((emoji, description)) = lex.emoji(&s[at..end]) {
                return Some((at, end - at, emoji, description));
            }
        }
        if is_emoji_modifier(c) {
            return Some((at, c.len_utf8(), "", ""));
        }
    }
    None
}

struct Tokens {
    tokens: Vec<Token>,
    /// The next token starts a clause.
    boundary: bool,
    /// The next token starts a sentence.
    sentence: bool,
}

impl Tokens {
    fn push(&mut self, text: &str, emoji: Option<&'static str>) {
        let lower = text.to_lowercase();
        let caps = text.chars().any(char::is_uppercase) && !text.chars().any(char::is_lowercase);
        let folded = fold(text);
        self.tokens.push(Token {
            lower,
            folded,
            caps,
            clause_start: self.boundary,
            sentence_start: self.sentence,
            emoji,
        });
        self.boundary = false;
        self.sentence = false;
    }

    /// A whitespace-free piece of text without emoji: an emoticon, or words between punctuation.
    fn piece(&mut self, piece: &str, lex: &Lexicons) {
        if piece.is_empty() {
            return;
        }
        if is_emoticon(piece, lex) {
            self.push(piece, None);
            return;
        }
        if let Some(emoticon) = GLUED_EMOTICONS.iter().find(|e| piece.len() > e.len() && piece.ends_with(*e)) {
            let word = &piece[..piece.len() - emoticon.len()];
            if word.chars().last().is_some_and(char::is_alphanumeric) {
                self.words(word);
                self.push(emoticon, None);
                return;
            }
        }
        self.words(piece);
    }

    /// Words of `piece`: letters and digits, with inner apostrophes and hyphens ("don't",
    /// "werk-privé") and inner periods between digits ("3.5").
    fn words(&mut self, piece: &str) {
        let chars: Vec<char> = piece.chars().map(|c| if c == '’' || c == '`' { '\'' } else { c }).collect();
        let mut word = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let next_alnum = chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
            let inner = !word.is_empty() && next_alnum;
            let keep = c.is_alphanumeric()
                || (inner && (c == '\'' || c == '-' || c == '&'))
                || (inner && c == '.' && word.ends_with(|p: char| p.is_ascii_digit()));
            if keep {
                word.push(c);
                continue;
            }
            if !word.is_empty() {
                self.push(&word, None);
                word.clear();
            }
            if ends_clause(c) {
                self.boundary = true;
            }
            if ends_sentence(c) {
                self.sentence = true;
            }
        }
        if !word.is_empty() {
            self.push(&word, None);
        }
    }
}

/// An emoticon of VADER's lexicon (":)", ":-D", "<3"): punctuation other than an apostrophe.
fn is_emoticon(piece: &str, lex: &Lexicons) -> bool {
    piece.chars().any(|c| c.is_ascii_punctuation() && c != '\'' && c != '-') && lex.is_emoticon(&piece.to_lowercase())
}
