//! brat standoff (`NAME.ann` beside `NAME.txt`): `T` lines for spans, `R` lines
//! for quote→speaker links to a speaker span, `N` lines for knowledge-base links,
//! and an `A` (attribute) line for a speaker known only by its knowledge-base id
//! (fields tab-separated):
//!
//! ```text
//! T1    PERSON 17 23    Lavrov
//! T2    QUOTE 0 16    “We want peace,”
//! R1    Speaker Arg1:T2 Arg2:T1
//! N1    Reference T1 marginalia_kb:sergey-lavrov    sergey-lavrov
//! A1    SpeakerKB T3 vladimir-putin
//! ```

use std::collections::{BTreeSet, HashMap, HashSet};

use super::{
    ExportDocument, ImportedSpan, KB_NAMESPACE, Notes, SpeakerRef, SpeakerTarget, kind_for_label, place_annotations, speaker_target,
};
use crate::annotations::{AnnotationKind, QUOTE_LABELS};
use crate::text::{LineIndex, TextRange};

/// Relation type linking a quote (Arg1) to its speaker span (Arg2).
pub const SPEAKER_RELATION: &str = "Speaker";
/// Attribute type holding a speaker's knowledge-base id when no span names it.
pub const SPEAKER_KB_ATTRIBUTE: &str = "SpeakerKB";

/// A brat `.ann` file and what it could not hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BratExport {
    /// The `.ann` text.
    pub ann: String,
    /// What was left out, by reason.
    pub notes: Notes,
}

/// The `.ann` file for one article. Spans are numbered in text order.
pub fn to_brat(doc: &ExportDocument) -> BratExport {
    let mut notes = Notes::default();
    let placed = place_annotations(doc.text, doc.annotations, &mut notes);
    let index = LineIndex::new(doc.text);
    let t_ids: HashMap<&str, String> = placed.iter().enumerate().map(|(n, p)| (p.annotation.id.as_str(), format!("T{}", n + 1))).collect();
    let mut ann = String::new();
    let (mut relations, mut normalizations, mut attributes) = (0, 0, 0);
    let mut links = String::new();
    for p in &placed {
        let t = &t_ids[p.annotation.id.as_str()];
        let fragments = line_fragments(doc.text, p.range);
        let offsets: Vec<String> =
            fragments.iter().map(|r| format!("{} {}", index.code_point_offset(r.start), index.code_point_offset(r.end))).collect();
        let covered: Vec<&str> = fragments.iter().map(|r| r.slice(doc.text)).collect();
        // A brat type is one word; spaces in a label would shift every field after it.
        let label = p.annotation.label.split_whitespace().collect::<Vec<_>>().join("_");
        ann.push_str(&format!("{t}\t{label} {}\t{}\n", offsets.join(";"), covered.join(" ")));
        if let Some(entity) = &p.annotation.entity {
            normalizations += 1;
            links.push_str(&format!("N{normalizations}\tReference {t} {KB_NAMESPACE}:{entity}\t{entity}\n"));
        }
        match p.annotation.speaker.as_deref().and_then(|speaker| speaker_target(doc, &placed, speaker, &mut notes)) {
            None => {}
            Some(SpeakerTarget::Annotation(speaker)) => {
                relations += 1;
                links.push_str(&format!("R{relations}\t{SPEAKER_RELATION} Arg1:{t} Arg2:{}\n", t_ids[speaker]));
            }
            Some(SpeakerTarget::KnowledgeBase(entity)) => {
                attributes += 1;
                links.push_str(&format!("A{attributes}\t{SPEAKER_KB_ATTRIBUTE} {t} {entity}\n"));
            }
        }
    }
    ann.push_str(&links);
    BratExport { ann, notes }
}

/// brat cannot hold a line break inside a span's text, so a span across lines
/// becomes one fragment per line (trimmed), as brat's own editor writes them.
fn line_fragments(text: &str, range: TextRange) -> Vec<TextRange> {
    let mut fragments = Vec::new();
    let mut at = range.start;
    for piece in range.slice(text).split_inclusive(['\n', '\r']) {
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            fragments.push(TextRange::new(at + lead, at + lead + trimmed.len()));
        }
        at += piece.len();
    }
    if fragments.is_empty() {
        fragments.push(range);
    }
    fragments
}

