//! Reading one knowledge-base JSON file into entries, reporting every problem
//! (syntax, unknown fields, wrong types, bad dates) at its exact position.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;

use super::json_tree::{JsonMember, JsonNode, JsonValue, parse_json};
use super::{EntryKind, EntryOrigin, KbEntry, Role};
use crate::article::parse_iso_date;
use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::text::TextRange;

/// One KB file as parsed: its well-formed entries and its own diagnostics
/// (cross-file checks such as duplicate ids come later, in `KnowledgeBase::build`).
#[derive(Clone, Debug)]
pub struct KbFileSyntax {
    /// The file.
    pub path: Arc<PathBuf>,
    /// Every entry that could be read, in file order.
    pub entries: Vec<KbEntry>,
    /// The file's own problems.
    pub diagnostics: Vec<Diagnostic>,
    /// The ids and names written in the file that no entry read from it has:
    /// what its syntax errors made unreadable. Sidecars and articles do not
    /// report them missing (the syntax error is reported once, in the file).
    pub unreadable: Vec<String>,
}

impl KbFileSyntax {
    /// A KB file that could not be read at all (missing, not UTF-8): no
    /// entries, one diagnostic saying why.
    pub fn unreadable_file(path: Arc<PathBuf>, error: &crate::text_file::FileError) -> KbFileSyntax {
        KbFileSyntax { path, entries: Vec::new(), diagnostics: vec![error.diagnostic()], unreadable: Vec::new() }
    }
}

const TOP_LEVEL_FIELDS: &[&str] = &["$schema", "draft", "entities", "agreements"];

/// The top-level field that marks a draft (`marginalia kb suggest`): `"draft": true`.
pub const DRAFT_FIELD: &str = "draft";
const ENTITY_FIELDS: &[&str] = &["id", "name", "kind", "aliases", "description", "roles", "sources", "wikidata"];
const AGREEMENT_FIELDS: &[&str] =
    &["id", "name", "kind", "aliases", "description", "date", "parties", "summary", "principles", "sources", "wikidata"];
const ROLE_FIELDS: &[&str] = &["title", "start", "end"];

/// Reads one KB file's `text`: every well-formed entry, and a diagnostic for everything else; never fails.
pub fn parse_kb_file(path: Arc<PathBuf>, text: &str) -> KbFileSyntax {
    let document = parse_json(text);
    let had_errors = !document.errors.is_empty();
    let mut loader = Loader { diagnostics: Vec::new(), path: path.clone() };
    for error in document.errors {
        loader.diagnostics.push(Diagnostic::error(DiagnosticCode::JsonSyntax, error.range, error.message));
    }
    let mut entries = Vec::new();
    if let Some(root) = document.root {
        match &root.value {
            JsonValue::Object(members) => {
                loader.check_fields(members, TOP_LEVEL_FIELDS, "a knowledge-base file");
                for member in members {
                    let section = match member.key.as_str() {
                        "entities" => false,
                        "agreements" => true,
                        _ => continue,
                    };
                    let Some(value) = &member.value else { continue };
                    let JsonValue::Array(items) = &value.value else {
                        loader.wrong_type(value, &format!("`{}` must be an array of entries", member.key));
                        continue;
                    };
                    entries.reserve(items.len());
                    for item in items {
                        if let Some(entry) = loader.entry(item, section) {
                            entries.push(entry);
                        }
                    }
                }
            }
            _ => loader.wrong_type(&root, "a knowledge-base file must be a JSON object with `entities` and/or `agreements`"),
        }
        // A draft's entries are checked like any others but not used: they
        // are suggestions until accepted into another KB file.
        if let JsonValue::Object(members) = &root.value
            && let Some(draft) = members.iter().find(|m| m.key == DRAFT_FIELD)
            && let Some(JsonNode { value: JsonValue::Bool(true), .. }) = draft.value
        {
            loader.diagnostics.push(Diagnostic::information(
                DiagnosticCode::DraftKb,
                draft.key_range,
                format!(
                    "draft knowledge base: its {} suggested entries are not used until accepted (the code actions on an entry accept it into another KB file or drop it)",
                    entries.len()
                ),
            ));
            entries.clear();
        }
    }
    let mut diagnostics = loader.diagnostics;
    diagnostics.sort_by_key(|d| (d.range.start, d.range.end));
    let unreadable = if had_errors { unreadable_names(text, &entries) } else { Vec::new() };
    KbFileSyntax { path, entries, diagnostics, unreadable }
}

