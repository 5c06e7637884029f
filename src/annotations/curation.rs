//! Curation: where the accepted annotations of several annotators on one
//! article agree and where they conflict, and the curated records that settle
//! a span. A curated record is an ordinary annotation by the curator whose
//! `settles` field lists the records it settles; the annotators' own records
//! are never changed. Training data comes from the curated layer
//! (`export --status curated`).

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Annotation, AnnotationKind, Status, new_annotation_id};

/// The field of a curated record naming the records it settles.
pub const SETTLES_FIELD: &str = "settles";

/// A set of overlapping annotations of one kind by the annotators compared.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster<'a> {
    /// Entity or quote.
    pub kind: AnnotationKind,
    /// In order of annotator (as listed), then of start.
    pub records: Vec<&'a Annotation>,
    /// Why the annotators disagree; `None` when they agree.
    pub conflict: Option<String>,
    /// A curated record already settles it.
    pub settled: bool,
}

impl Cluster<'_> {
    /// Whether the annotators agree.
    pub fn agreed(&self) -> bool {
        self.conflict.is_none()
    }

    /// The label the cluster is counted under in reports: its first record's.
    pub fn label(&self) -> &str {
        self.records.first().map_or("", |a| a.label.as_str())
    }

    /// Code-point span covering every record.
    pub fn span(&self) -> (usize, usize) {
        let start = self.records.iter().map(|a| a.start).min().unwrap_or(0);
        let end = self.records.iter().map(|a| a.end).max().unwrap_or(0);
        (start, end)
    }
}

/// Whether `a` is a curated record.
pub fn is_curated(a: &Annotation) -> bool {
    a.extra.contains_key(SETTLES_FIELD)
}

/// The ids a curated record settles.
pub fn settled_ids(a: &Annotation) -> Vec<&str> {
    match a.extra.get(SETTLES_FIELD) {
        Some(Value::Array(ids)) => ids.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// What a record says, beyond who said it: kind, span, label, link, and the
/// speaker as the span or KB id it points at (annotators' speaker records
/// have ids of their own, so ids are no basis for comparison).
fn meaning(a: &Annotation, all: &[Annotation]) -> (AnnotationKind, usize, usize, String, Option<String>, Option<String>) {
    let speaker = a.speaker.as_ref().map(|s| match all.iter().find(|other| &other.id == s) {
        Some(other) => format!("{}..{} {}", other.start, other.end, other.entity.as_deref().unwrap_or("")),
        None => s.clone(),
    });
    (a.kind, a.start, a.end, a.label.clone(), a.entity.clone(), speaker)
}

/// Why two records of one span differ.
fn difference(a: &Annotation, b: &Annotation, all: &[Annotation]) -> String {
    let (ma, mb) = (meaning(a, all), meaning(b, all));
    if (ma.1, ma.2) != (mb.1, mb.2) {
        "boundaries differ".into()
    } else if ma.3 != mb.3 {
        format!("labels differ: {} / {}", ma.3, mb.3)
    } else if ma.4 != mb.4 {
        "knowledge-base links differ".into()
    } else {
        "speakers differ".into()
    }
}

/// Compares the accepted records of `annotators` (at least two) in one
/// sidecar: every overlapping set of one kind is a cluster, agreed when each
/// annotator has exactly one record there and all mean the same.
///
/// ```
/// use marginalia::annotations::{Annotation, curation::compare};
/// # fn record(id: &str, who: &str, label: &str) -> Annotation {
/// #     serde_json::from_value(serde_json::json!({"id": id, "kind": "entity", "label": label, "start": 0, "end": 6,
/// #         "exact": "Lavrov", "annotator": who, "created": "2026-12-03T00:00:00Z", "status": "accepted"})).unwrap()
/// # }
/// let records = [record("a1", "alice", "PERSON"), record("b1", "bob", "ORG")];
/// let clusters = compare(&records, &["alice".into(), "bob".into()]);
/// assert_eq!(clusters[0].conflict.as_deref(), Some("labels differ: PERSON / ORG"));
/// ```
pub fn compare<'a>(annotations: &'a [Annotation], annotators: &[String]) -> Vec<Cluster<'a>> {
    let rank = |a: &Annotation| annotators.iter().position(|n| n == &a.annotator);
    let mut compared: Vec<&Annotation> =
        annotations.iter().filter(|a| a.status == Status::Accepted && !is_curated(a) && rank(a).is_some()).collect();
    compared.sort_by_key(|a| (a.kind as u8, a.start, a.end));
    let settled: Vec<&str> = annotations.iter().filter(|a| is_curated(a)).flat_map(settled_ids).collect();
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut reach = 0;
    for a in compared {
        match clusters.last_mut() {
            Some(last) if last.kind == a.kind && a.start < reach => {
                last.records.push(a);
                reach = reach.max(a.end);
            }
            _ => {
                clusters.push(Cluster { kind: a.kind, records: vec![a], conflict: None, settled: false });
                reach = a.end;
            }
        }
    }
    for cluster in &mut clusters {
        cluster.records.sort_by_key(|a| (rank(a), a.start));
        let mut per_annotator: BTreeMap<usize, usize> = BTreeMap::new();
        for a in &cluster.records {
            *per_annotator.entry(rank(a).unwrap_or(usize::MAX)).or_default() += 1;
        }
        cluster.conflict = if let Some(missing) = annotators.iter().enumerate().find(|(i, _)| !per_annotator.contains_key(i)) {
            Some(format!("{} has none", missing.1))
        } else if let Some((i, _)) = per_annotator.iter().find(|(_, n)| **n > 1) {
            Some(format!("{} has several", annotators[*i]))
        } else {
            let first = cluster.records[0];
            cluster
                .records
                .iter()
                .find(|other| meaning(other, annotations) != meaning(first, annotations))
                .map(|other| difference(first, other, annotations))
        };
        cluster.settled = cluster.records.iter().any(|a| settled.contains(&a.id.as_str()));
    }
    clusters
}

