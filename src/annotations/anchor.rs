//! Keeping annotations on their words. In the editor, offsets move with each
//! edit; after a change outside the editor (git pull, another tool), an
//! annotation is found again by position, then by its exact text scored by the
//! context around it (W3C TextQuoteSelector style), then approximately. One that
//! cannot be placed with confidence is kept and reported as orphaned.

use super::Annotation;
use crate::text::{LineIndex, TextRange};

/// Code points of context kept on each side.
pub const CONTEXT_CHARS: usize = 32;
/// Least similarity for an approximate match of a changed quote.
const FUZZY_THRESHOLD: f64 = 0.75;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// The stored offsets still hold the exact text.
    InPlace,
    /// Found elsewhere by its exact text and context.
    Moved,
    /// Found by an approximate match: the annotated words changed slightly.
    Fuzzy,
    /// Not found with confidence; kept, reported, never dropped.
    Orphaned,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AnchoredAnnotation {
    pub annotation: Annotation,
    /// Byte range in the current text; `None` when orphaned.
    pub range: Option<TextRange>,
    pub anchor: Anchor,
}

/// Exact text, prefix and suffix (each side up to [`CONTEXT_CHARS`] code points).
pub fn selector_for(text: &str, range: TextRange) -> (String, String, String) {
    let exact = range.slice(text).to_string();
    let before = &text[..range.start];
    let prefix_start = before.char_indices().rev().nth(CONTEXT_CHARS - 1).map_or(0, |(i, _)| i);
    let after = &text[range.end..];
    let suffix_end = after.char_indices().nth(CONTEXT_CHARS).map_or(after.len(), |(i, _)| i);
    (exact, before[prefix_start..].to_string(), after[..suffix_end].to_string())
}

/// How well the text around `range` agrees with the stored context, 0 to 1.
fn context_score(text: &str, range: TextRange, annotation: &Annotation) -> f64 {
    let (_, prefix, suffix) = selector_for(text, range);
    let side =
        |stored: &str, found: &str| if stored.is_empty() && found.is_empty() { 1.0 } else { strsim::normalized_levenshtein(stored, found) };
    (side(&annotation.prefix, &prefix) + side(&annotation.suffix, &suffix)) / 2.0
}

pub fn anchor_annotation(text: &str, index: &LineIndex, annotation: &Annotation) -> (Option<TextRange>, Anchor) {
    let stored = TextRange::new(index.byte_offset(annotation.start), index.byte_offset(annotation.end.max(annotation.start)));
    if annotation.end <= index.code_point_offset(text.len()) && stored.slice(text) == annotation.exact && !annotation.exact.is_empty() {
        return (Some(stored), Anchor::InPlace);
    }
    if annotation.exact.is_empty() {
        return (None, Anchor::Orphaned);
    }
    if let Some(range) = best_exact_occurrence(text, stored.start, annotation) {
        return (Some(range), Anchor::Moved);
    }
    match approximate_match(text, stored.start, annotation) {
        Some(range) => (Some(range), Anchor::Fuzzy),
        None => (None, Anchor::Orphaned),
    }
}

/// Among the exact text's occurrences, the one whose context fits best; a tie
/// between two equally fitting places is no answer.
fn best_exact_occurrence(text: &str, old_start: usize, annotation: &Annotation) -> Option<TextRange> {
    let mut scored: Vec<(f64, TextRange)> = text
        .match_indices(annotation.exact.as_str())
        .map(|(at, found)| {
            let range = TextRange::new(at, at + found.len());
            // Context dominates; nearness to the old place breaks ties.
            let nearness = 1.0 / (1.0 + (at.abs_diff(old_start) as f64) / 10_000.0);
            (context_score(text, range, annotation) + 0.05 * nearness, range)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    match scored.as_slice() {
        [] => None,
        [(score, range)] => (*score >= 0.3 || annotation.exact.chars().count() >= 12).then_some(*range),
        [(best, range), (second, _), ..] => (best - second >= 0.1 && *best >= 0.4).then_some(*range),
    }
}

/// The span between the stored prefix and suffix, if it still resembles the
/// exact text; else the most similar window near the old place.
fn approximate_match(text: &str, old_start: usize, annotation: &Annotation) -> Option<TextRange> {
    let exact_len = annotation.exact.len();
    let mut candidates: Vec<TextRange> = Vec::new();
    let tail: String = annotation.prefix.chars().rev().take(16).collect::<Vec<_>>().into_iter().rev().collect();
    let head: String = annotation.suffix.chars().take(16).collect();
    if !tail.is_empty() {
        for (at, found) in text.match_indices(tail.as_str()) {
            let start = at + found.len();
            let window_end = floor_boundary(text, start + exact_len * 2 + 64);
            let end = if head.is_empty() {
                floor_boundary(text, start + exact_len)
            } else {
                match text[start..window_end].find(head.as_str()) {
                    Some(i) => start + i,
                    None => continue,
                }
            };
            candidates.push(TextRange::new(start, end));
        }
    }
    let best = candidates
        .into_iter()
        .map(|r| (strsim::normalized_levenshtein(r.slice(text), &annotation.exact), r))
        .filter(|(s, _)| *s >= FUZZY_THRESHOLD)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.start.abs_diff(old_start).cmp(&a.1.start.abs_diff(old_start))));
    if let Some((_, range)) = best {
        return Some(range);
    }
    sliding_window_match(text, old_start, annotation)
}

