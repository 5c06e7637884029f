//! The knowledge base: people, organizations, places and agreements with their
//! aliases and dated roles, loaded from the corpus's JSON files.

mod alias_index;
pub mod json_tree;
mod load;
pub mod names;
pub mod wikidata;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

pub use alias_index::{AliasCandidate, AliasIndex, AliasMatch, normalize_apostrophes, sort_candidates};
use alias_index::{AliasIndexBuilder, MAX_SEARCHED_ALIAS_CHARS, MatchVia, is_searchable_alias};
pub use load::{DRAFT_FIELD, KbFileSyntax, parse_kb_file};

use crate::diagnostic::{Diagnostic, DiagnosticCode, RelatedSpan};
use crate::text::TextRange;

/// What a KB entry is; the lower-case name is the `kind` field of the JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// A person (roles on dates, a surname that can name them alone).
    Person,
    /// An organization (a party, a ministry, an alliance).
    Organization,
    /// A place (a country, a city).
    Place,
    /// An agreement (a treaty, an accord, a law), with parties and a date.
    Agreement,
}

impl EntryKind {
    /// The lower-case name (`person`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Person => "person",
            EntryKind::Organization => "organization",
            EntryKind::Place => "place",
            EntryKind::Agreement => "agreement",
        }
    }

    /// The kind of a lower-case name; `None` for any other string.
    pub fn parse(s: &str) -> Option<EntryKind> {
        Some(match s {
            "person" => EntryKind::Person,
            "organization" => EntryKind::Organization,
            "place" => EntryKind::Place,
            "agreement" => EntryKind::Agreement,
            _ => return None,
        })
    }
}

/// A title a person held, from `start` to `end` (open when absent).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    /// The title (`Foreign Minister of Russia`).
    pub title: String,
    /// The first day it held, if known.
    pub start: Option<NaiveDate>,
    /// The last day it held, if it ended.
    pub end: Option<NaiveDate>,
}

impl Role {
    /// Holds on `date` when the date lies in `[start, end]`; open ends are unbounded.
    pub fn holds_on(&self, date: NaiveDate) -> bool {
        self.start.is_none_or(|s| s <= date) && self.end.is_none_or(|e| date <= e)
    }
}

/// Where an entry was defined, for go-to-definition and related diagnostics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryOrigin {
    /// The KB file.
    pub file: Arc<PathBuf>,
    /// The entry's object, in bytes of the file.
    pub entry_range: TextRange,
    /// Its `id` value, in bytes of the file.
    pub id_range: TextRange,
}

/// One entry of the knowledge base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KbEntry {
    /// Its unique id.
    pub id: String,
    /// Its name (searched for, as every alias).
    pub name: String,
    /// What it is.
    pub kind: EntryKind,
    /// Other names it goes by.
    pub aliases: Vec<String>,
    /// A short description, shown in hovers.
    pub description: String,
    /// People: the titles held, with dates.
    pub roles: Vec<Role>,
    /// Agreements: the date signed or adopted.
    pub date: Option<NaiveDate>,
    /// Agreements: the KB ids or names of the parties.
    pub parties: Vec<String>,
    /// Agreements: what they say, in a sentence or two.
    pub summary: String,
    /// Agreements: their main principles.
    pub principles: Vec<String>,
    /// Where the entry's facts come from (URLs or citations).
    pub sources: Vec<String>,
    /// The Wikidata item the entry was imported from (`Q…`), for a link in hovers.
    pub wikidata: Option<String>,
    /// Where it is defined.
    pub origin: EntryOrigin,
    /// Byte ranges of the name and each alias string in the KB file, in the order
    /// name, aliases (for duplicate-alias diagnostics).
    pub alias_ranges: Vec<TextRange>,
}

impl KbEntry {
    /// The roles that hold on `date`, most recently started first.
    pub fn roles_on(&self, date: NaiveDate) -> Vec<&Role> {
        let mut roles: Vec<&Role> = self.roles.iter().filter(|r| r.holds_on(date)).collect();
        roles.sort_by_key(|r| std::cmp::Reverse(r.start));
        roles
    }

    /// The surname of a person: the last word of the name, if it is capitalised.
    pub fn surname(&self) -> Option<&str> {
        if self.kind != EntryKind::Person {
            return None;
        }
        let last = self.name.rsplit(' ').next()?;
        (self.name.contains(' ') && last.chars().next().is_some_and(char::is_uppercase)).then_some(last)
    }
}

/// All entries of a corpus, indexed by id and by alias.
#[derive(Clone, Debug, Default)]
pub struct KnowledgeBase {
    entries: Vec<KbEntry>,
    by_id: HashMap<String, usize>,
    aliases: AliasIndex,
    /// Ids and names (lowercase) of entries that syntax errors made unreadable.
    unreadable: std::collections::HashSet<String>,
}

/// The knowledge base built from a set of files, with the diagnostics of each.
#[derive(Clone, Debug, Default)]
pub struct KbBuild {
    /// The merged knowledge base.
    pub kb: KnowledgeBase,
    /// Each file's diagnostics (its own and cross-file ones).
    pub diagnostics: Vec<(Arc<PathBuf>, Vec<Diagnostic>)>,
}

