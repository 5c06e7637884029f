//! Following annotations through a change of the whole text at once: an
//! editor's full-document `didChange`, or any replacement whose edits are not
//! known. Annotations the change did not touch move with the unchanged prefix
//! or suffix; the others are found again exactly as after an edit outside the
//! editor (position, then exact text with context, then approximately), and one
//! that cannot be placed is orphaned, never left on whatever text now sits at
//! its old offsets. Where annotations now are is written back to the sidecar
//! ([`persist_anchors`]), so that later changes start from there.

use super::{Anchor, AnchoredAnnotation, anchor_annotation, selector_for};
use crate::text::{LineIndex, TextDiff};

/// Moves `anchored` (placed in `old`) to their places in `new`.
///
/// ```
/// use marginalia::annotations::{follow_replacement, Anchor};
/// # use marginalia::annotations::{AnchoredAnnotation, Annotation, AnnotationKind, Authorship, Status};
/// # use marginalia::text::{LineIndex, TextRange};
/// let old = "In Stockholm, Lavrov warned NATO.";
/// let at = old.find("Lavrov").unwrap();
/// # let by = Authorship { annotator: "alice", created: "2026-12-03T00:00:00Z", status: Status::Accepted };
/// # let annotation = Annotation::on_span(old, &LineIndex::new(old), TextRange::new(at, at + 6), AnnotationKind::Entity, "PERSON", by);
/// let mut anchored = vec![AnchoredAnnotation { annotation, range: Some(TextRange::new(at, at + 6)), anchor: Anchor::InPlace, candidates: Vec::new() }];
/// let new = "Breaking: In Stockholm, Lavrov warned NATO.";
/// follow_replacement(old, new, &mut anchored);
/// assert_eq!(anchored[0].range.unwrap().slice(new), "Lavrov");
/// ```
pub fn follow_replacement(old: &str, new: &str, anchored: &mut [AnchoredAnnotation]) {
    let diff = TextDiff::between(old, new);
    let old_index = LineIndex::new(old);
    let new_index = LineIndex::new(new);
    for item in anchored {
        // Tied places of an orphan move with the text, or are gone.
        item.candidates = item.candidates.iter().filter_map(|&c| diff.carry(c, 0)).collect();
        let Some(range) = item.range.filter(|r| r.end <= old.len() && old.is_char_boundary(r.start) && old.is_char_boundary(r.end)) else {
            // Orphaned before the change (or out of this text): its stored
            // selector is all there is, as for an edit outside the editor.
            let (range, anchor) = anchor_annotation(new, &new_index, &item.annotation);
            (item.range, item.anchor) = (range, anchor);
            continue;
        };
        if let Some(carried) = diff.carry(range, 0) {
            item.range = Some(carried);
            continue;
        }
        // The change reached the annotated words: look for them, with the
        // context they had in the old text, as an outside edit would.
        let mut probe = item.annotation.clone();
        (probe.exact, probe.prefix, probe.suffix) = selector_for(old, range);
        (probe.start, probe.end) = (old_index.code_point_offset(range.start), old_index.code_point_offset(range.end));
        let (found, anchor) = anchor_annotation(new, &new_index, &probe);
        item.range = found;
        item.anchor = match anchor {
            Anchor::InPlace => item.anchor,
            other => other,
        };
    }
}

/// The records of a closed article's sidecar that an outside change of its
/// text from `previous` to `new` moves, placed in `new`. Only records that sit
/// exactly on `previous` (offsets, words and context) follow the change;
/// records already written for `new` (another server that saw the same change
/// got there first) and records that fit neither are left alone, so that the
/// same change is never applied twice to one record.
pub fn follow_file_change(previous: &str, new: &str, annotations: &[super::Annotation]) -> Vec<AnchoredAnnotation> {
    let (previous_index, new_index) = (LineIndex::new(previous), LineIndex::new(new));
    let mut anchored: Vec<AnchoredAnnotation> = annotations
        .iter()
        .filter(|a| sits_exactly_on(new, &new_index, a).is_none())
        .filter_map(|a| {
            let range = sits_exactly_on(previous, &previous_index, a)?;
            Some(AnchoredAnnotation { annotation: a.clone(), range: Some(range), anchor: Anchor::InPlace, candidates: Vec::new() })
        })
        .collect();
    follow_replacement(previous, new, &mut anchored);
    anchored
}

/// The record's byte range in `text` when its offsets hold its words and
/// its stored context.
fn sits_exactly_on(text: &str, index: &LineIndex, a: &super::Annotation) -> Option<crate::text::TextRange> {
    let range = crate::text::TextRange::new(index.byte_offset(a.start), index.byte_offset(a.end.max(a.start)));
    let fits = index.code_point_offset(range.end) == a.end && range.slice(text) == a.exact && {
        let (_, prefix, suffix) = selector_for(text, range);
        prefix == a.prefix && suffix == a.suffix
    };
    fits.then_some(range)
}