/// `annotation.conf` for the exported folder, so brat can display it: every
/// label used, the Speaker relation and the SpeakerKB attribute.
pub fn annotation_conf(docs: &[ExportDocument]) -> String {
    let mut entity_labels = BTreeSet::new();
    let mut quote_labels = BTreeSet::new();
    let mut speaker_ids = BTreeSet::new();
    for doc in docs {
        for a in doc.annotations {
            match a.kind {
                AnnotationKind::Entity => entity_labels.insert(a.label.as_str()),
                AnnotationKind::Quote => quote_labels.insert(a.label.as_str()),
            };
            // Speakers that are annotation ids become relations; the others are KB ids.
            if let Some(speaker) = &a.speaker
                && !doc.annotations.iter().any(|other| &other.id == speaker)
            {
                speaker_ids.insert(speaker.as_str());
            }
        }
    }
    let join = |set: &BTreeSet<&str>| set.iter().copied().collect::<Vec<_>>().join("|");
    let mut conf = String::from("# Written by marginalia export.\n[entities]\n");
    for label in entity_labels.iter().chain(&quote_labels) {
        conf.push_str(&format!("{label}\n"));
    }
    conf.push_str("\n[relations]\n");
    if !quote_labels.is_empty() && !entity_labels.is_empty() {
        conf.push_str(&format!("{SPEAKER_RELATION}\tArg1:{}, Arg2:{}\n", join(&quote_labels), join(&entity_labels)));
    }
    conf.push_str("<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>\n\n[events]\n\n[attributes]\n");
    if !quote_labels.is_empty() && !speaker_ids.is_empty() {
        conf.push_str(&format!("{SPEAKER_KB_ATTRIBUTE}\tArg:{}, Value:{}\n", join(&quote_labels), join(&speaker_ids)));
    }
    conf
}

/// A parsed `.ann` file: the spans marginalia can hold, and what it left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BratDocument {
    /// Spans marginalia can hold.
    pub spans: Vec<ImportedSpan>,
    /// What it left out, by reason.
    pub skipped: Notes,
}

/// One record: an id and the rest of its line(s).
struct Record<'a> {
    id: &'a str,
    body: String,
}

/// Splits the file into records. A line that does not start a record (brat ids
/// are a letter or `#` plus digits, then a tab) continues the previous one:
/// some tools write a span's text with a raw line break in it.
fn records(ann: &str) -> Vec<Record<'_>> {
    let mut records: Vec<Record> = Vec::new();
    for line in ann.lines() {
        let (id, rest) = line.split_once('\t').unwrap_or((line, ""));
        let starts_record = id == "*"
            || (id.len() > 1 && id.starts_with(['T', 'R', 'E', 'A', 'M', 'N', '#']) && id[1..].bytes().all(|b| b.is_ascii_digit()));
        match records.last_mut() {
            Some(last) if !starts_record => {
                last.body.push('\n');
                last.body.push_str(line);
            }
            _ if line.trim().is_empty() => {}
            _ => records.push(Record { id, body: rest.to_string() }),
        }
    }
    records
}

