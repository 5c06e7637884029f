//! What the knowledge base lacks (`marginalia kb suggest`): the unknown names
//! the analysis reports across a corpus, cleaned (`kb/names.rs`), clustered into
//! one suggestion per entity, given a kind and ranked by mentions and documents,
//! then written as a draft KB file for review.
//!
//! The steps, each a function below:
//!
//! 1. [`occurrences`]: every `unknown-entity` name of every document, cleaned of
//!    titles and honorifics (also those the analysis left just before the name:
//!    "Ukrainian President" before "Olesia Markovic"), with the evidence of its
//!    kind around it: a title or honorific, a speech verb after or before it
//!    ("Baerbock said", "said Annalena Baerbock"), a place preposition before it.
//! 2. [`cluster`]: variants of one person's name are one entity when their first
//!    and last words agree ("Hillary Clinton", "Hillary Rodham Clinton"); the
//!    most frequent variant names it.
//! 3. [`count_surnames`]: in each document where a person's full name occurs,
//!    the surname alone ("Clinton") and after an honorific ("Mrs. Clinton")
//!    counts as a mention too, unless two suggested people share it there.
//! 4. [`countries`]: countries named, or only referred to by a demonym ("Russian
//!    security"), that the KB lacks. The demonym is evidence and is reported,
//!    never made an alias: a demonym is not a place.
//! 5. [`kind_of`]: the kind, by the first rule that fires, named in the draft:
//!    the name's own words (agreement head, organization word or acronym,
//!    place word), then a title or speech verb (person), then a place
//!    preposition (place), then the analysis's guess.
//!
//! Ranked by mentions, then documents. Every suggestion keeps its evidence
//! (variants with counts, role hints with the article dates they were seen on),
//! so the reviewer sees why it is there.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use super::fixes::{append_json_entry, id_from_name};
use super::{FileEdit, SourceChange};
use crate::analysis::{Mention, SpeechCues, UnknownEntity};
use crate::kb::json_tree::{JsonValue, parse_json};
use crate::kb::names::{
    DEMONYMS, PLACE_PREPOSITIONS, clean_name, demonym_country, expand_title, honorific, is_title_word, kind_from_words, surname,
};
use crate::kb::{DRAFT_FIELD, EntryKind, KnowledgeBase};
use crate::text::TextRange;

/// One analysed document, as `kb suggest` reads it.
pub struct SuggestInput<'a> {
    /// The document's text.
    pub text: &'a str,
    /// Its date, for the first and last dates a role was seen.
    pub date: Option<NaiveDate>,
    /// The names the analysis found missing from the KB.
    pub unknown: &'a [UnknownEntity],
    /// The KB's mentions in the document: names already known are not counted.
    pub mentions: &'a [Mention],
}

/// Why a suggestion has its kind: the rule that fired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KindRule {
    /// The name's own words: "Ministry", "Protocol", "Oblast", an acronym.
    NameWords,
    /// A title or honorific before the name.
    Title,
    /// A speech verb next to the name.
    SpeechVerb,
    /// A place preposition before the name ("in", "near").
    Preposition,
    /// A country of the gazetteer, or named by its demonym.
    Gazetteer,
    /// The analysis's guess from the name's shape.
    Shape,
}

impl KindRule {
    /// The rule in words, as the draft's comment and the hover say it.
    pub fn describe(self) -> &'static str {
        match self {
            KindRule::NameWords => "the words of the name",
            KindRule::Title => "a title or honorific before the name",
            KindRule::SpeechVerb => "a speech verb next to the name",
            KindRule::Preposition => "a place preposition before the name",
            KindRule::Gazetteer => "a country of the gazetteer",
            KindRule::Shape => "the shape of the name",
        }
    }
}

/// A role written before a person's name, with the article dates it was seen on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleHint {
    /// The title as written ("Foreign Minister").
    pub title: String,
    /// How often it was seen.
    pub count: usize,
    /// The earliest article date it was seen on.
    pub first_seen: Option<NaiveDate>,
    /// The latest article date it was seen on.
    pub last_seen: Option<NaiveDate>,
}

