//! Fixes offered on diagnostics: adding an unknown name to the knowledge base as
//! a well-formed entry, in the file that already holds entries of its kind (never
//! a draft). The name is cleaned as `kb suggest` cleans it (`kb/names.rs`): no
//! title in the id or the name, the role hint in the description, a person's
//! surname as an alias. And putting the right mark where an opening mark closes a
//! quotation (`misused-quote-mark`).

use std::path::PathBuf;

use super::{FileEdit, SourceChange};
use crate::analysis::{Analysis, UnknownEntity};
use crate::diagnostic::DiagnosticCode;
use crate::kb::json_tree::{JsonValue, parse_json};
use crate::kb::names::{CleanName, clean_name, surname};
use crate::kb::{DRAFT_FIELD, EntryKind, KnowledgeBase};
use crate::text::TextRange;

/// A stable id from a name: lowercase ASCII words joined by hyphens, made unique
/// against the knowledge base ("Olesia Markovic" → `olesia-markovic`).
pub fn id_from_name(name: &str, kb: &KnowledgeBase) -> String {
    let mut base = String::new();
    for c in name.chars().flat_map(fold_to_ascii) {
        if c.is_ascii_alphanumeric() {
            base.push(c.to_ascii_lowercase());
        } else if !base.is_empty() && !base.ends_with('-') {
            base.push('-');
        }
    }
    let base = base.trim_end_matches('-').to_string();
    let base = if base.is_empty() { "entry".to_string() } else { base };
    let mut id = base.clone();
    let mut n = 2;
    while kb.get(&id).is_some() {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Latin letters with diacritics fold to their base letter so ids stay ASCII.
fn fold_to_ascii(c: char) -> Vec<char> {
    const FOLDS: &[(&str, char)] = &[
        ("àáâãäåā", 'a'),
        ("çćč", 'c'),
        ("èéêëēę", 'e'),
        ("ìíîïī", 'i'),
        ("ñń", 'n'),
        ("òóôõöøō", 'o'),
        ("ùúûüū", 'u'),
        ("ýÿ", 'y'),
        ("šś", 's'),
        ("žźż", 'z'),
        ("ł", 'l'),
    ];
    let lower = c.to_lowercase().next().unwrap_or(c);
    match FOLDS.iter().find(|(set, _)| set.contains(lower)) {
        Some((_, base)) => vec![*base],
        None => vec![c],
    }
}

/// "Replace “ with ”" for each `misused-quote-mark` hint touching `range`:
/// the analysis read the mark as closing, and the fix writes the mark that
/// says so, so that corpus files can be cleaned while they are checked.
pub fn fix_misused_quote_marks(path: &std::path::Path, text: &str, analysis: &Analysis, range: TextRange) -> Vec<SourceChange> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == DiagnosticCode::MisusedQuoteMark && (d.range.overlaps(range) || d.range.touches(range.start)))
        .map(|d| {
            let mark = d.range.slice(text);
            let right = if mark == "‘" { "’" } else { "”" };
            SourceChange {
                label: format!("Replace {mark} with {right}"),
                edits: vec![FileEdit { path: path.to_path_buf(), range: d.range, new_text: right.to_string() }],
                preferred: true,
            }
        })
        .collect()
}

/// What a new entry says besides its id and kind.
struct NewEntry<'a> {
    name: &'a str,
    aliases: &'a [String],
    description: &'a str,
}

fn entry_json(id: &str, entry: &NewEntry, kind: EntryKind, indent: &str) -> String {
    let inner = format!("{indent}  ");
    let aliases: Vec<String> = entry.aliases.iter().map(|a| serde_json::to_string(a).unwrap_or_default()).collect();
    let mut fields = vec![
        format!("{inner}\"id\": {}", serde_json::to_string(id).unwrap_or_default()),
        format!("{inner}\"name\": {}", serde_json::to_string(entry.name).unwrap_or_default()),
        format!("{inner}\"kind\": \"{}\"", kind.as_str()),
        format!("{inner}\"aliases\": [{}]", aliases.join(", ")),
        format!("{inner}\"description\": {}", serde_json::to_string(entry.description).unwrap_or_default()),
    ];
    match kind {
        EntryKind::Person => fields.push(format!("{inner}\"roles\": []")),
        EntryKind::Agreement => {
            fields.push(format!("{inner}\"date\": null"));
            fields.push(format!("{inner}\"parties\": []"));
            fields.push(format!("{inner}\"summary\": \"\""));
            fields.push(format!("{inner}\"principles\": []"));
        }
        _ => {}
    }
    fields.push(format!("{inner}\"sources\": []"));
    format!("{indent}{{\n{}\n{indent}}}", fields.join(",\n"))
}

