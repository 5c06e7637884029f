//! Annotation sidecar parsing and anchoring: `SIDECAR \0 ARTICLE`. Whatever the
//! sidecar holds, parsing never panics, and every anchored annotation lies in
//! the article on character boundaries; serializing what parsed and parsing it
//! again gives the same annotations.
#![no_main]

use libfuzzer_sys::fuzz_target;
use marginalia::annotations::{anchor_all, parse_annotation_file, serialize_annotations};

fuzz_target!(|data: &[u8]| {
    let (sidecar, article) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &b"date 2021-12-02\nLavrov said \xe2\x80\x9cWe want peace.\xe2\x80\x9d"[..]),
    };
    let sidecar = String::from_utf8_lossy(sidecar);
    let article = String::from_utf8_lossy(article);
    let file = parse_annotation_file(&sidecar);
    for d in &file.diagnostics {
        assert!(sidecar.get(d.range.start..d.range.end).is_some(), "diagnostic {:?} outside the sidecar", d.range);
    }
    for anchored in anchor_all(&article, &file.annotations) {
        if let Some(range) = anchored.range {
            assert!(range.start <= range.end && article.get(range.start..range.end).is_some(), "anchored {range:?} outside the article");
        }
    }
    let again = parse_annotation_file(&serialize_annotations(&file.annotations));
    assert!(again.diagnostics.is_empty(), "re-serialized annotations do not parse: {:?}", again.diagnostics);
    assert_eq!(again.annotations.len(), file.annotations.len());
});
