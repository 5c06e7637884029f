//! Regression tests for what fuzzing found (fuzz/, RELIABILITY.md), one per
//! finding, named for it, on the minimised input.

use marginalia::annotations::{anchor_all, parse_annotation_file};

/// F7 (fuzz target `annotation_file`, crash-a2f8681b…): a line ending inside an
/// unterminated string whose last character is multi-byte made the parser
/// slice inside that character and panic.
#[test]
fn f7_sidecar_line_truncated_after_a_multibyte_character() {
    for text in ["{\"id\": \"”", "{\"id\": \"”\n", "{\"exact\": \"😀", "{\"id\": \"é\r\n{\"id\": \"x\", \"kind\": \"€", "\"”"] {
        let file = parse_annotation_file(text);
        assert!(file.annotations.is_empty(), "{text:?}");
        assert!(!file.diagnostics.is_empty(), "{text:?}: the malformed line is reported");
        for d in &file.diagnostics {
            assert!(text.get(d.range.start..d.range.end).is_some(), "{text:?}: {:?} is not on character boundaries", d.range);
        }
        let _ = anchor_all("Lavrov said “We want peace.”", &file.annotations);
    }
}