/// Reads a `.ann` file against its article `text`. Span types become labels
/// (quote labels give quote annotations, the rest entities); `Speaker` relations,
/// `marginalia_kb` references and `SpeakerKB` attributes become links. Events
/// (and their trigger spans), other relations, attributes and notes are counted
/// in `skipped`, as are spans whose text does not match the article.
pub fn parse_brat(ann: &str, text: &str) -> BratDocument {
    let index = LineIndex::new(text);
    let records = records(ann);
    let mut skipped = Notes::default();
    let mut triggers: HashSet<&str> = HashSet::new();
    let mut speakers: HashMap<&str, SpeakerRef> = HashMap::new();
    let mut entities: HashMap<&str, String> = HashMap::new();
    for record in &records {
        let mut words = record.body.split_whitespace();
        match record.id.chars().next() {
            Some('E') => {
                let trigger = words.next().and_then(|w| w.split_once(':'));
                if let Some((event_type, t)) = trigger {
                    triggers.insert(t);
                    skipped.add(format!("events ({event_type}): marginalia has no event annotations"));
                }
            }
            Some('R') => match (words.next(), words.next(), words.next()) {
                (Some(SPEAKER_RELATION), Some(arg1), Some(arg2)) => {
                    let (quote, speaker) = (arg1.trim_start_matches("Arg1:"), arg2.trim_start_matches("Arg2:"));
                    speakers.insert(quote, SpeakerRef::Span(speaker.to_string()));
                }
                (relation, ..) => skipped.add(format!("relations ({})", relation.unwrap_or("?"))),
            },
            Some('N') => match (words.next(), words.next(), words.next()) {
                (Some("Reference"), Some(t), Some(reference)) if reference.starts_with(&format!("{KB_NAMESPACE}:")) => {
                    entities.insert(t, reference[KB_NAMESPACE.len() + 1..].to_string());
                }
                (_, _, reference) => {
                    let database = reference.and_then(|r| r.split_once(':')).map_or("?", |(db, _)| db);
                    skipped.add(format!("normalizations to other databases ({database})"));
                }
            },
            Some('A') | Some('M') => match (words.next(), words.next(), words.next()) {
                (Some(SPEAKER_KB_ATTRIBUTE), Some(t), Some(id)) => {
                    speakers.insert(t, SpeakerRef::KnowledgeBase(id.to_string()));
                }
                (attribute, ..) => skipped.add(format!("attributes ({})", attribute.unwrap_or("?"))),
            },
            Some('#') => skipped.add("AnnotatorNotes comments"),
            Some('*') => skipped.add("equivalence (*) lines"),
            _ => {}
        }
    }
    // Spans with a speaker are quotes whatever their label.
    let quotes: HashSet<&str> = speakers.keys().copied().collect();
    let mut spans = Vec::new();
    for record in records.iter().filter(|r| r.id.starts_with('T')) {
        let (head, covered) = record.body.split_once('\t').unwrap_or((&record.body, ""));
        let Some((label, offsets)) = head.split_once(' ') else {
            skipped.add("malformed T lines");
            continue;
        };
        if triggers.contains(record.id) {
            skipped.add(format!("event trigger spans ({label}), left out with their events"));
            continue;
        }
        let Some(fragments) = parse_fragments(offsets) else {
            skipped.add("malformed T lines");
            continue;
        };
        let found: Vec<&str> = fragments.iter().map(|&(s, e)| super::code_point_range(&index, s, e).slice(text)).collect();
        if found.join(" ") != covered || fragments.iter().any(|&(s, e)| s > e || e > index.code_point_offset(text.len())) {
            skipped.add("spans whose text differs from the article (wrong text or offsets)");
            continue;
        }
        let kind = if quotes.contains(record.id) || QUOTE_LABELS.contains(&label) { AnnotationKind::Quote } else { kind_for_label(label) };
        for (n, (start, end)) in join_fragments(text, &index, &fragments).into_iter().enumerate() {
            spans.push(ImportedSpan {
                key: if n == 0 { record.id.to_string() } else { format!("{}#{}", record.id, n + 1) },
                kind,
                label: label.to_string(),
                start,
                end,
                entity: entities.get(record.id).cloned(),
                speaker: speakers.get(record.id).cloned(),
                annotator: None,
            });
        }
    }
    BratDocument { spans, skipped }
}

/// `"12 20;25 30"` → `[(12, 20), (25, 30)]`.
fn parse_fragments(offsets: &str) -> Option<Vec<(usize, usize)>> {
    offsets
        .split(';')
        .map(|fragment| {
            let (start, end) = fragment.trim().split_once(' ')?;
            Some((start.parse().ok()?, end.parse().ok()?))
        })
        .collect()
}

