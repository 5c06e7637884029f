//! Annotation actions: what an annotator can do at the cursor (label a span,
//! link it to the knowledge base, attribute a quote, accept or reject a
//! suggestion), expressed as operations on the sidecar's annotations.

use serde::{Deserialize, Serialize};

use crate::analysis::Analysis;
use crate::annotations::{AnchoredAnnotation, Annotation, AnnotationKind, Authorship, Status};
use crate::kb::{EntryKind, KnowledgeBase};
use crate::text::{LineIndex, TextRange};

pub use crate::annotations::{Annotator, SUGGESTER};

/// One change to a sidecar, applied to the file as it is when written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "camelCase")]
pub enum AnnotationOp {
    /// Adds an annotation (unless an identical one is there).
    Add {
        /// The record to add.
        annotation: Box<Annotation>,
    },
    /// Sets a record's status. `annotator` names whose record is meant when a
    /// sidecar holds the same id twice (hand edits, merges); code actions
    /// always send it.
    SetStatus {
        /// The record's id.
        id: String,
        /// Its new status.
        status: Status,
        /// Whose record it is, when the id is shared.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        annotator: Option<String>,
    },
    /// Removes one record.
    Remove {
        /// The record's id.
        id: String,
        /// Whose record it is, when the id is shared.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        annotator: Option<String>,
    },
}

impl AnnotationOp {
    /// A status change of exactly this record.
    pub fn set_status(annotation: &Annotation, status: Status) -> AnnotationOp {
        AnnotationOp::SetStatus { id: annotation.id.clone(), status, annotator: Some(annotation.annotator.clone()) }
    }

    /// The removal of exactly this record.
    pub fn remove(annotation: &Annotation) -> AnnotationOp {
        AnnotationOp::Remove { id: annotation.id.clone(), annotator: Some(annotation.annotator.clone()) }
    }

    fn describe(&self) -> String {
        match self {
            AnnotationOp::Add { annotation } => format!("add `{}`", annotation.id),
            AnnotationOp::SetStatus { id, status, .. } => format!("setStatus `{id}` to {}", status.as_str()),
            AnnotationOp::Remove { id, .. } => format!("remove `{id}`"),
        }
    }
}

/// The one record an op on `id` (by `annotator`, if named) means: `None` when
/// it is gone (someone removed it meanwhile), an error when several records
/// share the id and nothing says which (issue 14, case 2: a remove used to
/// delete every record with the id, another annotator's included).
fn the_record(annotations: &[Annotation], id: &str, annotator: Option<&str>) -> Result<Option<usize>, String> {
    let mut matching = annotations.iter().enumerate().filter(|(_, a)| a.id == id && annotator.is_none_or(|n| a.annotator == n));
    let Some((first, _)) = matching.next() else { return Ok(None) };
    let others: Vec<&str> = matching.map(|(_, a)| a.annotator.as_str()).collect();
    if others.is_empty() {
        return Ok(Some(first));
    }
    Err(format!(
        "annotation id `{id}` is used by {} records (annotators: {}, {}); nothing was changed: name the annotator in the op, or give each record its own id in the sidecar",
        others.len() + 1,
        annotations[first].annotator,
        others.join(", ")
    ))
}

/// An annotation action offered at the cursor: its title and the ops it applies.
#[derive(Clone, Debug, PartialEq)]
pub struct AnnotationAction {
    /// What the editor shows ("Label as PERSON").
    pub title: String,
    /// The ops, applied all or nothing.
    pub ops: Vec<AnnotationOp>,
    /// The most likely action at the cursor.
    pub preferred: bool,
}

/// Applies `ops` for `who`, all or nothing: an op on an annotation that is gone
/// (someone else removed it meanwhile) is skipped; one `who` may not make, an
/// id two records share, or an added id already taken refuses the whole batch.
pub fn apply_annotation_ops(annotations: &mut Vec<Annotation>, ops: &[AnnotationOp], who: &Annotator) -> Result<(), String> {
    let mut changed = annotations.clone();
    for op in ops {
        apply_one(&mut changed, op, who).map_err(|reason| format!("{}: {reason}", op.describe()))?;
    }
    *annotations = changed;
    Ok(())
}