/// One suggested knowledge-base entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// The entry's name (the fullest form seen).
    pub name: String,
    /// Its kind.
    pub kind: EntryKind,
    /// The rule that gave the kind.
    pub rule: KindRule,
    /// Other forms that name it (a surname alone, a variant spelling).
    pub aliases: Vec<String>,
    /// Mentions across the documents.
    pub mentions: usize,
    /// Documents it is mentioned in.
    pub documents: usize,
    /// How the entity is written, with counts, most frequent first.
    pub variants: Vec<(String, usize)>,
    /// Roles written before the name.
    pub role_hints: Vec<RoleHint>,
    /// For a country: the demonym that referred to it, and how often.
    pub demonym: Option<(String, usize)>,
}

/// One unknown name in one document, cleaned, with the evidence around it.
#[derive(Clone, Debug)]
pub struct Occurrence {
    /// Index of the document in the input.
    pub document: usize,
    /// The name as written, in bytes of that document.
    pub range: TextRange,
    /// As written ("German Foreign Minister Annalena Baerbock").
    pub written: String,
    /// Cleaned ("Annalena Baerbock").
    pub name: String,
    /// The title before the name, if any.
    pub role_hint: Option<String>,
    /// Whether a title or honorific came before it.
    pub titled: bool,
    /// Whether a speech verb stood next to it.
    pub speech_verb: bool,
    /// Whether a place preposition came before it.
    pub preposition: bool,
    /// The kind the name's shape suggests.
    pub shape_kind: EntryKind,
}

/// Suggestions for every name the analysis reports as unknown in `documents`,
/// ranked, with at least `min_mentions` mentions each.
pub fn suggest(documents: &[SuggestInput], kb: &KnowledgeBase, cues: &SpeechCues, min_mentions: usize) -> Vec<Suggestion> {
    let verbs: HashSet<&str> = cues.verbs().iter().map(String::as_str).filter(|v| !v.contains(' ')).collect();
    let found = occurrences(documents, &verbs);
    let mut suggestions = cluster(&found, documents);
    count_surnames(&mut suggestions, &found, documents, kb);
    for country in countries(documents, kb) {
        match suggestions.iter_mut().find(|s| key(&s.name) == key(&country.name)) {
            Some(named) => {
                // The name was reported unknown too: one suggestion, with the
                // gazetteer's count (every occurrence) and the demonym.
                named.kind = EntryKind::Place;
                named.rule = KindRule::Gazetteer;
                named.mentions = named.mentions.max(country.mentions);
                named.documents = named.documents.max(country.documents);
                named.demonym = country.demonym;
            }
            None => suggestions.push(country),
        }
    }
    // A lone surname shared by two suggested people names neither.
    let surnames: HashSet<String> =
        suggestions.iter().filter(|s| s.kind == EntryKind::Person).filter_map(|s| surname(&s.name).map(key)).collect();
    suggestions.retain(|s| !(s.kind == EntryKind::Person && !s.name.contains(' ') && surnames.contains(&key(&s.name))));
    suggestions.retain(|s| s.mentions >= min_mentions.max(1) && kb.lookup_alias(&s.name).is_none());
    suggestions.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(b.documents.cmp(&a.documents)).then(a.name.cmp(&b.name)));
    suggestions
}

/// The words right before `at`, on its line, separated by single spaces.
fn words_before(text: &str, at: usize, limit: usize) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut end = at;
    while words.len() < limit {
        let Some(before) = text[..end].strip_suffix(' ') else { break };
        let start = before.rfind([' ', '\n', '\t']).map_or(0, |i| i + 1);
        let word = &before[start..];
        if word.is_empty() {
            break;
        }
        words.push((start, word));
        end = start;
    }
    words
}

/// The word after `at` (past a comma and spaces), lowercased.
fn word_after(text: &str, at: usize) -> String {
    let rest = text[at..].trim_start_matches([',', ' ']);
    rest.split(|c: char| !c.is_alphabetic()).next().unwrap_or_default().to_lowercase()
}

