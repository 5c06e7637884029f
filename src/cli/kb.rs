//! `marginalia kb import wikidata FILE...`: Wikidata entities into an ordinary
//! KB file of the corpus (default `kb/wikidata.json`), next to the
//! hand-written ones.
//!
//! Inputs are read as a stream, one line at a time, whatever their size: a
//! full dump (`[`, one entity a line ending in `,`, `]`), JSON lines of
//! entities, or a `Special:EntityData` file (`{"entities": {...}}`, small,
//! read whole); each plain, gzip or bzip2 (told by their first bytes). Only
//! the imported records and the labels of the positions they hold are kept in
//! memory. A position that comes before its holder in the input is not yet
//! known to be wanted, so a second pass reads the inputs again for the labels
//! still missing.
//!
//! With `--corpus`, an entity is kept only when one of its names occurs in the
//! corpus's articles: the corpus is small and a dump is huge, so the articles'
//! word sequences are indexed once and each entity's names looked up there.
//!
//! Re-running replaces the output file's entries of the same QIDs (keeping
//! their ids) and leaves every other KB file alone: a name, alias, id or QID a
//! hand-written entry already has is not imported again, and is reported.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Map, Value, json};

use super::targets::display_path;
use crate::kb::wikidata::{self, WikidataRecord};
use crate::kb::{EntryKind, parse_kb_file};
use crate::workspace::{Corpus, read_text_file};

pub struct WikidataImport<'a> {
    pub files: &'a [PathBuf],
    pub corpus: Option<&'a Path>,
    pub out: Option<&'a Path>,
    pub languages: &'a [String],
}

/// The longest name, in words, that `--corpus` can find in the articles.
const LONGEST_NAME_IN_WORDS: usize = 8;