fn apply_one(annotations: &mut Vec<Annotation>, op: &AnnotationOp, who: &Annotator) -> Result<(), String> {
    match op {
        AnnotationOp::Add { annotation } => {
            if let Some(taken) = annotations.iter().find(|a| a.id == annotation.id) {
                // The same record again (an action applied twice) changes nothing.
                if taken == &**annotation {
                    return Ok(());
                }
                return Err(format!(
                    "the id is already used by {}'s {} \"{}\"; a new annotation needs a new id",
                    taken.annotator, taken.label, taken.exact
                ));
            }
            let same_meaning = annotations.iter().any(|a| {
                (a.kind, a.start, a.end, &a.label, &a.annotator, &a.entity, &a.speaker)
                    == (
                        annotation.kind,
                        annotation.start,
                        annotation.end,
                        &annotation.label,
                        &annotation.annotator,
                        &annotation.entity,
                        &annotation.speaker,
                    )
            });
            if !same_meaning {
                annotations.push((**annotation).clone());
            }
        }
        AnnotationOp::SetStatus { id, status, annotator } => {
            let Some(index) = the_record(annotations, id, annotator.as_deref())? else { return Ok(()) };
            let a = &mut annotations[index];
            if !who.may_change(a) {
                return Err(format!("the annotation belongs to {}; only a curator may change it", a.annotator));
            }
            if a.annotator == SUGGESTER {
                // Reviewing a suggestion makes it the reviewer's.
                a.extra.insert("suggested_by".into(), SUGGESTER.into());
                a.annotator = who.name.clone();
            }
            a.status = *status;
        }
        AnnotationOp::Remove { id, annotator } => {
            let Some(index) = the_record(annotations, id, annotator.as_deref())? else { return Ok(()) };
            if !who.may_change(&annotations[index]) {
                return Err(format!("the annotation belongs to {}; only a curator may remove it", annotations[index].annotator));
            }
            annotations.remove(index);
        }
    }
    Ok(())
}

/// What ops sent from outside (the annotation command) are checked against:
/// the article as the editor has it, the corpus's labels and knowledge base,
/// the sidecar's records and who is writing.
pub struct OpCheck<'a> {
    /// The article's text.
    pub text: &'a str,
    /// The corpus's entity labels.
    pub labels: &'a [String],
    /// The knowledge base.
    pub kb: &'a KnowledgeBase,
    /// The sidecar's records as they are now.
    pub existing: &'a [Annotation],
    /// Who writes.
    pub who: &'a Annotator,
}

/// Checks every op before anything is written, and completes an added
/// annotation's context (prefix, suffix) from the text when the client left it
/// out. The first bad op refuses the whole batch, named by its position
/// (issue 14, case 6: the command used to write whatever it was sent).
pub fn check_ops(ops: &mut [AnnotationOp], cx: &OpCheck) -> Result<(), String> {
    let index = LineIndex::new(cx.text);
    let text_len = index.code_point_offset(cx.text.len());
    let added_ids: Vec<String> =
        ops.iter().filter_map(|op| if let AnnotationOp::Add { annotation } = op { Some(annotation.id.clone()) } else { None }).collect();
    for (n, op) in ops.iter_mut().enumerate() {
        let problem = match op {
            AnnotationOp::Add { annotation } => check_added(annotation, cx, &index, text_len, &added_ids),
            AnnotationOp::SetStatus { id, .. } | AnnotationOp::Remove { id, .. } => {
                if id.trim().is_empty() {
                    Err("the id is empty".to_string())
                } else {
                    Ok(())
                }
            }
        };
        if let Err(problem) = problem {
            return Err(format!("op {} ({}): {problem}; nothing was written", n + 1, op.describe()));
        }
    }
    Ok(())
}