/// Step 1: the cleaned unknown names of every document with their evidence.
pub fn occurrences(documents: &[SuggestInput], speech_verbs: &HashSet<&str>) -> Vec<Occurrence> {
    let mut found = Vec::new();
    for (d, document) in documents.iter().enumerate() {
        let text = document.text;
        for unknown in document.unknown {
            let clean = clean_name(&unknown.name);
            if clean.name.is_empty() {
                continue;
            }
            // Title words the analysis left before the name ("Ukrainian
            // President" before "Olesia Markovic").
            let before = words_before(text, unknown.range.start, 6);
            let mut titled: Vec<&str> = Vec::new();
            let mut had_honorific = clean.honorific.is_some();
            for (i, (_, word)) in before.iter().enumerate() {
                let joins = matches!(*word, "of" | "the") && before.get(i + 1).is_some_and(|(_, w)| is_title_word(w));
                if honorific(word).is_some() && titled.is_empty() {
                    had_honorific = true;
                } else if is_title_word(word) || (joins && !titled.is_empty()) {
                    titled.push(word);
                } else {
                    break;
                }
            }
            titled.reverse();
            let mut role: Vec<String> = Vec::new();
            if !titled.is_empty() {
                role.push(expand_title(&titled.join(" ")));
            }
            role.extend(clean.role_hint.clone());
            let role_hint = (!role.is_empty()).then(|| role.join(" "));
            let previous = before.first().map(|(_, w)| w.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase()).unwrap_or_default();
            let speech_verb =
                speech_verbs.contains(word_after(text, unknown.range.end).as_str()) || speech_verbs.contains(previous.as_str());
            let preposition = PLACE_PREPOSITIONS.contains(&previous.as_str());
            found.push(Occurrence {
                document: d,
                range: unknown.range,
                written: unknown.name.clone(),
                name: clean.name,
                titled: role_hint.is_some() || had_honorific,
                role_hint,
                speech_verb,
                preposition,
                shape_kind: unknown.likely_kind,
            });
        }
    }
    found
}

fn key(name: &str) -> String {
    crate::kb::normalize_apostrophes(name).to_lowercase()
}

/// Step 5: the kind of a cluster and the rule that gave it.
pub fn kind_of(name: &str, members: &[&Occurrence]) -> (EntryKind, KindRule) {
    if let Some(kind) = kind_from_words(name) {
        return (kind, KindRule::NameWords);
    }
    if members.iter().any(|o| o.titled) {
        return (EntryKind::Person, KindRule::Title);
    }
    if members.iter().any(|o| o.speech_verb) {
        return (EntryKind::Person, KindRule::SpeechVerb);
    }
    if members.iter().any(|o| o.preposition) {
        return (EntryKind::Place, KindRule::Preposition);
    }
    (members.first().map_or(EntryKind::Person, |o| o.shape_kind), KindRule::Shape)
}