/// The `"id"` and `"name"` values written in `text` that none of `entries`
/// has: the entries a syntax error made unreadable, found by their text alone.
fn unreadable_names(text: &str, entries: &[KbEntry]) -> Vec<String> {
    let loaded: std::collections::HashSet<&str> = entries.iter().flat_map(|e| [e.id.as_str(), e.name.as_str()]).collect();
    let mut found = Vec::new();
    for key in ["\"id\"", "\"name\""] {
        for (at, _) in text.match_indices(key) {
            let rest = text[at + key.len()..].trim_start();
            let Some(rest) = rest.strip_prefix(':').map(str::trim_start).and_then(|r| r.strip_prefix('"')) else { continue };
            let Some(end) = rest.find(['"', '\n']) else { continue };
            let value = &rest[..end];
            if !value.is_empty() && !loaded.contains(value) {
                found.push(value.to_string());
            }
        }
    }
    // Aliases: the strings of each `"aliases": [...]` list that no loaded entry has.
    let loaded_aliases: std::collections::HashSet<&str> = entries.iter().flat_map(|e| e.aliases.iter().map(String::as_str)).collect();
    for (at, _) in text.match_indices("\"aliases\"") {
        let rest = text[at + "\"aliases\"".len()..].trim_start();
        let Some(mut rest) = rest.strip_prefix(':').map(str::trim_start).and_then(|r| r.strip_prefix('[')) else { continue };
        while let Some(inner) = rest.trim_start().strip_prefix('"') {
            let Some(end) = inner.find(['"', '\n']) else { break };
            let alias = &inner[..end];
            if !alias.is_empty() && !loaded.contains(alias) && !loaded_aliases.contains(alias) {
                found.push(alias.to_string());
            }
            rest = inner[end + 1..].trim_start();
            rest = rest.strip_prefix(',').unwrap_or(rest);
        }
    }
    found
}

struct Loader {
    diagnostics: Vec<Diagnostic>,
    path: Arc<PathBuf>,
}

impl Loader {
    fn wrong_type(&mut self, node: &JsonNode, message: &str) {
        self.diagnostics.push(Diagnostic::error(
            DiagnosticCode::InvalidValue,
            node.range,
            format!("{message}, found {}", node.type_name()),
        ));
    }

    fn check_fields(&mut self, members: &[JsonMember], allowed: &[&str], what: &str) {
        for member in members {
            if !allowed.contains(&member.key.as_str()) {
                self.diagnostics.push(Diagnostic::warning(
                    DiagnosticCode::UnknownField,
                    member.key_range,
                    format!("unknown field `{}` in {what}; expected one of: {}", member.key, allowed.join(", ")),
                ));
            }
        }
    }

    fn string(&mut self, member: Option<&JsonMember>, name: &str, required_at: Option<TextRange>) -> Option<(String, TextRange)> {
        match member.and_then(|m| m.value.as_ref()) {
            Some(node @ JsonNode { value: JsonValue::String(s), .. }) => Some((s.clone(), node.range)),
            Some(node) => {
                self.wrong_type(node, &format!("`{name}` must be a string"));
                None
            }
            None => {
                if let Some(at) = required_at {
                    let range = member.map_or(at, |m| m.key_range);
                    self.diagnostics.push(Diagnostic::error(
                        DiagnosticCode::MissingField,
                        range,
                        format!("missing required field `{name}`"),
                    ));
                }
                None
            }
        }
    }

    fn string_list(&mut self, member: Option<&JsonMember>, name: &str) -> Vec<(String, TextRange)> {
        let Some(node) = member.and_then(|m| m.value.as_ref()) else { return Vec::new() };
        let JsonValue::Array(items) = &node.value else {
            self.wrong_type(node, &format!("`{name}` must be an array of strings"));
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            match &item.value {
                JsonValue::String(s) if s.trim().is_empty() => {
                    self.diagnostics.push(Diagnostic::error(DiagnosticCode::InvalidValue, item.range, format!("empty string in `{name}`")));
                }
                JsonValue::String(s) => out.push((s.clone(), item.range)),
                _ => self.wrong_type(item, &format!("each item of `{name}` must be a string")),
            }
        }
        out
    }