/// Fragments separated only by white space (a span brat split at line breaks)
/// are one span again; fragments with words between them stay separate spans,
/// since an annotation is contiguous.
fn join_fragments(text: &str, index: &LineIndex, fragments: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut joined: Vec<(usize, usize)> = Vec::new();
    for &(start, end) in fragments {
        match joined.last_mut() {
            Some(last) if last.1 <= start && super::code_point_range(index, last.1, start).slice(text).trim().is_empty() => last.1 = end,
            _ => joined.push((start, end)),
        }
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interchange::test_support::annotate;

    const TEXT: &str = "“We want peace,” Lavrov said.\n\n“We are ready,” Putin added, “to talk\nto anyone.”";

    #[test]
    fn spans_links_and_kb_speakers_are_written() {
        let lavrov = {
            let mut a = annotate(TEXT, "a2", AnnotationKind::Entity, "PERSON", "Lavrov");
            a.entity = Some("sergey-lavrov".into());
            a
        };
        let mut quote = annotate(TEXT, "a1", AnnotationKind::Quote, "QUOTE", "“We want peace,”");
        quote.speaker = Some("a2".into());
        let mut second = annotate(TEXT, "a3", AnnotationKind::Quote, "QUOTE", "“to talk\nto anyone.”");
        second.speaker = Some("vladimir-putin".into());
        let annotations = [quote, lavrov, second];
        let export = to_brat(&ExportDocument { name: "x", source: "articles/x.txt", text: TEXT, annotations: &annotations });
        let start = TEXT[..TEXT.find("“to talk").unwrap()].chars().count();
        // “to talk is 8 code points, then the line break, then to anyone.” (11).
        let expected = format!(
            "T1\tQUOTE 0 16\t“We want peace,”\nT2\tPERSON 17 23\tLavrov\nT3\tQUOTE {} {};{} {}\t“to talk to anyone.”\n",
            start,
            start + 8,
            start + 9,
            start + 20
        );
        let links =
            "R1\tSpeaker Arg1:T1 Arg2:T2\nN1\tReference T2 marginalia_kb:sergey-lavrov\tsergey-lavrov\nA1\tSpeakerKB T3 vladimir-putin\n";
        assert_eq!(export.ann, format!("{expected}{links}"));
        assert!(export.notes.is_empty());
    }

    #[test]
    fn written_file_reads_back_to_the_same_spans() {
        let mut quote = annotate(TEXT, "a1", AnnotationKind::Quote, "QUOTE", "“to talk\nto anyone.”");
        quote.speaker = Some("a2".into());
        let putin = annotate(TEXT, "a2", AnnotationKind::Entity, "PERSON", "Putin");
        let annotations = [quote.clone(), putin.clone()];
        let export = to_brat(&ExportDocument { name: "x", source: "articles/x.txt", text: TEXT, annotations: &annotations });
        let parsed = parse_brat(&export.ann, TEXT);
        assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
        let got: Vec<(AnnotationKind, &str, usize, usize, Option<&SpeakerRef>)> =
            parsed.spans.iter().map(|s| (s.kind, s.label.as_str(), s.start, s.end, s.speaker.as_ref())).collect();
        let speaker = SpeakerRef::Span("T1".into());
        assert_eq!(
            got,
            [
                (AnnotationKind::Entity, "PERSON", putin.start, putin.end, None),
                (AnnotationKind::Quote, "QUOTE", quote.start, quote.end, Some(&speaker))
            ]
        );
    }

    #[test]
    fn events_and_their_triggers_are_skipped_and_counted() {
        let text = "Lavrov warned that NATO would pay.";
        let ann = "T1\tSource 0 6\tLavrov\nT2\tCue 7 13\twarned\nT3\tContent 14 33\tthat NATO would pay\n\
                   T4\tAttribution 7 13\twarned\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n#1\tAnnotatorNotes T1\tcheck\n";
        let parsed = parse_brat(ann, text);
        let labels: Vec<&str> = parsed.spans.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["Source", "Cue", "Content"]);
        assert_eq!(
            parsed.skipped.summary(),
            "1 × AnnotatorNotes comments; 1 × event trigger spans (Attribution), left out with their events; \
             1 × events (Attribution): marginalia has no event annotations"
        );
    }

    #[test]
    fn code_point_offsets_raw_newlines_and_discontinuous_spans() {
        let text = "“Ja,” sagte Müller. Er sagte\nspäter: nein und doch.";
        // Continuation line inside a T text; fragments with words between stay apart.
        let ann = "T1\tSource 6 11\tsagte\nT2\tContent 20 22;29 35\tEr später\nT3\tContent 23 28\tsagte\nsp\n";
        let parsed = parse_brat(ann, text);
        let spans: Vec<(&str, usize, usize)> = parsed.spans.iter().map(|s| (s.key.as_str(), s.start, s.end)).collect();
        assert_eq!(spans, [("T1", 6, 11), ("T2", 20, 22), ("T2#2", 29, 35)]);
        assert_eq!(parsed.skipped.summary(), "1 × spans whose text differs from the article (wrong text or offsets)");
    }
}
