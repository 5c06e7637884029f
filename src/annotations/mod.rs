//! Standoff annotations beside each article (`NAME.ann.jsonl`): their model,
//! the file format, anchoring to text that moves, validation, and safe writes.

mod anchor;
mod annotator;
pub mod curation;
mod file;
mod follow;
mod model;
mod store;
mod validate;

pub use anchor::{Anchor, AnchoredAnnotation, CONTEXT_CHARS, anchor_all, anchor_annotation, selector_for, shift_through_edit};
pub use annotator::{Annotator, SUGGESTER};
pub use file::{
    AnnotationFile, BYTE_ORDER_MARK, article_for_sidecar, minimal_line_edit, orphaned_sidecar, parse_annotation_file,
    serialize_annotations, sidecar_path,
};
pub use follow::{follow_file_change, follow_replacement, persist_anchors};
pub use model::{Annotation, AnnotationKind, Authorship, QUOTE_LABELS, Status, new_annotation_id};
pub use store::{StoreError, move_sidecar, read_annotations, try_update_annotations, update_annotations, write_annotations_atomically};
pub use validate::{AnnotationProblem, diagnostics_in_article, diagnostics_in_sidecar, validate_annotations};