    fn date(&mut self, member: Option<&JsonMember>, name: &str) -> Option<NaiveDate> {
        let node = member.and_then(|m| m.value.as_ref())?;
        match &node.value {
            JsonValue::Null => None,
            JsonValue::String(s) => {
                let date = parse_iso_date(s);
                if date.is_none() {
                    self.diagnostics.push(Diagnostic::error(
                        DiagnosticCode::InvalidDate,
                        node.range,
                        format!("`{name}` is \"{s}\", which is not a valid YYYY-MM-DD date"),
                    ));
                }
                date
            }
            _ => {
                self.wrong_type(node, &format!("`{name}` must be a YYYY-MM-DD date string or null"));
                None
            }
        }
    }

    fn entry(&mut self, node: &JsonNode, agreement_section: bool) -> Option<KbEntry> {
        let JsonValue::Object(members) = &node.value else {
            self.wrong_type(node, "each entry must be an object");
            return None;
        };
        let field = |name: &str| members.iter().find(|m| m.key == name);
        let allowed = if agreement_section { AGREEMENT_FIELDS } else { ENTITY_FIELDS };
        self.check_fields(members, allowed, if agreement_section { "an agreement" } else { "an entity" });
        let entry_start = TextRange::new(node.range.start, (node.range.start + 1).min(node.range.end));
        let (id, id_range) = self.string(field("id"), "id", Some(entry_start))?;
        if !is_valid_id(&id) {
            self.diagnostics.push(Diagnostic::error(
                DiagnosticCode::InvalidValue,
                id_range,
                format!("id \"{id}\" must be lowercase letters and digits joined by single hyphens, e.g. `sergey-lavrov`"),
            ));
        }
        let (name, name_range) = self.string(field("name"), "name", Some(id_range)).unwrap_or_default();
        let mut kind_known = true;
        let kind = match self.string(field("kind"), "kind", (!agreement_section).then_some(id_range)) {
            Some((kind, range)) => match EntryKind::parse(&kind) {
                Some(EntryKind::Agreement) if !agreement_section => {
                    self.diagnostics.push(Diagnostic::error(
                        DiagnosticCode::InvalidValue,
                        range,
                        "agreements belong under `agreements`, not `entities`",
                    ));
                    EntryKind::Agreement
                }
                Some(k) if agreement_section && k != EntryKind::Agreement => {
                    self.diagnostics.push(Diagnostic::error(
                        DiagnosticCode::InvalidValue,
                        range,
                        "entries under `agreements` must have kind \"agreement\"",
                    ));
                    EntryKind::Agreement
                }
                Some(k) => k,
                None => {
                    self.diagnostics.push(Diagnostic::error(
                        DiagnosticCode::InvalidValue,
                        range,
                        format!("unknown kind \"{kind}\"; expected person, organization, place or agreement"),
                    ));
                    kind_known = false;
                    if agreement_section { EntryKind::Agreement } else { EntryKind::Organization }
                }
            },
            None if agreement_section => EntryKind::Agreement,
            None => return None,
        };
        let aliases = self.string_list(field("aliases"), "aliases");
        let description = self.string(field("description"), "description", None).map(|s| s.0).unwrap_or_default();
        let mut roles = Vec::new();
        if let Some(node) = field("roles").and_then(|m| m.value.as_ref()) {
            if kind_known && kind != EntryKind::Person {
                self.diagnostics.push(Diagnostic::warning(DiagnosticCode::InvalidValue, node.range, "only people have `roles`"));
            }
            match &node.value {
                JsonValue::Array(items) => {
                    for item in items {
                        if let Some(role) = self.role(item) {
                            roles.push(role);
                        }
                    }
                }
                _ => self.wrong_type(node, "`roles` must be an array of {title, start, end} objects"),
            }
        }
        let date = if agreement_section { self.date(field("date"), "date") } else { None };
        let parties = self.string_list(field("parties"), "parties").into_iter().map(|s| s.0).collect();
        let summary = self.string(field("summary"), "summary", None).map(|s| s.0).unwrap_or_default();
        let principles = self.string_list(field("principles"), "principles").into_iter().map(|s| s.0).collect();
        let sources = self.string_list(field("sources"), "sources").into_iter().map(|s| s.0).collect();
        let wikidata = self.string(field("wikidata"), "wikidata", None).and_then(|(qid, range)| {
            if is_wikidata_item(&qid) {
                Some(qid)
            } else {
                self.diagnostics.push(Diagnostic::error(
                    DiagnosticCode::InvalidValue,
                    range,
                    format!("`wikidata` is \"{qid}\", which is not a Wikidata item id such as \"Q7184\""),
                ));
                None
            }
        });
        let mut alias_ranges = vec![name_range];
        alias_ranges.extend(aliases.iter().map(|a| a.1));
        Some(KbEntry {
            id,
            name,
            kind,
            aliases: aliases.into_iter().map(|a| a.0).collect(),
            description,
            roles,
            date,
            parties,
            summary,
            principles,
            sources,
            wikidata,
            origin: EntryOrigin { file: self.path.clone(), entry_range: node.range, id_range },
            alias_ranges,
        })
    }

