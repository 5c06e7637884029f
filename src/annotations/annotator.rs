//! Who annotates, and the one permission rule: curators may change anyone's
//! annotations, others only their own and marginalia's suggestions.

use super::Annotation;

/// Who is annotating. Curators may change anyone's annotations; others only
/// their own and marginalia's suggestions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotator {
    /// The annotator's name, as stored in records.
    pub name: String,
    /// Whether they may change anyone's records.
    pub curator: bool,
}

impl Annotator {
    /// The permission rule: curators may change anyone's annotations, others
    /// only their own and marginalia's suggestions.
    pub fn may_change(&self, annotation: &Annotation) -> bool {
        self.curator || annotation.annotator == self.name || annotation.annotator == SUGGESTER
    }
}

/// The annotator name under which rule-based suggestions are written.
pub const SUGGESTER: &str = "marginalia";
