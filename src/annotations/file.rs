//! The sidecar format: one JSON object a line, sorted by start then id, so that
//! git diffs stay small and merges rarely conflict.

use std::path::{Path, PathBuf};

use super::Annotation;
use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::text::TextRange;

/// `NAME.txt` → `NAME.ann.jsonl`, in the same folder.
pub fn sidecar_path(article: &Path) -> PathBuf {
    let stem = article.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    article.with_file_name(format!("{stem}.ann.jsonl"))
}

/// `NAME.ann.jsonl` → `NAME.txt`.
pub fn article_for_sidecar(sidecar: &Path) -> PathBuf {
    let name = sidecar.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    sidecar.with_file_name(format!("{}.txt", name.strip_suffix(".ann.jsonl").unwrap_or(&name)))
}

/// A sidecar whose article is gone (renamed or deleted outside an editor that
/// moves sidecars along): its annotations belong to no text (issue 14, case 5;
/// before, `check` said nothing and export counted 0 annotations).
pub fn orphaned_sidecar(sidecar: &Path, annotations: usize) -> Option<Diagnostic> {
    let article = article_for_sidecar(sidecar);
    if article.is_file() {
        return None;
    }
    let name = article.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Some(Diagnostic::warning(
        DiagnosticCode::OrphanedSidecar,
        TextRange::empty(0),
        format!(
            "no article `{name}` beside this sidecar: its {annotations} annotation(s) belong to no text; rename the sidecar with its article (renamed or deleted?)"
        ),
    ))
}

/// A sidecar's text read: its records and a diagnostic for each malformed line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AnnotationFile {
    /// The records that parse, in file order.
    pub annotations: Vec<Annotation>,
    /// Byte range of each annotation's line, parallel to `annotations`.
    pub lines: Vec<TextRange>,
    /// Malformed lines, with positions in the file.
    pub diagnostics: Vec<Diagnostic>,
}

/// The UTF-8 byte-order mark some Windows editors put at the start of a file.
pub const BYTE_ORDER_MARK: char = '\u{feff}';

/// Reads a sidecar's text (one JSON object a line; a leading byte-order mark allowed); never fails.
pub fn parse_annotation_file(text: &str) -> AnnotationFile {
    let mut file = AnnotationFile::default();
    // A byte-order mark is not part of the first line's JSON; positions stay
    // offsets into `text`, so the line starts after it.
    let body = text.strip_prefix(BYTE_ORDER_MARK).unwrap_or(text);
    let mut line_start = text.len() - body.len();
    for (line_number, line) in (1..).zip(body.split_inclusive('\n')) {
        let content = line.trim_end_matches(['\n', '\r']);
        let range = TextRange::new(line_start, line_start + content.len());
        line_start += line.len();
        if content.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Annotation>(content) {
            Ok(annotation) => {
                file.annotations.push(annotation);
                file.lines.push(range);
            }
            Err(error) => {
                // serde_json counts columns in bytes from 1 within the line; at the
                // end of a truncated line the column can fall inside the last
                // character, so step back to its start.
                let mut at = (range.start + error.column().saturating_sub(1)).min(range.end);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                let span = if at < range.end {
                    TextRange::new(at, at + content[at - range.start..].chars().next().map_or(0, char::len_utf8))
                } else {
                    range
                };
                // serde_json saw one line, so its "at line 1 column N" is not
                // the file's: the message gives the file's line and the column
                // in code points, as the code frame shows them.
                let reason = error.to_string();
                let reason = reason.strip_suffix(&format!(" at line {} column {}", error.line(), error.column())).unwrap_or(&reason);
                let column = content[..at - range.start].chars().count() + 1;
                file.diagnostics.push(Diagnostic::error(
                    DiagnosticCode::MalformedAnnotation,
                    span,
                    format!("malformed annotation line {line_number}, column {column}: {reason}"),
                ));
            }
        }
    }
    file
}

/// The canonical file content: sorted by start then id, one line each.
pub fn serialize_annotations(annotations: &[Annotation]) -> String {
    let mut sorted: Vec<&Annotation> = annotations.iter().collect();
    sorted.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    let mut out = String::new();
    for annotation in sorted {
        // Serialising plain strings and numbers cannot fail.
        out.push_str(&serde_json::to_string(annotation).expect("annotations serialize"));
        out.push('\n');
    }
    out
}