fn check_added(a: &mut Annotation, cx: &OpCheck, index: &LineIndex, text_len: usize, added_ids: &[String]) -> Result<(), String> {
    if a.id.trim().is_empty() || a.id.chars().any(char::is_control) {
        return Err(format!("the id {:?} is empty or holds control characters", a.id));
    }
    if a.start > a.end {
        return Err(format!("start {} is after end {}", a.start, a.end));
    }
    if a.end > text_len {
        return Err(format!("end {} is past the end of the article ({text_len} characters)", a.end));
    }
    if a.start == a.end {
        return Err("the span is empty".into());
    }
    let range = TextRange::new(index.byte_offset(a.start), index.byte_offset(a.end));
    if range.slice(cx.text) != a.exact {
        return Err(format!("`exact` is {:?} but the article has {:?} at {}..{}", a.exact, range.slice(cx.text), a.start, a.end));
    }
    let label_known = match a.kind {
        AnnotationKind::Entity => cx.labels.iter().any(|l| l == &a.label),
        AnnotationKind::Quote => crate::annotations::QUOTE_LABELS.contains(&a.label.as_str()),
    };
    if !label_known {
        return Err(format!("unknown label `{}`", a.label));
    }
    if let Some(entity) = &a.entity
        && cx.kb.get(entity).is_none()
    {
        return Err(format!("`{entity}` is not an id in the knowledge base"));
    }
    if let Some(speaker) = &a.speaker {
        if speaker == &a.id {
            return Err("a quote cannot be its own speaker".into());
        }
        let known = cx.existing.iter().any(|e| &e.id == speaker) || added_ids.contains(speaker) || cx.kb.get(speaker).is_some();
        if !known {
            return Err(format!("speaker `{speaker}` is neither an annotation in this sidecar nor a knowledge-base id"));
        }
    }
    let suggestion = a.annotator == SUGGESTER && a.status == Status::Suggested;
    if a.annotator != cx.who.name && !suggestion {
        return Err(format!("the annotator is `{}` but this editor records as `{}`", a.annotator, cx.who.name));
    }
    if a.prefix.is_empty() && a.suffix.is_empty() {
        let (_, prefix, suffix) = crate::annotations::selector_for(cx.text, range);
        (a.prefix, a.suffix) = (prefix, suffix);
    }
    Ok(())
}

/// Everything an action needs to know about the article and the annotator.
pub struct ActionContext<'a> {
    /// The article's text.
    pub text: &'a str,
    /// Its analysis.
    pub analysis: &'a Analysis,
    /// The knowledge base.
    pub kb: &'a KnowledgeBase,
    /// The corpus's entity labels.
    pub labels: &'a [String],
    /// The article's annotations, anchored to `text`.
    pub annotations: &'a [AnchoredAnnotation],
    /// Who annotates.
    pub who: &'a Annotator,
    /// RFC 3339 time stamped on new annotations.
    pub now: &'a str,
    /// Built once: a whole document's suggestions need thousands of offsets.
    index: LineIndex,
}

