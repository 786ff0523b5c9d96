//! Splitting a handbook into passages, each under the heading it stands in (`Verlof › Feestdagen`),
//! small enough to quote and big enough to answer: paragraphs under one heading are joined up
//! to about [`TARGET_WORDS`] words, and a paragraph longer than [`MAX_WORDS`] is cut at
//! sentence ends.

/// Passages grow up to about this many words before a new one starts.
const TARGET_WORDS: usize = 80;
/// No passage is longer than this many words (a sentence longer than that is cut too).
const MAX_WORDS: usize = 160;
/// A plain-text line of at most this many words, without a full stop, before a paragraph is a heading.
const HEADING_WORDS: usize = 8;

/// How a handbook document is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Text,
}

impl Format {
    /// `markdown` (also when empty) or `text`.
    pub fn parse(value: &str) -> Option<Format> {
        match value.trim().to_ascii_lowercase().as_str() {
            "" | "markdown" | "md" => Some(Format::Markdown),
            "text" | "txt" | "plain" => Some(Format::Text),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Text => "text",
        }
    }
}

/// A quotable piece of a handbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// The headings above it, outermost first, joined with ` › `; empty before the first.
    pub heading: String,
    pub body: String,
}

/// A markdown heading line: its level and text.
fn markdown_heading(line: &str) -> Option<(usize, &str)> {
    let level = line.chars().take_while(|c| *c == '#').count();
    let rest = &line[level..];
    ((1..=6).contains(&level) && rest.starts_with(' ')).then(|| (level, rest.trim().trim_end_matches('#').trim()))
}

/// Markup that would only clutter a quote.
fn plain(line: &str) -> String {
    line.replace("**", "").replace("__", "").replace('`', "")
}

/// Blocks of a text: (heading path, paragraph) in order.
fn paragraphs(format: Format, text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut headings: Vec<(usize, String)> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let path = |headings: &[(usize, String)]| headings.iter().map(|(_, h)| h.as_str()).collect::<Vec<_>>().join(" › ");
    let flush = |current: &mut Vec<String>, out: &mut Vec<(String, String)>, heading: String| {
        if !current.is_empty() {
            out.push((heading, current.join(" ")));
            current.clear();
        }
    };
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    for (i, line) in lines.iter().enumerate() {
        if line.is_empty() {
            flush(&mut current, &mut out, path(&headings));
            continue;
        }
        let heading = match format {
            Format::Markdown => markdown_heading(line).map(|(level, h)| (level, h.to_owned())),
            Format::Text => {
                let alone = current.is_empty() && lines.get(i + 1).is_some_and(|next| next.is_empty());
                let short = line.split_whitespace().count() <= HEADING_WORDS;
                let sentence = line.ends_with(['.', '?', '!', ':', ';', ',']);
                let followed = lines.iter().skip(i + 1).find(|l| !l.is_empty()).is_some();
                (alone && short && !sentence && followed).then(|| (1, line.to_string()))
            }
        };
        match heading {
            Some((level, text)) => {
                flush(&mut current, &mut out, path(&headings));
                headings.retain(|(l, _)| *l < level);
                headings.push((level, plain(&text)));
            }
            None => current.push(plain(line)),
        }
    }
    flush(&mut current, &mut out, path(&headings));
    out
}

/// Cuts a long paragraph at sentence ends into pieces of at most [`MAX_WORDS`] words.
fn cut(paragraph: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece: Vec<&str> = Vec::new();
    for word in paragraph.split_whitespace() {
        piece.push(word);
        let sentence_end = word.ends_with(['.', '?', '!']);
        if piece.len() >= MAX_WORDS || (sentence_end && piece.len() >= TARGET_WORDS) {
            pieces.push(piece.join(" "));
            piece.clear();
        }
    }
    if !piece.is_empty() {
        pieces.push(piece.join(" "));
    }
    pieces
}

/// The passages of a handbook document.
pub fn split(format: Format, text: &str) -> Vec<Passage> {
    let mut out: Vec<Passage> = Vec::new();
    for (heading, paragraph) in paragraphs(format, text) {
        for piece in cut(&paragraph) {
            let words = piece.split_whitespace().count();
            match out.last_mut() {
                Some(last)
                    if last.heading == heading && last.body.split_whitespace().count() + words <= TARGET_WORDS =>
                {
                    last.body.push('\n');
                    last.body.push_str(&piece);
                }
                _ => out.push(Passage { heading: heading.clone(), body: piece }),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_passages_keep_their_heading_path() {
        let text = "# Personeelshandboek\n\nWelkom bij Acme.\n\n## Verlof\n\n### Feestdagen\n\nOp erkende feestdagen ben je vrij.\n\n## Thuiswerken\n\nJe mag **twee dagen** per week thuiswerken.\nOverleg met je leidinggevende.\n";
        let passages = split(Format::Markdown, text);
        assert_eq!(passages.len(), 3, "{passages:?}");
        assert_eq!(passages[0], Passage { heading: "Personeelshandboek".into(), body: "Welkom bij Acme.".into() });
        assert_eq!(passages[1].heading, "Personeelshandboek › Verlof › Feestdagen");
        assert_eq!(passages[2].heading, "Personeelshandboek › Thuiswerken");
        assert_eq!(passages[2].body, "Je mag twee dagen per week thuiswerken. Overleg met je leidinggevende.");
    }

    #[test]
    fn plain_text_takes_short_lines_before_a_paragraph_as_headings() {
        let text =
            "Urlaub\n\nUrlaub beantragen Sie zwei Wochen vorher.\n\nHomeoffice\n\nZwei Tage pro Woche sind möglich.";
        let passages = split(Format::Text, text);
        let headings: Vec<&str> = passages.iter().map(|p| p.heading.as_str()).collect();
        assert_eq!(headings, ["Urlaub", "Homeoffice"]);
    }

    #[test]
    fn long_paragraphs_are_cut_at_sentence_ends() {
        let sentence = "Dit is een zin met precies tien woorden erin geschreven. ";
        let passages = split(Format::Markdown, &format!("# Lang\n\n{}", sentence.repeat(40)));
        assert!(passages.len() >= 4, "{}", passages.len());
        assert!(passages.iter().all(|p| p.body.split_whitespace().count() <= MAX_WORDS));
        assert!(passages.iter().all(|p| p.body.ends_with('.')));
    }
}