/// Step 2: one suggestion per entity, from the occurrences of its variants.
pub fn cluster(found: &[Occurrence], documents: &[SuggestInput]) -> Vec<Suggestion> {
    // Variants by their cleaned name, in order of first appearance.
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    let mut group_of: HashMap<String, usize> = HashMap::new();
    for (i, occurrence) in found.iter().enumerate() {
        let g = *group_of.entry(key(&occurrence.name)).or_insert_with(|| {
            groups.push((occurrence.name.clone(), Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(i);
    }
    // Each group is named by its most frequent spelling ("New York", not "NEW YORK").
    for (name, members) in &mut groups {
        let mut spellings: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in members.iter() {
            *spellings.entry(found[i].name.as_str()).or_default() += 1;
        }
        if let Some((best, _)) = spellings.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
            *name = best.to_string();
        }
    }
    // People's variants with the same first and last word are one person.
    let mut parent: Vec<usize> = (0..groups.len()).collect();
    fn root(parent: &mut [usize], mut g: usize) -> usize {
        while parent[g] != g {
            parent[g] = parent[parent[g]];
            g = parent[g];
        }
        g
    }
    let mut by_ends: HashMap<(String, String), usize> = HashMap::new();
    for (g, (name, _)) in groups.iter().enumerate() {
        let words: Vec<String> = name.split_whitespace().map(key).collect();
        if words.len() < 2 || kind_from_words(name).is_some() {
            continue;
        }
        let ends = (words[0].clone(), words[words.len() - 1].clone());
        match by_ends.get(&ends) {
            Some(&other) => {
                let (a, b) = (root(&mut parent, g), root(&mut parent, other));
                parent[a] = b;
            }
            None => {
                by_ends.insert(ends, g);
            }
        }
    }
    // A one-word name ("Will Cruz" cleaned to "Cruz") joins the one person
    // whose surname it is.
    let mut by_surname: HashMap<String, Vec<usize>> = HashMap::new();
    for (g, (name, _)) in groups.iter().enumerate() {
        if name.split_whitespace().count() >= 2
            && kind_from_words(name).is_none()
            && let Some(surname) = surname(name)
        {
            by_surname.entry(key(surname)).or_default().push(g);
        }
    }
    for (g, (name, _)) in groups.iter().enumerate() {
        if name.split_whitespace().count() == 1
            && let Some(holders) = by_surname.get(&key(name))
        {
            let people: HashSet<usize> = holders.iter().map(|&h| root(&mut parent, h)).collect();
            if let [person] = people.into_iter().collect::<Vec<_>>()[..] {
                let r = root(&mut parent, g);
                parent[r] = person;
            }
        }
    }
    let mut clusters: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for g in 0..groups.len() {
        let r = root(&mut parent, g);
        clusters.entry(r).or_default().push(g);
    }
    let mut suggestions = Vec::new();
    for members in clusters.into_values() {
        let occurrences: Vec<&Occurrence> = members.iter().flat_map(|&g| groups[g].1.iter().map(|&i| &found[i])).collect();
        // The most frequent cleaned variant names the entity; ties go to the shorter.
        let mut names: Vec<(&str, usize)> = members.iter().map(|&g| (groups[g].0.as_str(), groups[g].1.len())).collect();
        let one_word = |n: &str| n.split_whitespace().count() < 2;
        names.sort_by(|a, b| {
            one_word(a.0)
                .cmp(&one_word(b.0))
                .then(b.1.cmp(&a.1))
                .then(a.0.split_whitespace().count().cmp(&b.0.split_whitespace().count()))
                .then(a.0.cmp(b.0))
        });
        let name = names[0].0.to_string();
        let (kind, rule) = kind_of(&name, &occurrences);
        let mut written: BTreeMap<&str, usize> = BTreeMap::new();
        for o in &occurrences {
            *written.entry(o.written.as_str()).or_default() += 1;
        }
        let mut variants: Vec<(String, usize)> = written.into_iter().map(|(w, n)| (w.to_string(), n)).collect();
        variants.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let documents_seen: HashSet<usize> = occurrences.iter().map(|o| o.document).collect();
        let mut hints: BTreeMap<String, RoleHint> = BTreeMap::new();
        if kind == EntryKind::Person {
            for o in &occurrences {
                let Some(title) = &o.role_hint else { continue };
                let date = documents[o.document].date;
                let hint =
                    hints.entry(title.clone()).or_insert(RoleHint { title: title.clone(), count: 0, first_seen: None, last_seen: None });
                hint.count += 1;
                if let Some(date) = date {
                    hint.first_seen = Some(hint.first_seen.map_or(date, |f| f.min(date)));
                    hint.last_seen = Some(hint.last_seen.map_or(date, |l| l.max(date)));
                }
            }
        }
        let mut role_hints: Vec<RoleHint> = hints.into_values().collect();
        role_hints.sort_by(|a, b| b.count.cmp(&a.count).then(a.title.cmp(&b.title)));
        let aliases: Vec<String> =
            names.iter().skip(1).filter(|(n, _)| !one_word(n) || kind != EntryKind::Person).map(|(n, _)| n.to_string()).collect();
        suggestions.push(Suggestion {
            name,
            kind,
            rule,
            aliases,
            mentions: occurrences.len(),
            documents: documents_seen.len(),
            variants,
            role_hints,
            demonym: None,
        });
    }
    suggestions
}

/// Whether `range` lies inside one of `ranges` (sorted by start, not
/// overlapping each other), by binary search: long documents stay linear.
fn inside(ranges: &[TextRange], range: TextRange) -> bool {
    let after = ranges.partition_point(|r| r.start <= range.start);
    after > 0 && range.end <= ranges[after - 1].end
}

/// Capitalised words of `text` (letters, digits, inner `-`/`'`), with their ranges.
fn capitalised_words(text: &str) -> impl Iterator<Item = (TextRange, &str)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        loop {
            let rest = &text[at..];
            let start = at + rest.find(|c: char| c.is_alphanumeric())?;
            let len = text[start..].find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'')).unwrap_or(text.len() - start);
            let word = text[start..start + len].trim_end_matches(['-', '\'']);
            at = start + len.max(1);
            if word.chars().next().is_some_and(char::is_uppercase) {
                return Some((TextRange::new(start, start + word.len()), word));
            }
        }
    })
}