impl<'a> ActionContext<'a> {
    /// The context of one article for `who`, stamping new annotations with `now`.
    pub fn new(
        text: &'a str,
        analysis: &'a Analysis,
        kb: &'a KnowledgeBase,
        labels: &'a [String],
        annotations: &'a [AnchoredAnnotation],
        who: &'a Annotator,
        now: &'a str,
    ) -> ActionContext<'a> {
        ActionContext { text, analysis, kb, labels, annotations, who, now, index: LineIndex::new(text) }
    }

    fn new_annotation(&self, kind: AnnotationKind, label: &str, range: TextRange, status: Status, annotator: &str) -> Annotation {
        Annotation::on_span(self.text, &self.index, range, kind, label, Authorship { annotator, created: self.now, status })
    }

    /// The corpus label for a KB kind, if the label set has it.
    fn label_for(&self, kind: EntryKind) -> String {
        let wanted: &[&str] = match kind {
            EntryKind::Person => &["PERSON", "PER"],
            EntryKind::Organization => &["ORG", "ORGANIZATION"],
            EntryKind::Place => &["PLACE", "LOC", "GPE"],
            EntryKind::Agreement => &["AGREEMENT", "LAW"],
        };
        wanted
            .iter()
            .find(|w| self.labels.iter().any(|l| l == *w))
            .map(|w| w.to_string())
            .or_else(|| self.labels.first().cloned())
            .unwrap_or_else(|| "ENTITY".into())
    }

    fn describe(&self, a: &Annotation) -> String {
        let excerpt: String = a.exact.chars().take(40).collect();
        format!("{} \"{excerpt}\"", a.label)
    }

    /// Ops that put `annotation` on `span` in place of the annotator's own entity
    /// annotation there, so a span carries one label and one link per annotator:
    /// a new label keeps the old link, and a new link keeps the old label when
    /// `keep_label` is set.
    fn place_entity(&self, span: TextRange, mut annotation: Annotation, keep_label: bool) -> Vec<AnnotationOp> {
        let mut ops = Vec::new();
        let own = self.annotations.iter().filter(|a| {
            a.range == Some(span)
                && a.annotation.kind == AnnotationKind::Entity
                && a.annotation.is_active()
                && a.annotation.annotator == self.who.name
        });
        for existing in own {
            if annotation.entity.is_none() {
                annotation.entity = existing.annotation.entity.clone();
            }
            if keep_label {
                annotation.label = existing.annotation.label.clone();
            }
            ops.push(AnnotationOp::remove(&existing.annotation));
        }
        ops.push(AnnotationOp::Add { annotation: Box::new(annotation) });
        ops
    }

    /// An entity annotation for `range` linked to `entity`, reusing an existing
    /// active one on the same span.
    fn entity_annotation(
        &self,
        range: TextRange,
        entity: Option<(&str, EntryKind)>,
        status: Status,
        annotator: &str,
        ops: &mut Vec<AnnotationOp>,
    ) -> String {
        if let Some(existing) = self
            .annotations
            .iter()
            .find(|a| a.range == Some(range) && a.annotation.kind == AnnotationKind::Entity && a.annotation.is_active())
        {
            return existing.annotation.id.clone();
        }
        let label = entity.map_or_else(|| self.label_for(EntryKind::Person), |(_, kind)| self.label_for(kind));
        let mut annotation = self.new_annotation(AnnotationKind::Entity, &label, range, status, annotator);
        annotation.entity = entity.map(|(id, _)| id.to_string());
        let id = annotation.id.clone();
        ops.push(AnnotationOp::Add { annotation: Box::new(annotation) });
        id
    }
}