/// The annotators whose accepted records an article holds, in order of first
/// record: who the editor compares when no list is given (curated records and
/// marginalia's own suggestions are nobody's version).
pub fn annotators_of<'a>(annotations: impl IntoIterator<Item = &'a Annotation>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for a in annotations.into_iter().filter(|a| a.status == Status::Accepted && !is_curated(a) && a.annotator != super::SUGGESTER) {
        if !names.contains(&a.annotator) {
            names.push(a.annotator.clone());
        }
    }
    names
}

/// How one record reads in a conflict: `alice's: PERSON sergey-lavrov`.
pub fn describe_version(a: &Annotation) -> String {
    let link = a.entity.as_deref().or(a.speaker.as_deref()).map(|l| format!(" {l}")).unwrap_or_default();
    format!("{}'s: {}{link}", a.annotator, a.label)
}

/// Whether two versions of a disputed span can both stand in the curated layer
/// ("Keep both"): different spans (one span read two ways is a disagreement
/// only one side can win) and, where they overlap, entities with one label,
/// which is what `check` accepts (overlapping entity spans with different
/// labels are `conflicting-labels`; overlapping quotes are one quote read two
/// ways).
///
/// ```
/// use marginalia::annotations::{Annotation, curation::compatible};
/// # fn record(who: &str, label: &str, start: usize, end: usize) -> Annotation {
/// #     serde_json::from_value(serde_json::json!({"id": who, "kind": "entity", "label": label, "start": start, "end": end,
/// #         "exact": "x", "annotator": who, "created": "2026-12-03T00:00:00Z", "status": "accepted"})).unwrap()
/// # }
/// // "NATO Council" and "NATO Council of Russia", both ORG: both can stay.
/// assert!(compatible(&record("alice", "ORG", 0, 12), &record("bob", "ORG", 0, 22)));
/// // The same span as PERSON and as ORG: one must win.
/// assert!(!compatible(&record("alice", "PERSON", 0, 6), &record("bob", "ORG", 0, 6)));
/// // Overlapping spans with two labels would be `conflicting-labels`.
/// assert!(!compatible(&record("alice", "ORG", 0, 12), &record("bob", "PLACE", 8, 22)));
/// ```
pub fn compatible(a: &Annotation, b: &Annotation) -> bool {
    if a.kind != b.kind || (a.start, a.end) == (b.start, b.end) {
        return false;
    }
    let overlap = a.start < b.end && b.start < a.end;
    !overlap || (a.kind == AnnotationKind::Entity && a.label == b.label)
}

/// How one record reads in "Keep both": `alice's ORG "NATO Council"`, with
/// its text, since the two versions differ in their spans.
pub fn describe_span(a: &Annotation) -> String {
    let link = a.entity.as_deref().or(a.speaker.as_deref()).map(|l| format!(" {l}")).unwrap_or_default();
    format!("{}'s {} \"{}\"{link}", a.annotator, a.label, a.exact)
}