/// Step 3: surnames alone, and after an honorific, count for the person whose
/// full name occurs in the same document; the surname becomes an alias unless
/// another suggestion or a KB entry has it.
pub fn count_surnames(suggestions: &mut [Suggestion], found: &[Occurrence], documents: &[SuggestInput], kb: &KnowledgeBase) {
    let mut holders: HashMap<String, Vec<usize>> = HashMap::new();
    for (s, suggestion) in suggestions.iter().enumerate() {
        if suggestion.kind == EntryKind::Person
            && let Some(surname) = surname(&suggestion.name)
        {
            holders.entry(surname.to_string()).or_default().push(s);
        }
    }
    // In each document, the suggestions whose full names occur, and where.
    let mut full: Vec<HashMap<usize, Vec<TextRange>>> = vec![HashMap::new(); documents.len()];
    let index_of: HashMap<String, usize> = suggestions
        .iter()
        .enumerate()
        .flat_map(|(s, sg)| std::iter::once(key(&sg.name)).chain(sg.aliases.iter().map(|a| key(a))).map(move |k| (k, s)))
        .collect();
    for o in found {
        if let Some(&s) = index_of.get(&key(&o.name)) {
            full[o.document].entry(s).or_default().push(o.range);
        }
    }
    let mut extra: Vec<BTreeMap<String, usize>> = vec![BTreeMap::new(); suggestions.len()];
    for (d, document) in documents.iter().enumerate() {
        let mut known: Vec<TextRange> = document.mentions.iter().map(|m| m.range).collect();
        known.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        for (range, word) in capitalised_words(document.text) {
            let bare = word.strip_suffix("'s").unwrap_or(word);
            let Some(candidates) = holders.get(bare) else { continue };
            let here: Vec<usize> = candidates.iter().copied().filter(|s| full[d].contains_key(s)).collect();
            let [s] = here[..] else { continue };
            if inside(&full[d][&s], range) || inside(&known, range) {
                continue;
            }
            let before = words_before(document.text, range.start, 1);
            let written = match before.first().and_then(|(_, w)| honorific(w).map(|_| *w)) {
                Some(h) => format!("{h} {bare}"),
                None => bare.to_string(),
            };
            *extra[s].entry(written).or_default() += 1;
        }
    }
    let kb_surnames = known_surnames(kb);
    for (s, suggestion) in suggestions.iter_mut().enumerate() {
        let Some(surname) = (suggestion.kind == EntryKind::Person).then(|| surname(&suggestion.name)).flatten().map(str::to_string) else {
            continue;
        };
        let shared = holders.get(&surname).is_some_and(|h| h.len() > 1);
        if !shared && kb.lookup_alias(&surname).is_none() && !kb_surnames.contains(&key(&surname)) && !suggestion.aliases.contains(&surname)
        {
            suggestion.aliases.push(surname);
        }
        for (written, n) in std::mem::take(&mut extra[s]) {
            suggestion.mentions += n;
            suggestion.variants.push((written, n));
        }
        suggestion.variants.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    }
}

/// Whether the KB has `word` as a name or alias, or as the surname of one of
/// its people (which the analysis finds after a full mention): a suggestion
/// that claimed it as an alias would take those mentions away.
pub fn known_name_or_surname(kb: &KnowledgeBase, word: &str) -> bool {
    kb.lookup_alias(word).is_some() || kb.entries().iter().any(|e| e.surname().is_some_and(|s| key(s) == key(word)))
}