/// Windows of the exact text's length around the old place, on word starts.
fn sliding_window_match(text: &str, old_start: usize, annotation: &Annotation) -> Option<TextRange> {
    let exact_chars = annotation.exact.chars().count();
    let from = floor_boundary(text, old_start.saturating_sub(2_000));
    let to = floor_boundary(text, (old_start + 2_000).min(text.len()));
    let mut best: Option<(f64, TextRange)> = None;
    for (rel, _) in text[from..to].char_indices().filter(|&(i, _)| i == 0 || text[..from + i].ends_with(char::is_whitespace)) {
        let start = from + rel;
        for len in [exact_chars, exact_chars.saturating_sub(exact_chars / 5), exact_chars + exact_chars / 5] {
            let end = text[start..].char_indices().nth(len).map_or(text.len(), |(i, _)| start + i);
            let score = strsim::normalized_levenshtein(&text[start..end], &annotation.exact);
            if score >= FUZZY_THRESHOLD && best.is_none_or(|(b, _)| score > b) {
                best = Some((score, TextRange::new(start, end)));
            }
        }
    }
    best.map(|(_, r)| r)
}

fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Places every annotation in `text`. An annotation that moved onto words
/// already carrying the same annotation (same kind, label and links) lost its
/// own words: it is orphaned rather than doubled up.
pub fn anchor_all(text: &str, annotations: &[Annotation]) -> Vec<AnchoredAnnotation> {
    let index = LineIndex::new(text);
    let mut anchored: Vec<AnchoredAnnotation> = annotations
        .iter()
        .map(|a| {
            let (range, anchor) = anchor_annotation(text, &index, a);
            AnchoredAnnotation { annotation: a.clone(), range, anchor }
        })
        .collect();
    let same_meaning =
        |a: &Annotation, b: &Annotation| (a.kind, &a.label, &a.entity, &a.speaker) == (b.kind, &b.label, &b.entity, &b.speaker);
    for i in 0..anchored.len() {
        if anchored[i].anchor == Anchor::InPlace || anchored[i].range.is_none() {
            continue;
        }
        let taken = anchored.iter().enumerate().any(|(j, other)| {
            j != i
                && other.range == anchored[i].range
                && same_meaning(&other.annotation, &anchored[i].annotation)
                && (other.anchor == Anchor::InPlace || j < i)
        });
        if taken {
            anchored[i].range = None;
            anchored[i].anchor = Anchor::Orphaned;
        }
    }
    anchored
}