/// The smallest single edit turning `old` into `new`, at whole-line granularity
/// so that an editor's undo restores exactly the lines it changed.
pub fn minimal_line_edit(old: &str, new: &str) -> (TextRange, String) {
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let common_prefix = old_lines.iter().zip(&new_lines).take_while(|(a, b)| a == b).count();
    let max_suffix = old_lines.len().min(new_lines.len()) - common_prefix;
    let common_suffix = old_lines.iter().rev().zip(new_lines.iter().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
    let start: usize = old_lines[..common_prefix].iter().map(|l| l.len()).sum();
    let old_end: usize = old.len() - old_lines[old_lines.len() - common_suffix..].iter().map(|l| l.len()).sum::<usize>();
    let new_middle = new_lines[common_prefix..new_lines.len() - common_suffix].concat();
    (TextRange::new(start, old_end), new_middle)
}

#[cfg(test)]
mod tests {
    #[test]
    fn minimal_edit_touches_only_changed_lines() {
        let (range, text) = super::minimal_line_edit("a\nb\nc\n", "a\nx\ny\nc\n");
        assert_eq!((range, text.as_str()), (TextRange::new(2, 4), "x\ny\n"));
        let (range, text) = super::minimal_line_edit("", "a\n");
        assert_eq!((range, text.as_str()), (TextRange::new(0, 0), "a\n"));
        let (range, text) = super::minimal_line_edit("a\nb\n", "a\n");
        assert_eq!((range, text.as_str()), (TextRange::new(2, 4), ""));
    }

    use super::*;

    const LINE: &str = r#"{"id":"a1","kind":"entity","label":"PERSON","start":0,"end":6,"exact":"Lavrov","prefix":"","suffix":" said","entity":"sergey-lavrov","annotator":"ann","created":"2026-01-01T00:00:00Z","status":"accepted","reviewer_note":"keep me"}"#;

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let file = parse_annotation_file(&format!("{LINE}\n"));
        assert!(file.diagnostics.is_empty(), "{:?}", file.diagnostics);
        assert_eq!(serialize_annotations(&file.annotations), format!("{LINE}\n"));
    }

    #[test]
    fn malformed_line_is_reported_where_it_breaks_and_others_survive() {
        let text = format!("{LINE}\n{{\"id\": \"a2\", \"kind\": \"entity\",, }}\n{LINE}\n");
        let file = parse_annotation_file(&text);
        assert_eq!(file.annotations.len(), 2);
        assert_eq!(file.diagnostics.len(), 1);
        let d = &file.diagnostics[0];
        assert!(d.range.start > LINE.len() && d.range.end < 2 * LINE.len(), "{d:?}");
        assert!(d.message.starts_with("malformed annotation line"), "{}", d.message);
    }

    /// Issue 14 C: a byte-order mark used to make the first line malformed.
    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_line() {
        let text = format!("{BYTE_ORDER_MARK}{LINE}\n{{bad\n");
        let file = parse_annotation_file(&text);
        assert_eq!(file.annotations.len(), 1);
        assert_eq!(file.lines[0], TextRange::new(3, 3 + LINE.len()), "byte offsets into the file, after the mark");
        assert_eq!(file.diagnostics.len(), 1, "the second line is still reported");
    }

    #[test]
    fn lines_are_sorted_by_start_then_id() {
        let file = parse_annotation_file(&format!("{LINE}\n"));
        let mut b = file.annotations[0].clone();
        b.id = "a0".into();
        let mut c = file.annotations[0].clone();
        c.start = 0;
        c.id = "a2".into();
        let out = serialize_annotations(&[c, file.annotations[0].clone(), b]);
        let ids: Vec<&str> = out.lines().map(|l| &l[7..9]).collect();
        assert_eq!(ids, ["a0", "a1", "a2"]);
    }

    #[test]
    fn sidecar_sits_beside_the_article() {
        assert_eq!(sidecar_path(Path::new("corpus/articles/004_x.txt")), PathBuf::from("corpus/articles/004_x.ann.jsonl"));
    }
}