impl KnowledgeBase {
    /// Merges parsed KB files. The first definition of an id or alias wins; later
    /// ones are reported with a pointer to the first.
    pub fn build(files: Vec<KbFileSyntax>) -> KbBuild {
        let total: usize = files.iter().map(|f| f.entries.len()).sum();
        let mut entries: Vec<KbEntry> = Vec::with_capacity(total);
        let mut by_id: HashMap<String, usize> = HashMap::with_capacity(total);
        let names: usize = files.iter().flat_map(|f| &f.entries).map(|e| 1 + e.aliases.len()).sum();
        let mut aliases = AliasIndexBuilder::with_capacity(names);
        let mut diagnostics = Vec::new();
        let mut unreadable = std::collections::HashSet::new();
        for file in files {
            unreadable.extend(file.unreadable.iter().map(|name| name.to_lowercase()));
            let mut file_diagnostics = file.diagnostics;
            for entry in file.entries {
                if let Some(&first) = by_id.get(&entry.id) {
                    let other = &entries[first];
                    file_diagnostics.push(
                        Diagnostic::error(
                            DiagnosticCode::DuplicateId,
                            entry.origin.id_range,
                            format!("duplicate id `{}`: it is already defined", entry.id),
                        )
                        .with_related(RelatedSpan {
                            file: Some((*other.origin.file).clone()),
                            range: other.origin.id_range,
                            message: "first defined here".into(),
                        }),
                    );
                    continue;
                }
                let index = entries.len();
                let names = std::iter::once((&entry.name, MatchVia::Name)).chain(entry.aliases.iter().map(|a| (a, MatchVia::Alias)));
                for ((alias, via), &range) in names.zip(&entry.alias_ranges) {
                    let claimed = aliases.claim(index, alias, via, range);
                    if claimed.is_ok() && !is_searchable_alias(alias.trim()) {
                        let shown: String = alias.trim().chars().take(40).collect();
                        file_diagnostics.push(Diagnostic::warning(
                            DiagnosticCode::AliasTooLong,
                            range,
                            format!(
                                "{} \"{shown}…\" is {} characters long; names and aliases over {MAX_SEARCHED_ALIAS_CHARS} characters are not searched for in articles",
                                if via == MatchVia::Name { "name" } else { "alias" },
                                alias.trim().chars().count()
                            ),
                        ));
                    }
                    if let Err((owner, owner_range)) = claimed {
                        let other = &entries[owner];
                        file_diagnostics.push(
                            Diagnostic::error(
                                DiagnosticCode::DuplicateAlias,
                                range,
                                format!("alias \"{alias}\" is already claimed by `{}`", other.id),
                            )
                            .with_related(RelatedSpan {
                                file: Some((*other.origin.file).clone()),
                                range: owner_range,
                                message: format!("claimed by `{}` here", other.id),
                            }),
                        );
                    }
                }
                by_id.insert(entry.id.clone(), index);
                entries.push(entry);
            }
            file_diagnostics.sort_by_key(|d| (d.range.start, d.range.end));
            diagnostics.push((file.path, file_diagnostics));
        }
        let aliases = aliases.finish(&entries);
        KbBuild { kb: KnowledgeBase { entries, by_id, aliases, unreadable }, diagnostics }
    }

    /// Every usable entry, in file order (first definitions only).
    pub fn entries(&self) -> &[KbEntry] {
        &self.entries
    }

    /// Whether it has no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether a syntax error made some entry unreadable.
    pub fn has_unreadable(&self) -> bool {
        !self.unreadable.is_empty()
    }

    /// Whether `id_or_name` is written in an entry that a syntax error made
    /// unreadable: what refers to it is not reported missing (no cascade).
    pub fn is_unreadable(&self, id_or_name: &str) -> bool {
        !self.unreadable.is_empty() && self.unreadable.contains(&id_or_name.to_lowercase())
    }

    /// Whether an unknown name found in an article may name an unreadable
    /// entry: the name or a run of its words is one of that entry's names, a
    /// word perhaps with a case ending (up to three letters: `Lawrows`,
    /// `Лаврова`). The names finder takes a cue or title into the name
    /// ("Selon Sergueï Lavrov", "Laut Lawrows Sprecher"), so the whole name
    /// alone would let a broken KB file cascade into articles.
    ///
    /// ```
    /// # use std::{path::PathBuf, sync::Arc};
    /// # use marginalia::kb::{KnowledgeBase, parse_kb_file};
    /// let broken = r#"{"entities": [ "id": "sergey-lavrov", "name": "Sergey Lavrov", "aliases": ["Lawrow"]} ]}"#;
    /// let kb = KnowledgeBase::build(vec![parse_kb_file(Arc::new(PathBuf::from("kb.json")), broken)]).kb;
    /// assert!(kb.may_name_unreadable("Laut Lawrows Sprecher"));
    /// assert!(!kb.may_name_unreadable("Annalena Baerbock"));
    /// ```
    pub fn may_name_unreadable(&self, name: &str) -> bool {
        if self.unreadable.is_empty() {
            return false;
        }
        let words: Vec<&str> = name.split_whitespace().collect();
        let runs = (0..words.len()).flat_map(|i| (i + 1..=words.len()).map(move |j| (i, j)));
        let inflected = |word: &str| {
            let starts: Vec<usize> = word.char_indices().map(|(at, _)| at).collect();
            // Keep at least three letters of the stem.
            let letters = starts.len();
            (1..=3).filter(|&k| letters > k + 2).any(|k| self.is_unreadable(&word[..starts[letters - k]]))
        };
        runs.into_iter().any(|(i, j)| self.is_unreadable(&words[i..j].join(" "))) || words.iter().any(|w| inflected(w))
    }

    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&KbEntry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// The entry at `index` of [`entries`](Self::entries) (as alias matches name them).
    pub fn entry(&self, index: usize) -> &KbEntry {
        &self.entries[index]
    }

    /// The entry a name or alias refers to, ignoring case of word-initial letters
    /// and the apostrophe style.
    pub fn lookup_alias(&self, alias: &str) -> Option<&KbEntry> {
        self.aliases.lookup(alias).map(|i| &self.entries[i])
    }

    /// The automaton that finds every name and alias in a text.
    pub fn alias_index(&self) -> &AliasIndex {
        &self.aliases
    }
}