/// Where `range` ends up after the bytes `edited` are replaced by `new_len`
/// bytes: text inserted before moves it, inside grows it, a deletion across a
/// boundary trims it; `None` when the edit swallowed it entirely.
pub fn shift_through_edit(range: TextRange, edited: TextRange, new_len: usize) -> Option<TextRange> {
    let map_start = |s: usize| {
        if s < edited.start {
            s
        } else if s >= edited.end {
            s - edited.len() + new_len
        } else {
            edited.start + new_len
        }
    };
    let map_end = |e: usize| {
        if e <= edited.start {
            e
        } else if e >= edited.end {
            e - edited.len() + new_len
        } else {
            edited.start
        }
    };
    // An edit strictly inside the range keeps both ends around the new text.
    let (start, end) = if edited.start > range.start && edited.end < range.end {
        (range.start, range.end - edited.len() + new_len)
    } else {
        (map_start(range.start), map_end(range.end))
    };
    (start < end).then(|| TextRange::new(start, end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::{AnnotationKind, Status};

    fn annotation(text: &str, exact: &str) -> Annotation {
        let at = text.find(exact).unwrap();
        let range = TextRange::new(at, at + exact.len());
        let by = crate::annotations::Authorship { annotator: "t", created: "2026-01-01T00:00:00Z", status: Status::Accepted };
        Annotation { id: "a1".into(), ..Annotation::on_span(text, &LineIndex::new(text), range, AnnotationKind::Entity, "PERSON", by) }
    }

    fn place(text: &str, a: &Annotation) -> (Option<&'static str>, Anchor) {
        let (range, anchor) = anchor_annotation(text, &LineIndex::new(text), a);
        (range.map(|r| &*r.slice(text).to_string().leak()), anchor)
    }

    #[test]
    fn unchanged_text_anchors_in_place() {
        let text = "“We want peace,” Lavrov said in Moscow.";
        assert_eq!(place(text, &annotation(text, "Lavrov")), (Some("Lavrov"), Anchor::InPlace));
    }

    #[test]
    fn text_inserted_before_moves_the_anchor() {
        let old = "Sergey Lavrov said Lavrov would go.";
        let a = annotation(old, "Lavrov would");
        let new = "On Monday, in Moscow, Sergey Lavrov said Lavrov would go.";
        assert_eq!(place(new, &a), (Some("Lavrov would"), Anchor::Moved));
    }

    #[test]
    fn context_picks_the_right_one_of_two_occurrences() {
        let old = "Putin met Lavrov. Later, Peskov said Lavrov had left.";
        let mut a = annotation(old, "Lavrov had");
        a.exact = "Lavrov".into();
        a.suffix = " had left.".into();
        let new = "Putin met Lavrov twice. Later, Peskov said Lavrov had left.";
        let (range, anchor) = anchor_annotation(new, &LineIndex::new(new), &a);
        assert_eq!(anchor, Anchor::Moved);
        assert_eq!(range.unwrap().start, new.rfind("Lavrov").unwrap());
    }

    #[test]
    fn slightly_changed_quote_is_found_approximately() {
        let old = "He said: “We will not rush to any conclusions at all.” Then he left the room.";
        let a = annotation(old, "“We will not rush to any conclusions at all.”");
        let new = "He said: “We will not rush into any conclusions at all.” Then he left the room.";
        assert_eq!(place(new, &a), (Some("“We will not rush into any conclusions at all.”"), Anchor::Fuzzy));
    }

    #[test]
    fn vanished_text_is_orphaned_not_dropped() {
        let old = "Sergey Lavrov said so.";
        let a = annotation(old, "Lavrov");
        assert_eq!(place("Nothing about him here at all.", &a), (None, Anchor::Orphaned));
    }

    #[test]
    fn edits_move_ranges() {
        let r = TextRange::new(10, 20);
        assert_eq!(shift_through_edit(r, TextRange::new(0, 0), 5), Some(TextRange::new(15, 25)), "insert before");
        assert_eq!(shift_through_edit(r, TextRange::new(10, 10), 3), Some(TextRange::new(13, 23)), "insert at start stays outside");
        assert_eq!(shift_through_edit(r, TextRange::new(20, 20), 3), Some(r), "insert at end stays outside");
        assert_eq!(shift_through_edit(r, TextRange::new(12, 15), 0), Some(TextRange::new(10, 17)), "delete inside");
        assert_eq!(shift_through_edit(r, TextRange::new(5, 12), 1), Some(TextRange::new(6, 14)), "replace across start");
        assert_eq!(shift_through_edit(r, TextRange::new(18, 30), 0), Some(TextRange::new(10, 18)), "delete across end");
        assert_eq!(shift_through_edit(r, TextRange::new(5, 25), 2), None, "swallowed");
        assert_eq!(shift_through_edit(r, TextRange::new(25, 30), 0), Some(r), "after");
    }
}