/// The actions available for `selection` (a cursor is an empty selection).
pub fn annotation_actions(cx: &ActionContext, selection: TextRange) -> Vec<AnnotationAction> {
    let mut actions = Vec::new();
    let mention = cx.analysis.mention_at(selection.start).filter(|m| selection.is_empty() || m.range == selection);
    let quote = cx.analysis.quote_at(selection.start).filter(|q| selection.is_empty() || q.range.contains_range(selection));
    let span = if !selection.is_empty() {
        let raw = selection.slice(cx.text);
        let lead = raw.len() - raw.trim_start().len();
        Some(TextRange::new(selection.start + lead, selection.start + lead + raw.trim().len())).filter(|r| !r.is_empty())
    } else {
        // Without a selection: the mention at the cursor, else the unknown
        // name there, else the word (issue 17: "Label as PERSON" needed a
        // visual selection on any name the knowledge base lacks).
        mention.map(|m| m.range).or_else(|| {
            cx.analysis
                .unknown_entities
                .iter()
                .find(|u| u.range.touches(selection.start))
                .map(|u| u.range)
                .or_else(|| word_at(cx.text, selection.start))
        })
    };

    // On a quote (and not on a name inside it): attribution.
    if let Some(quote) = quote
        && mention.is_none()
        && selection.is_empty()
    {
        for (speaker_range, entity) in speaker_candidates(cx, quote) {
            let name = entity.and_then(|id| cx.kb.get(id)).map_or_else(|| speaker_range.slice(cx.text).to_string(), |e| e.name.clone());
            let mut ops = Vec::new();
            let entity_kind = entity.and_then(|id| cx.kb.get(id)).map(|e| (e.id.as_str(), e.kind));
            let speaker_id = cx.entity_annotation(speaker_range, entity_kind, Status::Accepted, &cx.who.name, &mut ops);
            let mut annotation = cx.new_annotation(AnnotationKind::Quote, "QUOTE", quote.range, Status::Accepted, &cx.who.name);
            annotation.speaker = Some(speaker_id);
            ops.push(AnnotationOp::Add { annotation: Box::new(annotation) });
            let preferred = quote.speaker.as_ref().is_some_and(|s| s.range == speaker_range);
            actions.push(AnnotationAction { title: format!("Attribute to {name}"), ops, preferred });
        }
        for (label, title) in [("SCARE", "Mark as scare quote"), ("ANONYMOUS", "Mark as anonymous source")] {
            let annotation = cx.new_annotation(AnnotationKind::Quote, label, quote.range, Status::Accepted, &cx.who.name);
            actions.push(AnnotationAction {
                title: title.into(),
                ops: vec![AnnotationOp::Add { annotation: Box::new(annotation) }],
                preferred: false,
            });
        }
    }

    if let Some(span) = span {
        let linked = mention
            .or_else(|| cx.analysis.mentions().find(|m| m.range == span))
            .and_then(|m| cx.kb.get(&m.id))
            .or_else(|| cx.kb.lookup_alias(span.slice(cx.text)));
        if let Some(entry) = linked {
            let mut annotation = cx.new_annotation(AnnotationKind::Entity, &cx.label_for(entry.kind), span, Status::Accepted, &cx.who.name);
            annotation.entity = Some(entry.id.clone());
            actions.push(AnnotationAction {
                title: format!("Link to {} ({})", entry.name, entry.id),
                ops: cx.place_entity(span, annotation, true),
                preferred: true,
            });
        }
        for label in cx.labels {
            let annotation = cx.new_annotation(AnnotationKind::Entity, label, span, Status::Accepted, &cx.who.name);
            actions.push(AnnotationAction {
                title: format!("Label as {label}"),
                ops: cx.place_entity(span, annotation, false),
                preferred: false,
            });
        }
    }

    // Existing annotations under the cursor or selection. Reviewing a
    // suggestion there is the likeliest thing wanted: those come first, the
    // acceptance preferred (issue 17: "Accept suggestion" came sixth).
    let probe = if selection.is_empty() { TextRange::new(selection.start, selection.start) } else { selection };
    let mut reviews = Vec::new();
    for anchored in cx.annotations.iter().filter(|a| a.range.is_some_and(|r| r.overlaps(probe) || r.touches(probe.start))) {
        let a = &anchored.annotation;
        if !cx.who.may_change(a) {
            continue;
        }
        if a.status == Status::Suggested {
            reviews.push(AnnotationAction {
                title: format!("Accept suggestion: {}", cx.describe(a)),
                ops: vec![AnnotationOp::set_status(a, Status::Accepted)],
                preferred: true,
            });
            reviews.push(AnnotationAction {
                title: format!("Reject suggestion: {}", cx.describe(a)),
                ops: vec![AnnotationOp::set_status(a, Status::Rejected)],
                preferred: false,
            });
        }
        actions.push(AnnotationAction {
            title: format!("Remove annotation: {}", cx.describe(a)),
            ops: vec![AnnotationOp::remove(a)],
            preferred: false,
        });
    }

    reviews.extend(curation_actions(cx, probe));
    if !reviews.is_empty() {
        for action in &mut actions {
            action.preferred = false;
        }
        actions.splice(0..0, reviews);
    }

    // Bulk review.
    let suggested_in = |range: Option<TextRange>| -> Vec<AnnotationOp> {
        cx.annotations
            .iter()
            .filter(|a| {
                a.annotation.status == Status::Suggested
                    && (range.is_none() || a.range.zip(range).is_some_and(|(r, p)| p.contains_range(r)))
            })
            .filter(|a| cx.who.may_change(&a.annotation))
            .map(|a| AnnotationOp::set_status(&a.annotation, Status::Accepted))
            .collect()
    };
    if let Some(paragraph) = cx.analysis.article.paragraph_at(selection.start) {
        let ops = suggested_in(Some(cx.analysis.article.paragraphs[paragraph].range));
        if !ops.is_empty() {
            actions.push(AnnotationAction {
                title: format!("Accept all {} suggestions in this paragraph", ops.len()),
                ops,
                preferred: false,
            });
        }
    }
    let ops = suggested_in(None);
    if !ops.is_empty() {
        actions.push(AnnotationAction { title: format!("Accept all {} suggestions in this document", ops.len()), ops, preferred: false });
    } else if !cx.annotations.iter().any(|a| a.annotation.status == Status::Suggested) {
        let ops = suggestions_for_document(cx);
        if !ops.is_empty() {
            actions.push(AnnotationAction { title: format!("Suggest {} annotations for this document", ops.len()), ops, preferred: false });
        }
    }
    actions
}