/// The curated record that settles `cluster` with `chosen`'s version: a copy
/// under a new id, by `curator`, listing every record of the cluster in
/// `settles`.
pub fn settle(cluster: &Cluster, chosen: &Annotation, curator: &str, created: &str, status: Status) -> Annotation {
    let mut curated = chosen.clone();
    curated.id = new_annotation_id(curator, chosen.kind, chosen.start, chosen.end, created);
    curated.annotator = curator.to_string();
    curated.created = created.to_string();
    curated.status = status;
    curated.extra.remove("suggested_by");
    let ids: Vec<Value> = cluster.records.iter().map(|a| Value::String(a.id.clone())).collect();
    curated.extra.insert(SETTLES_FIELD.into(), Value::Array(ids));
    curated
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, who: &str, label: &str, start: usize, end: usize) -> Annotation {
        serde_json::from_value(serde_json::json!({"id": id, "kind": "entity", "label": label, "start": start, "end": end,
            "exact": "x", "annotator": who, "created": "2026-12-03T00:00:00Z", "status": "accepted"}))
        .unwrap()
    }

    fn both() -> Vec<String> {
        vec!["alice".into(), "bob".into()]
    }

    #[test]
    fn the_same_span_label_and_link_agree() {
        let records = [record("a1", "alice", "PERSON", 0, 6), record("b1", "bob", "PERSON", 0, 6)];
        let clusters = compare(&records, &both());
        assert_eq!(clusters.len(), 1);
        assert!(clusters[0].agreed() && !clusters[0].settled);
    }

    #[test]
    fn each_kind_of_disagreement_is_named() {
        let cases = [
            (vec![record("a1", "alice", "PERSON", 0, 6)], "bob has none"),
            (vec![record("a1", "alice", "PERSON", 0, 6), record("b1", "bob", "PERSON", 0, 9)], "boundaries differ"),
            (vec![record("a1", "alice", "PERSON", 0, 6), record("b1", "bob", "ORG", 0, 6)], "labels differ: PERSON / ORG"),
            (
                vec![record("a1", "alice", "PERSON", 0, 6), record("a2", "alice", "PERSON", 3, 8), record("b1", "bob", "PERSON", 0, 6)],
                "alice has several",
            ),
        ];
        for (records, expected) in cases {
            let clusters = compare(&records, &both());
            assert_eq!(clusters[0].conflict.as_deref(), Some(expected), "{records:?}");
        }
        let mut linked = record("b1", "bob", "PERSON", 0, 6);
        linked.entity = Some("sergey-lavrov".into());
        let records = [record("a1", "alice", "PERSON", 0, 6), linked];
        let clusters = compare(&records, &both());
        assert_eq!(clusters[0].conflict.as_deref(), Some("knowledge-base links differ"));
    }

    #[test]
    fn suggestions_rejections_and_other_annotators_are_not_compared() {
        let mut suggested = record("b1", "bob", "PERSON", 0, 6);
        suggested.status = Status::Suggested;
        let records = [record("a1", "alice", "PERSON", 0, 6), suggested, record("c1", "carol", "ORG", 0, 6)];
        assert_eq!(compare(&records, &both())[0].conflict.as_deref(), Some("bob has none"));
    }

    #[test]
    fn versions_with_different_spans_and_one_label_are_compatible() {
        let nested = [record("a1", "alice", "ORG", 0, 12), record("b1", "bob", "ORG", 0, 22)];
        assert_eq!(compare(&nested, &both())[0].conflict.as_deref(), Some("boundaries differ"));
        assert!(compatible(&nested[0], &nested[1]));
        assert!(!compatible(&record("a1", "alice", "ORG", 0, 12), &record("b1", "bob", "ORG", 0, 12)), "one span twice");
        assert!(!compatible(&record("a1", "alice", "ORG", 0, 12), &record("b1", "bob", "PLACE", 5, 20)), "two labels overlapping");
        assert!(compatible(&record("a1", "alice", "ORG", 0, 5), &record("b1", "bob", "PLACE", 5, 20)), "touching, not overlapping");
        let mut quote = record("a1", "alice", "QUOTE", 0, 12);
        quote.kind = AnnotationKind::Quote;
        let mut longer = record("b1", "bob", "QUOTE", 0, 22);
        longer.kind = AnnotationKind::Quote;
        assert!(!compatible(&quote, &longer), "one quote read two ways");
    }

    #[test]
    fn a_settled_cluster_is_known_as_such() {
        let records = vec![record("a1", "alice", "PERSON", 0, 6), record("b1", "bob", "ORG", 0, 6)];
        let clusters = compare(&records, &both());
        let curated = settle(&clusters[0], &records[0], "carol", "2026-12-03T00:00:00Z", Status::Accepted);
        assert_eq!(settled_ids(&curated), vec!["a1", "b1"]);
        assert_eq!(curated.annotator, "carol");
        let mut all = records.clone();
        all.push(curated);
        assert!(compare(&all, &both())[0].settled);
    }
}