/// The edit that appends an entry to the `entities` or `agreements` array of one
/// KB file, or `None` when the file has no such array.
fn append_entry(path: &std::path::Path, text: &str, id: &str, entry: &NewEntry, kind: EntryKind) -> Option<FileEdit> {
    let section = if kind == EntryKind::Agreement { "agreements" } else { "entities" };
    append_to_section(path, text, section, &|indent| entry_json(id, entry, kind, indent))
}

/// The edit that appends `entry` (an entry object, re-indented to fit) to the
/// `section` array of one KB file that is not a draft, or `None`.
pub fn append_json_entry(path: &std::path::Path, text: &str, section: &str, entry: &serde_json::Value) -> Option<FileEdit> {
    let pretty = serde_json::to_string_pretty(entry).ok()?;
    append_to_section(path, text, section, &|indent| {
        let lines: Vec<String> = pretty.lines().map(|line| format!("{indent}{line}")).collect();
        lines.join("\n")
    })
}

fn append_to_section(path: &std::path::Path, text: &str, section: &str, entry_text: &dyn Fn(&str) -> String) -> Option<FileEdit> {
    let root = parse_json(text).root?;
    let JsonValue::Object(members) = &root.value else { return None };
    // Never into a draft: its entries are not used.
    if members.iter().any(|m| m.key == DRAFT_FIELD && m.value.as_ref().is_some_and(|v| v.value == JsonValue::Bool(true))) {
        return None;
    }
    let array = members.iter().find(|m| m.key == section)?.value.as_ref()?;
    let JsonValue::Array(items) = &array.value else { return None };
    let (at, indent, separator) = match items.last() {
        Some(last) => {
            let line_start = text[..last.range.start].rfind('\n').map_or(0, |i| i + 1);
            let indent: String = text[line_start..last.range.start].chars().take_while(|c| c.is_whitespace()).collect();
            (last.range.end, indent, ",\n")
        }
        None => (array.range.start + 1, "    ".to_string(), "\n"),
    };
    let new_text = format!("{separator}{}", entry_text(&indent));
    let trailing = if items.is_empty() { "\n  " } else { "" };
    Some(FileEdit { path: path.to_path_buf(), range: TextRange::empty(at), new_text: format!("{new_text}{trailing}") })
}