/// For a curator on a span where annotators disagree: "Keep alice's: PERSON
/// sergey-lavrov" for each version, writing a curated record that settles the
/// span (issue 17). Others see the conflict but cannot settle it.
fn curation_actions(cx: &ActionContext, probe: TextRange) -> Vec<AnnotationAction> {
    if !cx.who.curator {
        return Vec::new();
    }
    let annotators = crate::annotations::curation::annotators_of(cx.annotations.iter().map(|a| &a.annotation));
    if annotators.len() < 2 {
        return Vec::new();
    }
    let records: Vec<Annotation> = cx.annotations.iter().map(|a| a.annotation.clone()).collect();
    let range_of = |id: &str| cx.annotations.iter().find(|a| a.annotation.id == id).and_then(|a| a.range);
    let mut actions = Vec::new();
    for cluster in crate::annotations::curation::compare(&records, &annotators) {
        if cluster.settled || cluster.agreed() {
            continue;
        }
        let here = cluster.records.iter().filter_map(|a| range_of(&a.id)).any(|r| r.overlaps(probe) || r.touches(probe.start));
        if !here {
            continue;
        }
        let settle = |version: &Annotation| AnnotationOp::Add {
            annotation: Box::new(crate::annotations::curation::settle(&cluster, version, &cx.who.name, cx.now, Status::Accepted)),
        };
        for version in &cluster.records {
            actions.push(AnnotationAction {
                title: format!("Keep {}", crate::annotations::curation::describe_version(version)),
                ops: vec![settle(version)],
                preferred: false,
            });
        }
        // Two versions that can stand side by side (different spans, one
        // label): the curator may keep both, settling the span with two records.
        for (i, a) in cluster.records.iter().enumerate() {
            for b in cluster.records[i + 1..].iter().filter(|b| crate::annotations::curation::compatible(a, b)) {
                actions.push(AnnotationAction {
                    title: format!(
                        "Keep both: {} and {}",
                        crate::annotations::curation::describe_span(a),
                        crate::annotations::curation::describe_span(b)
                    ),
                    ops: vec![settle(a), settle(b)],
                    preferred: false,
                });
            }
        }
    }
    actions
}

/// The word around byte `at` (letters, digits, inner hyphens and apostrophes),
/// if the cursor touches one.
///
/// ```
/// # use marginalia::ide::annotate::word_at;
/// let text = "the OSCE summit in Stockholm";
/// assert_eq!(word_at(text, 10).map(|r| r.slice(text)), Some("summit"));
/// assert_eq!(word_at(text, 15), Some(marginalia::text::TextRange::new(9, 15)), "just after a word still finds it");
/// assert_eq!(word_at("a  b", 2), None);
/// ```
pub fn word_at(text: &str, at: usize) -> Option<TextRange> {
    let part_of_word = |c: char| c.is_alphanumeric() || matches!(c, '-' | '\'' | '’');
    let start = text[..at].char_indices().rev().take_while(|&(_, c)| part_of_word(c)).last().map_or(at, |(i, _)| i);
    let end = text[at..].char_indices().find(|&(_, c)| !part_of_word(c)).map_or(text.len(), |(i, _)| at + i);
    let word = &text[start..end];
    let trimmed = word.trim_matches(|c: char| !c.is_alphanumeric());
    if trimmed.is_empty() {
        return None;
    }
    let lead = word.len() - word.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
    Some(TextRange::new(start + lead, start + lead + trimmed.len()))
}