/// The surnames of the KB's people, keyed as [`key`] keys names.
fn known_surnames(kb: &KnowledgeBase) -> HashSet<String> {
    kb.entries().iter().filter_map(|e| e.surname()).map(key).collect()
}

/// Step 4: countries the KB lacks, named or referred to by their demonym.
pub fn countries(documents: &[SuggestInput], kb: &KnowledgeBase) -> Vec<Suggestion> {
    let mut suggestions = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for (_, country) in DEMONYMS {
        if !seen.insert(country) || kb.lookup_alias(country).is_some() {
            continue;
        }
        let demonym = DEMONYMS.iter().find(|(_, c)| c == country).map(|(d, _)| *d).unwrap_or_default();
        let (mut named, mut by_demonym, mut in_documents) = (0usize, 0usize, HashSet::new());
        for (d, document) in documents.iter().enumerate() {
            let mut known: Vec<TextRange> = document.mentions.iter().map(|m| m.range).collect();
            known.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
            for (word, count) in [(*country, &mut named), (demonym, &mut by_demonym)] {
                for (at, _) in document.text.match_indices(word) {
                    let end = at + word.len();
                    let bounded = !document.text[..at].ends_with(|c: char| c.is_alphanumeric())
                        && !document.text[end..].starts_with(|c: char| c.is_alphanumeric());
                    if bounded && !inside(&known, TextRange::new(at, end)) {
                        *count += 1;
                        in_documents.insert(d);
                    }
                }
            }
        }
        // A demonym alone is weak evidence ("Spanish" is also a language):
        // the country must be named at least once.
        if named == 0 {
            continue;
        }
        debug_assert_eq!(demonym_country(demonym), Some(*country));
        suggestions.push(Suggestion {
            name: country.to_string(),
            kind: EntryKind::Place,
            rule: KindRule::Gazetteer,
            aliases: Vec::new(),
            mentions: named + by_demonym,
            documents: in_documents.len(),
            variants: if named > 0 { vec![(country.to_string(), named)] } else { Vec::new() },
            role_hints: Vec::new(),
            demonym: (by_demonym > 0).then(|| (demonym.to_string(), by_demonym)),
        });
    }
    suggestions
}

/// The draft KB file's text: an ordinary KB file marked `"draft": true`, each
/// entry's evidence in its description, role hints as roles dated by the
/// articles they were seen in ("Former …" hints stay in the description).
pub fn draft_kb_text(suggestions: &[Suggestion], kb: &KnowledgeBase) -> String {
    let mut ids: HashSet<String> = HashSet::new();
    let mut entities = Vec::new();
    let mut agreements = Vec::new();
    for s in suggestions {
        let mut id = id_from_name(&s.name, kb);
        let base = id.clone();
        let mut n = 2;
        while !ids.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        let mut entry = Map::new();
        entry.insert("id".into(), json!(id));
        entry.insert("name".into(), json!(s.name));
        entry.insert("kind".into(), json!(s.kind.as_str()));
        entry.insert("aliases".into(), json!(s.aliases));
        entry.insert("description".into(), json!(describe(s)));
        match s.kind {
            EntryKind::Person => {
                let roles: Vec<Value> = s
                    .role_hints
                    .iter()
                    .filter(|h| h.first_seen.is_some() && !h.title.starts_with("Former") && !h.title.starts_with("Ex"))
                    .map(|h| json!({"title": h.title, "start": h.first_seen.map(|d| d.to_string()), "end": h.last_seen.map(|d| d.to_string())}))
                    .collect();
                entry.insert("roles".into(), Value::Array(roles));
            }
            EntryKind::Agreement => {
                entry.insert("date".into(), Value::Null);
                entry.insert("parties".into(), json!([]));
                entry.insert("summary".into(), json!(""));
                entry.insert("principles".into(), json!([]));
            }
            EntryKind::Organization | EntryKind::Place => {}
        }
        entry.insert("sources".into(), json!([]));
        if s.kind == EntryKind::Agreement { agreements.push(Value::Object(entry)) } else { entities.push(Value::Object(entry)) }
    }
    let mut document = Map::new();
    document.insert(DRAFT_FIELD.into(), json!(true));
    document.insert("entities".into(), Value::Array(entities));
    if !agreements.is_empty() {
        document.insert("agreements".into(), Value::Array(agreements));
    }
    serde_json::to_string_pretty(&Value::Object(document)).expect("JSON values serialise") + "\n"
}