/// "Add to knowledge base as person/organization/place/agreement", the likely
/// kind first and preferred; the name cleaned of titles ("German Foreign
/// Minister Annalena Baerbock" adds "Annalena Baerbock", id `annalena-baerbock`,
/// alias "Baerbock", the role hint in the description).
pub fn add_to_knowledge_base(unknown: &UnknownEntity, kb: &KnowledgeBase, kb_files: &[(PathBuf, String)]) -> Vec<SourceChange> {
    let CleanName { name, role_hint, .. } = clean_name(&unknown.name);
    let name = if name.is_empty() { unknown.name.clone() } else { name };
    let id = id_from_name(&name, kb);
    let mut kinds = vec![unknown.likely_kind];
    kinds.extend(
        [EntryKind::Person, EntryKind::Organization, EntryKind::Place, EntryKind::Agreement]
            .into_iter()
            .filter(|k| *k != unknown.likely_kind),
    );
    let description = role_hint.map(|r| format!("Role hint from the article: {r}.")).unwrap_or_default();
    kinds
        .into_iter()
        .filter_map(|kind| {
            // A person's surname is the alias articles use after the first
            // mention, unless the KB already gives it to someone.
            let aliases: Vec<String> = (kind == EntryKind::Person)
                .then(|| surname(&name))
                .flatten()
                .filter(|s| !super::kb_suggest::known_name_or_surname(kb, s))
                .map(|s| vec![s.to_string()])
                .unwrap_or_default();
            let entry = NewEntry { name: &name, aliases: &aliases, description: &description };
            let edit = kb_files.iter().find_map(|(path, text)| append_entry(path, text, &id, &entry, kind))?;
            Some(SourceChange {
                label: format!("Add \"{name}\" to knowledge base as {}", kind.as_str()),
                edits: vec![edit],
                preferred: kind == unknown.likely_kind,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_ascii_slugs_and_unique() {
        let kb = KnowledgeBase::default();
        assert_eq!(id_from_name("Olesia Marković", &kb), "olesia-markovic");
        assert_eq!(id_from_name("NATO–Russia Council", &kb), "nato-russia-council");
    }

    #[test]
    fn appended_entry_keeps_the_file_valid_json() {
        let text = "{\n  \"entities\": [\n    {\"id\": \"a\", \"name\": \"A\", \"kind\": \"place\"}\n  ]\n}\n";
        let unknown = UnknownEntity { range: TextRange::empty(0), name: "Olesia Markovic".into(), likely_kind: EntryKind::Person };
        let changes = add_to_knowledge_base(&unknown, &KnowledgeBase::default(), &[(PathBuf::from("kb.json"), text.to_string())]);
        let edit = &changes[0].edits[0];
        let mut edited = text.to_string();
        edited.replace_range(edit.range.start..edit.range.end, &edit.new_text);
        let value: serde_json::Value = serde_json::from_str(&edited).unwrap();
        assert_eq!(value["entities"][1]["id"], "olesia-markovic");
        assert_eq!(value["entities"][1]["roles"], serde_json::json!([]));
        // Agreements need an `agreements` array, which this file lacks.
        assert!(changes.iter().all(|c| !c.label.ends_with("agreement")));
    }

    /// Issue 16: the fix wrote `"id": "german-foreign-minister-annalena-baerbock"`
    /// with the title in the name and no aliases.
    #[test]
    fn regression_add_to_kb_cleans_titles_out_of_the_id_and_name() {
        let text = "{\n  \"entities\": [\n    {\"id\": \"a\", \"name\": \"A\", \"kind\": \"place\"}\n  ]\n}\n";
        let unknown = UnknownEntity {
            range: TextRange::empty(0),
            name: "German Foreign Minister Annalena Baerbock".into(),
            likely_kind: EntryKind::Person,
        };
        let changes = add_to_knowledge_base(&unknown, &KnowledgeBase::default(), &[(PathBuf::from("kb.json"), text.to_string())]);
        assert_eq!(changes[0].label, "Add \"Annalena Baerbock\" to knowledge base as person");
        let edit = &changes[0].edits[0];
        let mut edited = text.to_string();
        edited.replace_range(edit.range.start..edit.range.end, &edit.new_text);
        let value: serde_json::Value = serde_json::from_str(&edited).unwrap();
        let added = &value["entities"][1];
        assert_eq!((&added["id"], &added["name"]), (&serde_json::json!("annalena-baerbock"), &serde_json::json!("Annalena Baerbock")));
        assert_eq!(added["aliases"], serde_json::json!(["Baerbock"]));
        assert_eq!(added["description"], "Role hint from the article: German Foreign Minister.");
        // Never into a draft.
        let draft = "{\"draft\": true, \"entities\": []}";
        assert!(add_to_knowledge_base(&unknown, &KnowledgeBase::default(), &[(PathBuf::from("d.json"), draft.into())]).is_empty());
    }

    /// Issue 19: seed 002 closes a quote with “; the hint's fix writes ”.
    #[test]
    fn a_misused_closing_mark_is_replaced_by_the_right_one() {
        let text = "“We will not wait,“ Lavrov said.";
        let analysis = crate::analysis::analyze(text, &KnowledgeBase::default(), &Default::default());
        let hint = analysis.diagnostics.iter().find(|d| d.code == DiagnosticCode::MisusedQuoteMark).expect("a hint");
        assert_eq!(hint.range.slice(text), "“");
        let changes = fix_misused_quote_marks(std::path::Path::new("a.txt"), text, &analysis, TextRange::new(0, text.len()));
        assert_eq!(changes.len(), 1);
        assert_eq!((changes[0].edits[0].range, changes[0].edits[0].new_text.as_str()), (hint.range, "”"));
        assert_eq!(analysis.quotes[0].range.slice(text), "“We will not wait,“");
    }
}