/// Who might have spoken `quote`: the proposed speaker and candidates, then
/// people named in its paragraph and the one before, nearest first.
fn speaker_candidates<'a>(cx: &'a ActionContext, quote: &'a crate::analysis::QuoteSpan) -> Vec<(TextRange, Option<&'a str>)> {
    let mut found: Vec<(TextRange, Option<&str>)> = Vec::new();
    for speaker in quote.speaker.iter().chain(&quote.candidates) {
        let range = speaker.antecedent.filter(|_| speaker.entity.is_some()).unwrap_or(speaker.range);
        found.push((range, speaker.entity.as_deref()));
    }
    let paragraph = cx.analysis.article.paragraph_at(quote.range.start).unwrap_or(0);
    let from = cx.analysis.article.paragraphs.get(paragraph.saturating_sub(1)).map_or(0, |p| p.range.start);
    let to = cx.analysis.article.paragraphs.get(paragraph).map_or(cx.text.len(), |p| p.range.end);
    let mut nearby: Vec<&crate::analysis::Mention> = cx
        .analysis
        .entities
        .iter()
        .filter(|m| m.kind == EntryKind::Person && m.range.start >= from && m.range.end <= to && !quote.range.contains_range(m.range))
        .collect();
    nearby.sort_by_key(|m| m.range.start.abs_diff(quote.range.start));
    for m in nearby {
        found.push((m.range, Some(m.id.as_str())));
    }
    let mut seen = std::collections::HashSet::new();
    found.retain(|(range, entity)| seen.insert(entity.map(str::to_string).unwrap_or_else(|| range.slice(cx.text).to_string())));
    found.truncate(5);
    found
}

/// Rule-based proposals for a whole article: every KB mention and every
/// attributed quote, written as suggestions for review.
pub fn suggestions_for_document(cx: &ActionContext) -> Vec<AnnotationOp> {
    let mut ops = Vec::new();
    let annotated = |kind: AnnotationKind, range: TextRange| {
        cx.annotations.iter().any(|a| a.annotation.kind == kind && a.annotation.is_active() && a.range.is_some_and(|r| r.overlaps(range)))
    };
    for mention in cx.analysis.mentions().filter(|m| !annotated(AnnotationKind::Entity, m.range)) {
        let mut annotation =
            cx.new_annotation(AnnotationKind::Entity, &cx.label_for(mention.kind), mention.range, Status::Suggested, SUGGESTER);
        annotation.entity = Some(mention.id.clone());
        ops.push(AnnotationOp::Add { annotation: Box::new(annotation) });
    }
    for quote in
        cx.analysis.quotes.iter().filter(|q| q.kind != crate::analysis::QuoteKind::Scare && !annotated(AnnotationKind::Quote, q.range))
    {
        let Some(speaker) = &quote.speaker else { continue };
        let range = speaker.antecedent.filter(|_| speaker.entity.is_some()).unwrap_or(speaker.range);
        let speaker_id = match ops.iter().find_map(|op| match op {
            AnnotationOp::Add { annotation }
                if annotation.kind == AnnotationKind::Entity
                    && (annotation.start, annotation.end)
                        == (cx.index.code_point_offset(range.start), cx.index.code_point_offset(range.end)) =>
            {
                Some(annotation.id.clone())
            }
            _ => None,
        }) {
            Some(id) => id,
            None => {
                let entity = speaker.entity.as_deref().and_then(|id| cx.kb.get(id)).map(|e| (e.id.as_str(), e.kind));
                cx.entity_annotation(range, entity, Status::Suggested, SUGGESTER, &mut ops)
            }
        };
        let mut annotation = cx.new_annotation(AnnotationKind::Quote, "QUOTE", quote.range, Status::Suggested, SUGGESTER);
        annotation.speaker = Some(speaker_id);
        ops.push(AnnotationOp::Add { annotation: Box::new(annotation) });
    }
    ops
}

/// The document's rule-based proposals as annotations (what "Suggest N
/// annotations" writes), for pre-annotating outside the editor.
pub fn suggested_annotations(cx: &ActionContext) -> Vec<Annotation> {
    let mut annotations = Vec::new();
    // Adding to an empty list cannot be refused.
    let _ = apply_annotation_ops(&mut annotations, &suggestions_for_document(cx), cx.who);
    annotations
}
