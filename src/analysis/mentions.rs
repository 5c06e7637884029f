//! Mentions of knowledge-base entries in an article.

use crate::article::Article;
use crate::kb::{EntryKind, KnowledgeBase};
use crate::text::TextRange;

pub use crate::kb::AliasMatch;

/// A stretch of article text that names a KB entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    pub range: TextRange,
    pub id: String,
    pub kind: EntryKind,
}

pub fn find_mentions(text: &str, article: &Article, kb: &KnowledgeBase) -> Vec<Mention> {
    find_mentions_from(text, article.header.as_ref().map_or(0, |h| h.range.end), kb)
}

/// Mentions from `body_start` on (the header's date is not prose).
pub fn find_mentions_from(text: &str, body_start: usize, kb: &KnowledgeBase) -> Vec<Mention> {
    kb.alias_index()
        .find_matches(text, kb.entries())
        .into_iter()
        .filter(|m| m.range.start >= body_start)
        .map(|m| {
            let entry = kb.entry(m.entry);
            Mention { range: m.range, id: entry.id.clone(), kind: entry.kind }
        })
        .collect()
}