/// Writes where `anchored` (placed in `text`) now are into the sidecar: offsets
/// and context of each record that moved, under the sidecar's lock. Only
/// records nobody changed meanwhile are moved; orphans keep what they had.
/// Returns how many records were updated.
pub fn persist_anchors(sidecar: &std::path::Path, text: &str, anchored: &[AnchoredAnnotation]) -> Result<usize, super::StoreError> {
    let index = LineIndex::new(text);
    let moved: Vec<(super::Annotation, super::Annotation)> = anchored
        .iter()
        .filter_map(|a| {
            // A range that does not fit this text is a bug elsewhere; the
            // record on disk is then kept as it is rather than guessed at.
            let range = a.range.filter(|r| r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end))?;
            let (exact, prefix, suffix) = selector_for(text, range);
            let (start, end) = (index.code_point_offset(range.start), index.code_point_offset(range.end));
            let stored = &a.annotation;
            if (stored.start, stored.end, &stored.exact, &stored.prefix, &stored.suffix) == (start, end, &exact, &prefix, &suffix) {
                return None;
            }
            let mut updated = stored.clone();
            (updated.start, updated.end, updated.exact, updated.prefix, updated.suffix) = (start, end, exact, prefix, suffix);
            Some((stored.clone(), updated))
        })
        .collect();
    if moved.is_empty() {
        return Ok(0);
    }
    let (updated, _) = super::update_annotations(sidecar, |on_disk| {
        let mut updated = 0;
        for (before, after) in &moved {
            if let Some(record) = on_disk.iter_mut().find(|r| *r == before) {
                *record = after.clone();
                updated += 1;
            }
        }
        updated
    })?;
    Ok(updated)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::{Annotation, AnnotationKind, Authorship, Status};
    use crate::text::TextRange;

    fn anchored_on(text: &str, exact: &str) -> AnchoredAnnotation {
        let at = text.find(exact).unwrap();
        let range = TextRange::new(at, at + exact.len());
        let by = Authorship { annotator: "alice", created: "2026-12-03T00:00:00Z", status: Status::Accepted };
        let annotation = Annotation::on_span(text, &LineIndex::new(text), range, AnnotationKind::Entity, "PERSON", by);
        AnchoredAnnotation { annotation, range: Some(range), anchor: Anchor::InPlace, candidates: Vec::new() }
    }

    fn followed(old: &str, new: &str, exact: &str) -> (Option<String>, Anchor) {
        let mut anchored = vec![anchored_on(old, exact)];
        follow_replacement(old, new, &mut anchored);
        (anchored[0].range.map(|r| r.slice(new).to_string()), anchored[0].anchor)
    }

    #[test]
    fn text_put_before_moves_the_annotation_with_it() {
        let old = "Speaking in Stockholm, Lavrov warned NATO.";
        let new = format!("Breaking: {old}");
        assert_eq!(followed(old, &new, "Lavrov"), (Some("Lavrov".into()), Anchor::InPlace));
    }

    #[test]
    fn a_rewritten_sentence_around_the_words_finds_them_again() {
        let old = "Speaking in Stockholm, Lavrov warned NATO.";
        let new = "In Stockholm on Thursday, Lavrov told NATO to stop.";
        assert_eq!(followed(old, new, "Lavrov").0.as_deref(), Some("Lavrov"));
    }

    /// Issue 14, case 1: a shorter full text used to leave the range past its
    /// end (ropey out of bounds, a panic on save).
    #[test]
    fn words_that_are_gone_are_orphaned_not_left_on_other_text() {
        let old = "Speaking in Stockholm, Lavrov warned NATO.";
        assert_eq!(followed(old, "Short.", "Lavrov"), (None, Anchor::Orphaned));
        assert_eq!(followed(old, "Speaking in Stockholm, the minister warned NATO at length.", "Lavrov"), (None, Anchor::Orphaned));
    }

    #[test]
    fn an_orphan_is_found_again_when_its_words_come_back() {
        let old = "Speaking in Stockholm, Lavrov warned NATO.";
        let mut anchored = vec![anchored_on(old, "Lavrov")];
        follow_replacement(old, "Short.", &mut anchored);
        follow_replacement("Short.", old, &mut anchored);
        assert_eq!(anchored[0].range.map(|r| r.slice(old)), Some("Lavrov"));
    }
}

#[cfg(test)]
mod file_change_tests {
    use super::*;
    use crate::annotations::{Annotation, AnnotationKind, Authorship, Status};
    use crate::text::TextRange;

    fn record(text: &str, at: usize, len: usize) -> Annotation {
        let by = Authorship { annotator: "carol", created: "2026-12-03T00:00:00Z", status: Status::Accepted };
        Annotation::on_span(text, &LineIndex::new(text), TextRange::new(at, at + len), AnnotationKind::Entity, "PERSON", by)
    }

    /// The soak harness's finding: two servers saw one outside edit; the
    /// second read the records the first had already moved, found one of them
    /// "in place" on the other "Lavrov" of the previous text, and moved it
    /// there.
    #[test]
    fn a_change_already_followed_by_another_server_is_not_followed_twice() {
        let previous = "Talks of the: platform Lavrov Lavrov for talks.";
        let new = "Talks: platform Lavrov Lavrov for talks.";
        let second = previous.rfind("Lavrov").unwrap();
        let stale = record(previous, second, 6);
        let moved = follow_file_change(previous, new, std::slice::from_ref(&stale));
        assert_eq!(moved[0].range.map(|r| r.start), Some(new.rfind("Lavrov").unwrap()));
        // What the first server wrote: the same record, for the new text.
        let written = record(new, new.rfind("Lavrov").unwrap(), 6);
        // Its offsets hold the *first* "Lavrov" of the previous text. Read by
        // offsets and words alone it was placed there, and followed onto the
        // wrong one; its context places it on the second (soak finding S3).
        let read = crate::annotations::anchor_all(previous, std::slice::from_ref(&written));
        assert_eq!(read[0].range.map(|r| r.start), Some(second));
        assert!(follow_file_change(previous, new, &[written]).is_empty(), "already where it belongs");
    }
}