    fn role(&mut self, node: &JsonNode) -> Option<Role> {
        let JsonValue::Object(members) = &node.value else {
            self.wrong_type(node, "each role must be an object {title, start, end}");
            return None;
        };
        self.check_fields(members, ROLE_FIELDS, "a role");
        let field = |name: &str| members.iter().find(|m| m.key == name);
        let (title, _) = self.string(field("title"), "title", Some(TextRange::new(node.range.start, node.range.start + 1)))?;
        let start = self.date(field("start"), "start");
        let end = self.date(field("end"), "end");
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            let range = field("end").and_then(|m| m.value.as_ref()).map_or(node.range, |v| v.range);
            self.diagnostics.push(Diagnostic::error(
                DiagnosticCode::InvalidDate,
                range,
                format!("role \"{title}\" ends ({e}) before it starts ({s})"),
            ));
        }
        Some(Role { title, start, end })
    }
}

/// `Q` and a number without leading zero: the id of a Wikidata item.
pub(crate) fn is_wikidata_item(qid: &str) -> bool {
    qid.strip_prefix('Q').is_some_and(|n| !n.is_empty() && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit()))
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.split('-').all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> KbFileSyntax {
        parse_kb_file(Arc::new(PathBuf::from("kb/test.json")), text)
    }

    #[test]
    fn entity_with_roles_loads() {
        let file = load(
            r#"{"entities": [{"id": "antony-blinken", "name": "Antony Blinken", "kind": "person", "aliases": ["Blinken"],
            "roles": [{"title": "US Secretary of State", "start": "2021-01-26", "end": "2025-01-20"}]}]}"#,
        );
        assert!(file.diagnostics.is_empty(), "{:?}", file.diagnostics);
        let blinken = &file.entries[0];
        assert_eq!(blinken.roles_on(NaiveDate::from_ymd_opt(2021, 12, 2).unwrap())[0].title, "US Secretary of State");
        assert!(blinken.roles_on(NaiveDate::from_ymd_opt(2025, 2, 1).unwrap()).is_empty());
    }

    #[test]
    fn every_problem_is_reported_at_its_place() {
        let text = r#"{"entities": [
  {"id": "Bad Id", "name": "X", "kind": "person", "colour": "red"},
  {"id": "ok", "name": "Y", "kind": "planet", "roles": [{"title": "T", "start": "2021-02-30"}]},
  {"name": "no id", "kind": "place"}
]}"#;
        let file = load(text);
        let codes: Vec<_> = file.diagnostics.iter().map(|d| (d.code.as_str(), d.range.slice(text))).collect();
        assert_eq!(
            codes,
            [
                ("invalid-value", "\"Bad Id\""),
                ("unknown-field", "\"colour\""),
                ("invalid-value", "\"planet\""),
                ("invalid-date", "\"2021-02-30\""),
                ("missing-field", "{"),
            ]
        );
        assert_eq!(file.entries.len(), 2);
    }
}
