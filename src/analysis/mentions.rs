//! Mentions of knowledge-base entries in an article.

use crate::article::Article;
use crate::kb::AliasCandidate;
use crate::kb::{EntryKind, KnowledgeBase};
use crate::text::{TextDiff, TextRange};

pub use crate::kb::AliasMatch;

/// A stretch of article text that names a KB entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// Its bytes.
    pub range: TextRange,
    /// The entry's id.
    pub id: String,
    /// The entry's kind.
    pub kind: EntryKind,
}

/// The KB mentions of an article (names, aliases, surnames after a full mention, inflected names).
pub fn find_mentions(text: &str, article: &Article, kb: &KnowledgeBase) -> Vec<Mention> {
    find_mentions_from(text, article.header.as_ref().map_or(0, |h| h.range.end), kb)
}

/// Mentions from `body_start` on (the header's date is not prose).
pub fn find_mentions_from(text: &str, body_start: usize, kb: &KnowledgeBase) -> Vec<Mention> {
    let candidates = kb.alias_index().candidates_in(text, TextRange::new(0, text.len()));
    mentions_from_candidates(&candidates, body_start, kb)
}

/// Bytes either side of a name that decide whether it stands on its own: one character.
const NAME_CONTEXT: usize = 4;

/// The alias candidates of `text`, an edit of the text whose candidates were
/// `previous`: those away from the edit are moved, and only the edited stretch
/// is searched again. Equal to searching the whole text.
pub fn carry_alias_candidates(text: &str, kb: &KnowledgeBase, previous: &[AliasCandidate], diff: &TextDiff) -> Vec<AliasCandidate> {
    let index = kb.alias_index();
    let window = diff.rescan(text, NAME_CONTEXT, index.longest_pattern());
    let mut candidates: Vec<AliasCandidate> = Vec::with_capacity(previous.len() + 16);
    candidates.extend(previous.iter().filter_map(|c| diff.carry(c.range, NAME_CONTEXT).map(|range| c.moved_to(range))));
    candidates.extend(index.candidates_in(text, window).into_iter().filter(|c| diff.carry_back(c.range, NAME_CONTEXT).is_none()));
    crate::kb::sort_candidates(&mut candidates);
    candidates
}

/// The mentions the candidates make, from `body_start` on.
pub fn mentions_from_candidates(candidates: &[AliasCandidate], body_start: usize, kb: &KnowledgeBase) -> Vec<Mention> {
    kb.alias_index()
        .resolve_candidates(candidates, kb.entries())
        .into_iter()
        .filter(|m| m.range.start >= body_start)
        .map(|m| {
            let entry = kb.entry(m.entry);
            Mention { range: m.range, id: entry.id.clone(), kind: entry.kind }
        })
        .collect()
}