/// The evidence of a suggestion, for its draft entry's description.
pub fn describe(s: &Suggestion) -> String {
    let plural = |n: usize, one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") };
    let mut parts = vec![format!(
        "Suggested from {} in {}; kind {} by {}",
        plural(s.mentions, "mention", "mentions"),
        plural(s.documents, "document", "documents"),
        s.kind.as_str(),
        s.rule.describe()
    )];
    if !s.variants.is_empty() {
        let written: Vec<String> = s.variants.iter().map(|(w, n)| format!("\"{w}\" {n}")).collect();
        parts.push(format!("written {}", written.join(", ")));
    }
    if !s.role_hints.is_empty() {
        let hints: Vec<String> = s
            .role_hints
            .iter()
            .map(|h| match (h.first_seen, h.last_seen) {
                (Some(a), Some(b)) if a == b => format!("{} (in an article of {a})", h.title),
                (Some(a), Some(b)) => format!("{} (in articles of {a} to {b})", h.title),
                _ => h.title.clone(),
            })
            .collect();
        parts.push(format!("role hints: {}", hints.join("; ")));
    }
    if let Some((demonym, n)) = &s.demonym {
        parts.push(format!("the demonym \"{demonym}\" {n} times (it refers to the country, and is no alias: a demonym is not a place)"));
    }
    parts.join("; ") + "."
}

/// The code actions on an entry of a draft KB file under `range`: "Accept" moves
/// it into the first other KB file with the same section (the draft loses it,
/// the KB gains it, in one edit), "Drop" removes it from the draft. None when
/// the file is not a draft or `range` is on no entry.
pub fn draft_entry_actions(
    draft_path: &std::path::Path,
    draft_text: &str,
    range: TextRange,
    kb_files: &[(std::path::PathBuf, String)],
) -> Vec<SourceChange> {
    let Some(root) = parse_json(draft_text).root else { return Vec::new() };
    let JsonValue::Object(members) = &root.value else { return Vec::new() };
    if !members.iter().any(|m| m.key == DRAFT_FIELD && m.value.as_ref().is_some_and(|v| v.value == JsonValue::Bool(true))) {
        return Vec::new();
    }
    for member in members.iter().filter(|m| m.key == "entities" || m.key == "agreements") {
        let Some(JsonValue::Array(items)) = member.value.as_ref().map(|v| &v.value) else { continue };
        let Some(i) = items.iter().position(|item| item.range.overlaps(range) || item.range.touches(range.start)) else { continue };
        let item = &items[i];
        // The entry and one separating comma go.
        let removed = match (i.checked_sub(1), items.get(i + 1)) {
            (_, Some(next)) => TextRange::new(item.range.start, next.range.start),
            (Some(previous), None) => TextRange::new(items[previous].range.end, item.range.end),
            (None, None) => item.range,
        };
        let drop = FileEdit { path: draft_path.to_path_buf(), range: removed, new_text: String::new() };
        let Ok(entry) = serde_json::from_str::<Value>(item.range.slice(draft_text)) else { return Vec::new() };
        let name = entry.get("name").and_then(Value::as_str).unwrap_or("this entry").to_string();
        let mut actions = Vec::new();
        let target = kb_files
            .iter()
            .filter(|(path, _)| path != draft_path)
            .find_map(|(path, text)| append_json_entry(path, text, &member.key, &entry).map(|edit| (path, edit)));
        if let Some((path, append)) = target {
            let file = path.file_name().map_or_else(|| path.display().to_string(), |f| f.to_string_lossy().to_string());
            actions.push(SourceChange {
                label: format!("Accept \"{name}\" into {file}"),
                edits: vec![drop.clone(), append],
                preferred: true,
            });
        }
        actions.push(SourceChange { label: format!("Drop \"{name}\" from the draft"), edits: vec![drop], preferred: false });
        return actions;
    }
    Vec::new()
}
