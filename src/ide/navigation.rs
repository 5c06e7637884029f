//! Go-to-definition (a mention to its knowledge-base entry), references across
//! the corpus, and highlights within one article.

use std::sync::Arc;

use super::FileRange;
use crate::analysis::{Analysis, Mention};
use crate::kb::{KnowledgeBase, parse_kb_file};
use crate::text::TextRange;
use crate::workspace::{MentionIndex, Utf16Span};

/// The KB entry's id line for the mention at `offset`, with the mention's range.
pub fn definition(kb: &KnowledgeBase, analysis: &Analysis, offset: usize) -> Option<(TextRange, FileRange)> {
    let mention = analysis.mention_at(offset)?;
    let entry = kb.get(&mention.id)?;
    Some((mention.range, FileRange { path: (*entry.origin.file).clone(), range: entry.origin.id_range }))
}

/// The id of the entry defined around `offset` in a KB file's (possibly unsaved) text.
pub fn kb_entry_at(path: &std::path::Path, kb_text: &str, offset: usize) -> Option<String> {
    let file = parse_kb_file(Arc::new(path.to_path_buf()), kb_text);
    file.entries.into_iter().find(|e| e.origin.entry_range.touches(offset)).map(|e| e.id)
}

/// Every mention of `id` in the corpus, plus its definition when asked. Mentions
/// come with their line and UTF-16 columns from the index; the definition without.
pub fn references(kb: &KnowledgeBase, index: &MentionIndex, id: &str, include_declaration: bool) -> Vec<(FileRange, Option<Utf16Span>)> {
    let mut found = Vec::new();
    if include_declaration && let Some(entry) = kb.get(id) {
        found.push((FileRange { path: (*entry.origin.file).clone(), range: entry.origin.id_range }, None));
    }
    found.extend(index.mentions_of(id).map(|(path, range, span)| (FileRange { path: path.to_path_buf(), range }, Some(span))));
    found
}

/// Mentions in this article of the same entry as the one at `offset`.
pub fn highlights(analysis: &Analysis, offset: usize) -> Vec<TextRange> {
    let Some(target) = analysis.mention_at(offset) else { return Vec::new() };
    analysis.mentions().filter(|m: &&Mention| m.id == target.id).map(|m| m.range).collect()
}
