//! The streamed reply of `Chat`: the text sentence by sentence, so a chat window can show it as
//! it comes, with every structured field on the last chunk.

use hrmesh_proto::selfservice::v1 as pb;

/// A reply as chunks for streaming: the text sentence by sentence, the structured fields on the
/// last chunk (`done`).
pub fn chunks(reply: pb::Reply) -> Vec<pb::Reply> {
    let mut pieces: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut chars = reply.text.chars().peekable();
    while let Some(c) = chars.next() {
        current.push(c);
        let end = c == '\n' || (matches!(c, '.' | '?' | '!') && chars.peek().is_some_and(|n| *n == ' '));
        if end {
            if c != '\n'
                && let Some(space) = chars.next()
            {
                current.push(space);
            }
            pieces.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() || pieces.is_empty() {
        pieces.push(current);
    }
    let last = pieces.pop().unwrap_or_default();
    let mut out: Vec<pb::Reply> = pieces
        .into_iter()
        .map(|text| pb::Reply {
            conversation_id: reply.conversation_id.clone(),
            language: reply.language.clone(),
            text,
            ..pb::Reply::default()
        })
        .collect();
    out.push(pb::Reply { text: last, done: true, ..reply });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_chunks_add_up_to_the_reply() {
        let reply = pb::Reply {
            conversation_id: "c".into(),
            text: "Gedaan: je bent ziek gemeld. Beterschap! Meld je hier beter.\nTot ziens".into(),
            intent: "sick_report".into(),
            done: true,
            ..pb::Reply::default()
        };
        let chunks = chunks(reply.clone());
        assert_eq!(chunks.len(), 4, "{chunks:?}");
        assert_eq!(chunks.iter().map(|c| c.text.as_str()).collect::<String>(), reply.text);
        assert!(chunks[..3].iter().all(|c| !c.done && c.intent.is_empty()));
        assert!(chunks[3].done && chunks[3].intent == "sick_report");
    }
}
