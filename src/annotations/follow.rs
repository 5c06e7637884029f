//! Following annotations through a change of the whole text at once: an
//! editor's full-document `didChange`, or any replacement whose edits are not
//! known. Annotations the change did not touch move with the unchanged prefix
//! or suffix; the others are found again exactly as after an edit outside the
//! editor (position, then exact text with context, then approximately), and one
//! that cannot be placed is orphaned, never left on whatever text now sits at
//! its old offsets.

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
/// let mut anchored = vec![AnchoredAnnotation { annotation, range: Some(TextRange::new(at, at + 6)), anchor: Anchor::InPlace }];
/// let new = "Breaking: In Stockholm, Lavrov warned NATO.";
/// follow_replacement(old, new, &mut anchored);
/// assert_eq!(anchored[0].range.unwrap().slice(new), "Lavrov");
/// ```
pub fn follow_replacement(old: &str, new: &str, anchored: &mut [AnchoredAnnotation]) {
    let diff = TextDiff::between(old, new);
    let old_index = LineIndex::new(old);
    let new_index = LineIndex::new(new);
    for item in anchored {
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
        AnchoredAnnotation { annotation, range: Some(range), anchor: Anchor::InPlace }
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