pub fn run_wikidata(options: WikidataImport) -> ExitCode {
    match import_wikidata(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn import_wikidata(options: &WikidataImport) -> Result<(), String> {
    let languages: Vec<String> = options.languages.iter().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect();
    if languages.is_empty() {
        return Err("--languages names no language".into());
    }
    let corpus_root = super::corpus_root(options.corpus)?;
    let corpus = corpus_root.map(|root| Corpus::load(&root, &HashMap::new()));
    let out = match (options.out, &corpus) {
        (Some(out), _) => out.to_path_buf(),
        (None, Some(corpus)) => corpus.root.join(corpus.config.corpus.kb.first().map_or("kb", String::as_str)).join("wikidata.json"),
        (None, None) => {
            return Err("no corpus to write into (no marginalia.toml found); name one with --corpus, or a file with --out".into());
        }
    };
    let filter = match (options.corpus, &corpus) {
        (Some(_), Some(corpus)) => Some(CorpusWords::of(corpus)?),
        _ => None,
    };
    for file in options.files {
        if !file.is_file() {
            return Err(format!("{}: no such file", file.display()));
        }
    }

    let started = Instant::now();
    let total_bytes: u64 = options.files.iter().filter_map(|f| f.metadata().ok()).map(|m| m.len()).sum();
    let mut read = Reading::default();
    let mut records: Vec<WikidataRecord> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    // Positions the records hold, with their label once an entity gives it.
    let mut positions: HashMap<String, Option<String>> = HashMap::new();
    let mut filtered_out = 0usize;
    let bar = bytes_bar(total_bytes, "reading");
    for file in options.files {
        for_each_entity(file, &bar, &mut read, &mut |entity| {
            let Some(qid) = wikidata::item_id(&entity) else { return };
            if let Some(label @ None) = positions.get_mut(qid) {
                *label = Some(wikidata::label(&entity, &languages).unwrap_or_else(|| qid.to_string()));
            }
            let Some(record) = wikidata::map_entity(&entity, &languages) else { return };
            if !seen.insert(record.qid.clone()) {
                return;
            }
            if let Some(filter) = &filter
                && !record.names().any(|name| filter.contains(name))
            {
                filtered_out += 1;
                return;
            }
            for role in &record.roles {
                positions.entry(role.position.clone()).or_default();
            }
            records.push(record);
        })?;
    }
    bar.finish_and_clear();
    let first_pass = started.elapsed();
    let missing: usize = positions.values().filter(|l| l.is_none()).count();
    if missing > 0 {
        let bar = bytes_bar(total_bytes, "position labels");
        let mut again = Reading::default();
        for file in options.files {
            for_each_entity(file, &bar, &mut again, &mut |entity| {
                let Some(qid) = wikidata::item_id(&entity) else { return };
                if let Some(label @ None) = positions.get_mut(qid) {
                    *label = Some(wikidata::label(&entity, &languages).unwrap_or_else(|| qid.to_string()));
                }
            })?;
        }
        bar.finish_and_clear();
    }
    let seconds = first_pass.as_secs_f64().max(1e-9);
    eprintln!(
        "read {} entities ({:.1} MB) in {:.2} s: {:.1} MB/s, {:.0} entities/s{}",
        read.entities,
        read.bytes as f64 / 1e6,
        seconds,
        read.bytes as f64 / 1e6 / seconds,
        read.entities as f64 / seconds,
        if missing > 0 {
            format!("; a second pass for {missing} position labels took {:.2} s", (started.elapsed() - first_pass).as_secs_f64())
        } else {
            String::new()
        },
    );
    if read.malformed > 0 {
        eprintln!("warning: {} lines were not entity JSON and were skipped", read.malformed);
    }
    if let Some(filter) = &filter {
        eprintln!("--corpus: {} entities named in the corpus's {} articles kept, {filtered_out} left out", records.len(), filter.articles);
    }

    let hand_written = HandWritten::of(corpus.as_ref(), &out)?;
    let position_titles: HashMap<String, String> = positions.into_iter().map(|(qid, label)| (qid.clone(), label.unwrap_or(qid))).collect();
    write_kb_file(&out, records, &position_titles, &hand_written)
}

/// Counts over one pass of reading.
#[derive(Default)]
struct Reading {
    bytes: u64,
    entities: u64,
    malformed: u64,
}

pub(super) fn bytes_bar(total: u64, verb: &str) -> ProgressBar {
    let target =
        if std::io::IsTerminal::is_terminal(&std::io::stderr()) { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() };
    let bar = ProgressBar::with_draw_target(Some(total), target);
    let template = format!("{{spinner}} {verb} {{bytes}}/{{total_bytes}} ({{bytes_per_sec}}) {{wide_bar}} {{eta}} {{msg}}");
    bar.set_style(ProgressStyle::with_template(&template).expect("static template"));
    bar
}

/// Opens an input, decompressing gzip (`1f 8b`) or bzip2 (`BZh`) as its first
/// bytes say; the bar counts the bytes read from the file itself. Multi-member
/// decoders, because Wikidata's dumps are compressed in parallel, in members.
fn open_input(path: &Path, bar: &ProgressBar) -> Result<Box<dyn BufRead>, String> {
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut raw = BufReader::with_capacity(1 << 20, bar.wrap_read(file));
    let magic = raw.fill_buf().map_err(|e| format!("{}: {e}", path.display()))?;
    let reader: Box<dyn Read> = if magic.starts_with(&[0x1f, 0x8b]) {
        Box::new(flate2::bufread::MultiGzDecoder::new(raw))
    } else if magic.starts_with(b"BZh") {
        Box::new(bzip2::bufread::MultiBzDecoder::new(raw))
    } else {
        return Ok(Box::new(raw));
    };
    Ok(Box::new(BufReader::with_capacity(1 << 20, reader)))
}

/// Calls `each` with every entity of a file, in any of the published shapes.
fn for_each_entity(path: &Path, bar: &ProgressBar, counts: &mut Reading, each: &mut dyn FnMut(Value)) -> Result<(), String> {
    let mut input = open_input(path, bar)?;
    let error = |e: std::io::Error| format!("{}: {e}", path.display());
    let mut line = String::new();
    let mut first_content_line = true;
    loop {
        line.clear();
        let read = input.read_line(&mut line).map_err(error)?;
        if read == 0 {
            return Ok(());
        }
        counts.bytes += read as u64;
        // A dump's opening `[` and closing `]` stand on lines of their own;
        // every entity line but the last ends in a comma.
        let content = line.trim();
        let content = content.strip_suffix(',').unwrap_or(content);
        if content.is_empty() || content == "[" || content == "]" {
            continue;
        }
        match serde_json::from_str::<Value>(content) {
            Ok(value) => dispatch(value, counts, each),
            Err(_) if first_content_line && content.starts_with('{') => {
                // A pretty-printed EntityData file: small, so read it whole.
                let mut rest = String::new();
                input.read_to_string(&mut rest).map_err(error)?;
                counts.bytes += rest.len() as u64;
                line.push_str(&rest);
                let value =
                    serde_json::from_str::<Value>(&line).map_err(|e| format!("{}: not Wikidata entity JSON: {e}", path.display()))?;
                dispatch(value, counts, each);
                return Ok(());
            }
            Err(_) => counts.malformed += 1,
        }
        first_content_line = false;
        if counts.entities.is_multiple_of(4096) {
            bar.set_message(format!(
                "{} entities ({:.0}/s)",
                counts.entities,
                counts.entities as f64 / bar.elapsed().as_secs_f64().max(1e-3)
            ));
        }
    }
}

/// An EntityData document gives the entities of its `entities` map; anything
/// else is one entity.
fn dispatch(value: Value, counts: &mut Reading, each: &mut dyn FnMut(Value)) {
    match value {
        Value::Object(mut document) if document.get("entities").is_some_and(Value::is_object) && !document.contains_key("id") => {
            if let Some(Value::Object(entities)) = document.remove("entities") {
                for (_, entity) in entities {
                    counts.entities += 1;
                    each(entity);
                }
            }
        }
        entity => {
            counts.entities += 1;
            each(entity);
        }
    }
}

/// Every run of up to [`LONGEST_NAME_IN_WORDS`] words of the corpus's
/// articles, lowercased: a name occurs in the corpus when its words do.
struct CorpusWords {
    sequences: HashSet<String>,
    articles: usize,
}

impl CorpusWords {
    fn of(corpus: &Corpus) -> Result<CorpusWords, String> {
        let mut sequences = HashSet::new();
        let paths = corpus.article_paths();
        for path in &paths {
            let text = read_text_file(path).map_err(|e| e.to_string())?;
            let words = words(&text);
            for start in 0..words.len() {
                let mut sequence = String::new();
                for word in words.iter().skip(start).take(LONGEST_NAME_IN_WORDS) {
                    if !sequence.is_empty() {
                        sequence.push(' ');
                    }
                    sequence.push_str(word);
                    sequences.insert(sequence.clone());
                }
            }
        }
        Ok(CorpusWords { sequences, articles: paths.len() })
    }

    fn contains(&self, name: &str) -> bool {
        let words = words(name);
        !words.is_empty() && words.len() <= LONGEST_NAME_IN_WORDS && self.sequences.contains(&words.join(" "))
    }
}

/// Lowercased runs of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// A name as compared for conflicts: in lowercase with straight apostrophes,
/// so that any two names the KB could confuse compare equal.
fn name_key(name: &str) -> String {
    crate::kb::normalize_apostrophes(name).to_lowercase()
}

/// What the corpus's other KB files already define.
#[derive(Default)]
struct HandWritten {
    ids: HashSet<String>,
    /// Name key → (owner id, the owner's file for the report).
    names: HashMap<String, (String, String)>,
    /// QID → KB id, for an entry that names its Wikidata item.
    items: HashMap<String, (String, String)>,
}

impl HandWritten {
    fn of(corpus: Option<&Corpus>, out: &Path) -> Result<HandWritten, String> {
        let mut hand_written = HandWritten::default();
        let Some(corpus) = corpus else { return Ok(hand_written) };
        let out = std::path::absolute(out).map_err(|e| e.to_string())?;
        let same_file = |path: &Path| {
            std::path::absolute(path).is_ok_and(|p| p == out)
                || std::fs::canonicalize(path).ok().is_some_and(|p| Some(p) == std::fs::canonicalize(&out).ok())
        };
        for path in corpus.kb_paths().into_iter().filter(|p| !same_file(p)) {
            let Ok(text) = read_text_file(&path) else { continue };
            let shown = display_path(&path).display().to_string();
            for entry in parse_kb_file(std::sync::Arc::new(path.clone()), &text).entries {
                for name in std::iter::once(&entry.name).chain(&entry.aliases) {
                    hand_written.names.entry(name_key(name)).or_insert_with(|| (entry.id.clone(), shown.clone()));
                }
                if let Some(qid) = &entry.wikidata {
                    hand_written.items.insert(qid.clone(), (entry.id.clone(), shown.clone()));
                }
                hand_written.ids.insert(entry.id);
            }
        }
        Ok(hand_written)
    }
}

/// The sections of a KB file.
const SECTIONS: [&str; 2] = ["entities", "agreements"];

fn section_of(kind: EntryKind) -> &'static str {
    if kind == EntryKind::Agreement { "agreements" } else { "entities" }
}

/// Writes the records into `out`: entries of the same QIDs are replaced in
/// place (keeping their ids), new ones appended, the file's other entries kept.
fn write_kb_file(
    out: &Path,
    records: Vec<WikidataRecord>,
    position_titles: &HashMap<String, String>,
    hand_written: &HandWritten,
) -> Result<(), String> {
    let shown_out = display_path(out).display().to_string();
    let mut document: Map<String, Value> = match std::fs::read_to_string(out) {
        Ok(text) => match serde_json::from_str(&text) {
            Ok(Value::Object(document)) => document,
            _ => return Err(format!("{shown_out}: not a KB file (a JSON object); fix or remove it first")),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Map::new(),
        Err(e) => return Err(format!("{shown_out}: {e}")),
    };
    // The file's entries, and which of them come from which item.
    let mut sections: HashMap<&str, Vec<Value>> = HashMap::new();
    let mut existing_ids: HashMap<String, String> = HashMap::new();
    let mut taken_ids: HashSet<String> = hand_written.ids.clone();
    for section in SECTIONS {
        let entries = match document.remove(section) {
            Some(Value::Array(entries)) => entries,
            _ => Vec::new(),
        };
        for entry in &entries {
            let id = entry.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
            if let Some(qid) = entry.get("wikidata").and_then(Value::as_str) {
                existing_ids.insert(qid.to_string(), id.clone());
            }
            taken_ids.insert(id);
        }
        sections.insert(section, entries);
    }
    let importing: HashSet<&str> = records.iter().map(|r| r.qid.as_str()).collect();
    // Entries of the items imported now give their ids back to the new records.
    for entries in sections.values_mut() {
        entries.retain(|e| !e.get("wikidata").and_then(Value::as_str).is_some_and(|q| importing.contains(q)));
    }
    let mut names_taken: HashMap<String, String> = HashMap::new();
    for entries in sections.values() {
        for entry in entries {
            let id = entry.get("id").and_then(Value::as_str).unwrap_or_default();
            let aliases = entry.get("aliases").and_then(Value::as_array).into_iter().flatten();
            for name in entry.get("name").into_iter().chain(aliases).filter_map(Value::as_str) {
                names_taken.insert(name_key(name), id.to_string());
            }
        }
    }

    // Ids first, so that parties can refer to any imported agreement's signatory.
    let mut conflicts: Vec<String> = Vec::new();
    let mut kept: Vec<(String, WikidataRecord)> = Vec::new();
    let mut ids_of_items: HashMap<String, String> = hand_written.items.iter().map(|(q, (id, _))| (q.clone(), id.clone())).collect();
    for (qid, id) in &existing_ids {
        if !importing.contains(qid.as_str()) {
            ids_of_items.insert(qid.clone(), id.clone());
        }
    }
    for mut record in records {
        if let Some((id, file)) = hand_written.items.get(&record.qid) {
            conflicts.push(format!("{} ({}) is already `{id}` in {file}: not imported", record.name, record.qid));
            continue;
        }
        if let Some((id, file)) = hand_written.names.get(&name_key(&record.name)) {
            conflicts.push(format!("{} ({}): the name is claimed by `{id}` in {file}: not imported", record.name, record.qid));
            continue;
        }
        if let Some(id) = names_taken.get(&name_key(&record.name)) {
            conflicts.push(format!("{} ({}): the name is already `{id}`'s in {shown_out}: not imported", record.name, record.qid));
            continue;
        }
        record.aliases.retain(|alias| {
            let key = name_key(alias);
            if let Some((id, file)) = hand_written.names.get(&key) {
                conflicts.push(format!("{} ({}): alias \"{alias}\" is claimed by `{id}` in {file}: left out", record.name, record.qid));
                return false;
            }
            // Another imported entry's alias: the first keeps it, quietly;
            // Wikidata's aliases overlap often ("Minister of Foreign Affairs").
            !names_taken.contains_key(&key)
        });
        let id = match existing_ids.get(&record.qid) {
            Some(id) if !hand_written.ids.contains(id) => id.clone(),
            _ => unique_id(&wikidata::slug(&record.name, &record.qid), &mut taken_ids),
        };
        taken_ids.insert(id.clone());
        for name in record.names() {
            names_taken.insert(name_key(name), id.clone());
        }
        ids_of_items.insert(record.qid.clone(), id.clone());
        kept.push((id, record));
    }

    let (mut added, mut updated) = (0usize, 0usize);
    for (id, record) in kept {
        if existing_ids.contains_key(&record.qid) {
            updated += 1;
        } else {
            added += 1;
        }
        let entry = entry_json(&id, &record, position_titles, &ids_of_items);
        sections.entry(section_of(record.kind)).or_default().push(entry);
    }
    for section in SECTIONS {
        if let Some(entries) = sections.remove(section)
            && !entries.is_empty()
        {
            document.insert(section.to_string(), Value::Array(entries));
        }
    }
    if !document.contains_key("entities") && !document.contains_key("agreements") {
        document.insert("entities".into(), Value::Array(Vec::new()));
    }
    let text = serde_json::to_string_pretty(&Value::Object(document)).expect("JSON values serialise") + "\n";
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    // Written beside and renamed over, so that a reader never sees half a file.
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut temporary = tempfile::NamedTempFile::new_in(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    std::io::Write::write_all(&mut temporary, text.as_bytes()).map_err(|e| format!("{shown_out}: {e}"))?;
    temporary.persist(out).map_err(|e| format!("{shown_out}: {e}"))?;
    for conflict in &conflicts {
        eprintln!("conflict: {conflict}");
    }
    eprintln!("wrote {shown_out}: {added} added, {updated} updated, {} conflicts", conflicts.len());
    Ok(())
}

/// `base`, or `base-2`, `base-3`, … whichever is free.
fn unique_id(base: &str, taken: &mut HashSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// One KB entry as the hand-written files have it, plus its `wikidata` item.
fn entry_json(
    id: &str,
    record: &WikidataRecord,
    position_titles: &HashMap<String, String>,
    ids_of_items: &HashMap<String, String>,
) -> Value {
    let mut entry = Map::new();
    entry.insert("id".into(), json!(id));
    entry.insert("name".into(), json!(record.name));
    entry.insert("kind".into(), json!(record.kind.as_str()));
    entry.insert("aliases".into(), json!(record.aliases));
    let mut description = record.description.clone();
    // Entities have no date fields in the KB: an organisation's dates go into
    // the description the hover shows.
    let dates: Vec<String> = [("founded", record.founded), ("dissolved", record.dissolved)]
        .into_iter()
        .filter_map(|(what, date)| date.map(|d| format!("{what} {d}")))
        .collect();
    if !dates.is_empty() {
        description = if description.is_empty() { dates.join("; ") } else { format!("{description} ({})", dates.join("; ")) };
    }
    entry.insert("description".into(), json!(description));
    match record.kind {
        EntryKind::Person => {
            let roles: Vec<Value> = record
                .roles
                .iter()
                .map(|role| {
                    let title = position_titles.get(&role.position).cloned().unwrap_or_else(|| role.position.clone());
                    json!({"title": title, "start": role.start.map(|d| d.to_string()), "end": role.end.map(|d| d.to_string())})
                })
                .collect();
            entry.insert("roles".into(), Value::Array(roles));
        }
        EntryKind::Agreement => {
            entry.insert("date".into(), json!(record.date.map(|d| d.to_string())));
            let parties: Vec<&String> = record.parties.iter().filter_map(|qid| ids_of_items.get(qid)).collect();
            entry.insert("parties".into(), json!(parties));
        }
        EntryKind::Organization | EntryKind::Place => {}
    }
    entry.insert("sources".into(), json!([format!("https://www.wikidata.org/wiki/{}", record.qid)]));
    entry.insert("wikidata".into(), json!(record.qid));
    Value::Object(entry)
}
