//! Finding knowledge-base names and aliases in text with one Aho-Corasick pass,
//! honouring word boundaries, apostrophe styles and the case of names.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::{EntryKind, KbEntry};
use crate::text::TextRange;

/// How a mention was recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MatchVia {
    /// The entry's name.
    Name,
    /// One of its aliases.
    Alias,
    /// A person's bare surname after a full mention of them in the same text.
    Surname,
}

/// A name or alias found in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AliasMatch {
    /// Where, in bytes of the text.
    pub range: TextRange,
    /// The entry it names (index into the KB's entries).
    pub entry: usize,
    /// How it was recognised.
    pub via: MatchVia,
}

#[derive(Clone, Debug)]
struct PatternInfo {
    alias: String,
    /// The entry it names (for a surname shared by several people, the first).
    entry: usize,
    /// The other people sharing an auto-derived surname; empty otherwise.
    more: Vec<usize>,
    via: MatchVia,
    /// This pattern searches the alias with typographic apostrophes (`’`).
    curly: bool,
}

impl PatternInfo {
    fn entries(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.entry).chain(self.more.iter().copied())
    }
}

/// Every name and alias of a knowledge base, as one Aho-Corasick automaton with word-boundary, apostrophe and case rules, and a lookup by alias.
#[derive(Clone, Debug, Default)]
pub struct AliasIndex {
    /// Built on the first search, not with the index: a knowledge base built for
    /// its diagnostics alone (a KB file being edited) never pays for it.
    automaton: OnceLock<Option<AhoCorasick>>,
    /// One per automaton pattern.
    patterns: Vec<PatternInfo>,
    /// Each alias key's first claimant and where it claimed it (keys of empty
    /// names included, for duplicate diagnostics; lookups never find them).
    by_key: HashMap<String, (usize, TextRange)>,
}

/// Names and aliases longer than this (in characters) are not searched for in
/// articles. A name is a few words; a longer "alias" is a pasted paragraph or a
/// generated string, and one alias of 10,000 repetitive characters made the
/// automaton's DFA build take seconds (each of its states follows failure links
/// as long as the repetition: quadratic), while every edit's rescan must cover
/// the longest pattern. Such an alias is still a key for lookups and duplicates,
/// and the knowledge base reports it (`alias-too-long`).
pub const MAX_SEARCHED_ALIAS_CHARS: usize = 200;

/// The alias is short enough to be searched for in articles.
pub fn is_searchable_alias(alias: &str) -> bool {
    alias.chars().nth(MAX_SEARCHED_ALIAS_CHARS).is_none()
}

/// `s` with typographic apostrophes (’) made straight ('), as alias keys compare them.
pub fn normalize_apostrophes(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string(); // the apostrophes replaced are not ASCII
    }
    s.replace(['’', '‘', 'ʼ'], "'")
}

/// The key two aliases collide on: case, apostrophe style and spacing ignored.
pub(crate) fn alias_key(alias: &str) -> String {
    if !alias.is_ascii() {
        return normalize_apostrophes(alias).split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    }
    // The same for ASCII, in one pass and one allocation (a million-entry
    // knowledge base computes a million keys).
    let mut key = String::with_capacity(alias.len());
    let mut space = false;
    for &byte in alias.as_bytes() {
        if matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
            space = !key.is_empty();
        } else {
            if space {
                key.push(' ');
                space = false;
            }
            key.push(byte.to_ascii_lowercase() as char);
        }
    }
    key
}

/// Collects names and aliases as `KnowledgeBase::build` admits entries, so that
/// each alias's key is computed once, for both the duplicate check and the index.
#[derive(Default)]
pub(crate) struct AliasIndexBuilder {
    by_key: HashMap<String, (usize, TextRange)>,
    infos: Vec<PatternInfo>,
    /// The keys of the entry being added, to skip its own repetitions.
    entry_keys: Vec<String>,
    current: Option<usize>,
}

impl AliasIndexBuilder {
    /// A builder with room for `names` names and aliases.
    pub(crate) fn with_capacity(names: usize) -> AliasIndexBuilder {
        AliasIndexBuilder { by_key: HashMap::with_capacity(names), infos: Vec::with_capacity(names), ..Default::default() }
    }

    /// Claims `alias` (at `range`) for entry `entry`. `Err` with the first
    /// claimant and its range when another entry claimed the same key; `Ok` when
    /// it is new or the entry repeats one of its own names.
    pub(crate) fn claim(&mut self, entry: usize, alias: &str, via: MatchVia, range: TextRange) -> Result<(), (usize, TextRange)> {
        if self.current != Some(entry) {
            self.current = Some(entry);
            self.entry_keys.clear();
        }
        let key = alias_key(alias);
        if self.entry_keys.contains(&key) {
            return Ok(()); // the same entry repeating its own name is harmless
        }
        self.entry_keys.push(key.clone());
        if let Some(&owner) = self.by_key.get(&key) {
            return Err(owner);
        }
        if !key.is_empty() && is_searchable_alias(alias.trim()) {
            self.infos.push(PatternInfo { alias: normalize_apostrophes(alias.trim()), entry, more: Vec::new(), via, curly: false });
        }
        self.by_key.insert(key, (entry, range));
        Ok(())
    }

    /// The index over `entries` (the ones claims were made for, by number), with
    /// every person's surname added where no name or alias already has it.
    pub(crate) fn finish(self, entries: &[KbEntry]) -> AliasIndex {
        let AliasIndexBuilder { by_key, infos, .. } = self;
        let mut surnames: Vec<(&str, usize)> = entries
            .iter()
            .enumerate()
            .filter_map(|(index, entry)| Some((entry.surname()?, index)))
            .filter(|(surname, _)| is_searchable_alias(surname))
            .filter(|(surname, _)| !by_key.contains_key(&alias_key(surname)))
            .collect();
        surnames.sort_unstable();
        let mut surname_infos: Vec<PatternInfo> = Vec::with_capacity(surnames.len());
        for (surname, index) in surnames {
            match surname_infos.last_mut() {
                Some(last) if last.alias == surname => last.more.push(index),
                _ => surname_infos.push(PatternInfo {
                    alias: surname.to_string(),
                    entry: index,
                    more: Vec::new(),
                    via: MatchVia::Surname,
                    curly: false,
                }),
            }
        }
        // Each alias is searched in both apostrophe styles.
        let mut patterns = Vec::with_capacity(infos.len() + surname_infos.len());
        for info in infos.into_iter().chain(surname_infos) {
            if info.alias.contains('\'') {
                patterns.push(PatternInfo { curly: true, ..info.clone() });
            }
            patterns.push(info);
        }
        AliasIndex { automaton: OnceLock::new(), patterns, by_key }
    }
}

/// Up to this many patterns the automaton is a DFA (a few MB at most).
const DFA_MAX_PATTERNS: usize = 5_000;

impl AliasIndex {
    /// The index of `entries`' names and aliases (the automaton is built on the first search).
    pub fn new(entries: &[KbEntry]) -> AliasIndex {
        let mut builder = AliasIndexBuilder::default();
        for (index, entry) in entries.iter().enumerate() {
            let names = std::iter::once((&entry.name, MatchVia::Name)).chain(entry.aliases.iter().map(|a| (a, MatchVia::Alias)));
            for (alias, via) in names {
                let _ = builder.claim(index, alias, via, TextRange::default());
            }
        }
        builder.finish(entries)
    }

    /// The automaton over every pattern, built on first use. It searches for
    /// the patterns ASCII-lowercased in ASCII-lowercased text, which finds
    /// exactly what an ASCII-case-insensitive automaton over the patterns as
    /// they are would, at the same offsets, with half the trie transitions: a
    /// 1,000,000-entry knowledge base builds it in half the time.
    fn automaton(&self) -> Option<&AhoCorasick> {
        self.automaton
            .get_or_init(|| {
                if self.patterns.is_empty() {
                    return None;
                }
                let started = std::time::Instant::now();
                let lowered = self.patterns.iter().map(|p| {
                    let mut bytes = match p.curly {
                        true => p.alias.replace('\'', "’").into_bytes(),
                        false => p.alias.as_bytes().to_vec(),
                    };
                    bytes.make_ascii_lowercase();
                    bytes
                });
                // A DFA searches about twice as fast as the default NFA for a
                // KB of a few hundred names, but its memory grows with every
                // state times the byte classes: past a few thousand patterns
                // the NFA's compactness wins.
                let kind = (self.patterns.len() <= DFA_MAX_PATTERNS).then_some(AhoCorasickKind::DFA);
                match AhoCorasickBuilder::new().match_kind(MatchKind::Standard).kind(kind).build(lowered) {
                    Ok(automaton) => {
                        tracing::debug!(
                            patterns = self.patterns.len(),
                            elapsed_ms = started.elapsed().as_millis() as u64,
                            "alias automaton built"
                        );
                        Some(automaton)
                    }
                    Err(error) => {
                        // Only a knowledge base far beyond the automaton's state
                        // limits gets here: its names are then not recognised.
                        tracing::error!(patterns = self.patterns.len(), "the knowledge base is too large to search for its names: {error}");
                        None
                    }
                }
            })
            .as_ref()
    }

    /// The entry (index) an alias names, as keys compare (case of word-initial letters, apostrophe style).
    pub fn lookup(&self, alias: &str) -> Option<usize> {
        let key = alias_key(alias);
        if key.is_empty() {
            return None;
        }
        self.by_key.get(&key).map(|&(entry, _)| entry)
    }

    /// Every mention in `text`, leftmost-longest and non-overlapping.
    pub fn find_matches(&self, text: &str, entries: &[KbEntry]) -> Vec<AliasMatch> {
        self.resolve_candidates(&self.candidates_in(text, TextRange::new(0, text.len())), entries)
    }

    /// Every place in `span` where a name or alias matches on its own (word
    /// bounds and case checked against the whole `text`), overlapping ones
    /// included, sorted by start and then longest first.
    pub fn candidates_in(&self, text: &str, span: TextRange) -> Vec<AliasCandidate> {
        let Some(automaton) = self.automaton() else { return Vec::new() };
        // ASCII lowercasing keeps every byte offset.
        let lowered = span.slice(text).to_ascii_lowercase();
        let mut candidates: Vec<AliasCandidate> = automaton
            .find_overlapping_iter(&lowered)
            .map(|m| (span.start + m.start(), span.start + m.end(), m.pattern().as_usize()))
            .filter(|&(start, end, _)| is_word_bounded(text, start, end))
            .filter(|&(start, end, pattern)| case_agrees(&text[start..end], &self.patterns[pattern].alias))
            .map(|(start, end, pattern)| AliasCandidate { range: TextRange::new(start, end), pattern })
            .collect();
        sort_candidates(&mut candidates);
        candidates
    }

    /// The bytes a candidate may span: what a rescan after an edit must cover.
    pub fn longest_pattern(&self) -> usize {
        self.patterns.iter().map(|p| p.alias.len()).max().unwrap_or(0)
    }

    /// The mentions among the candidates: the longest of overlapping ones wins,
    /// and a bare surname names the person whose full name came last before it.
    pub fn resolve_candidates(&self, candidates: &[AliasCandidate], entries: &[KbEntry]) -> Vec<AliasMatch> {
        let mut matches: Vec<AliasMatch> = Vec::with_capacity(candidates.len());
        // Most recent full mention of each person, for resolving bare surnames.
        let mut last_full_mention: HashMap<usize, usize> = HashMap::new();
        let mut covered_until = 0;
        for &AliasCandidate { range, pattern } in candidates {
            if range.start < covered_until {
                continue;
            }
            let info = &self.patterns[pattern];
            let entry = match info.via {
                MatchVia::Surname => {
                    let Some(entry) = info.entries().filter(|e| last_full_mention.contains_key(e)).max_by_key(|e| last_full_mention[e])
                    else {
                        continue;
                    };
                    entry
                }
                _ => info.entry,
            };
            if info.via != MatchVia::Surname && entries[entry].kind == EntryKind::Person {
                last_full_mention.insert(entry, range.start);
            }
            matches.push(AliasMatch { range, entry, via: info.via });
            covered_until = range.end;
        }
        matches
    }
}

/// Text order, and of candidates starting together the longest first.
pub fn sort_candidates(candidates: &mut [AliasCandidate]) {
    candidates.sort_by_key(|c| (c.range.start, std::cmp::Reverse(c.range.end)));
}

/// A place where one automaton pattern matches on its own, before overlapping
/// matches are settled and surnames resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AliasCandidate {
    /// Where the pattern matched, in bytes of the text.
    pub range: TextRange,
    pattern: usize,
}

impl AliasCandidate {
    /// The same candidate at `range` (the text it spans moved by an edit).
    pub fn moved_to(self, range: TextRange) -> AliasCandidate {
        AliasCandidate { range, ..self }
    }
}

fn is_word_bounded(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(|c| c.is_alphanumeric() || c == '_') && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Names keep their case except at the start of a word ("The NATO chief" at the
/// start of a sentence, "kyiv" in machine-rewritten text); acronyms never bend
/// ("us" is not "US"). An all-capitals dateline ("MOSCOW") matches a name.
fn case_agrees(found: &str, alias: &str) -> bool {
    let alias_has_lower = alias.chars().any(char::is_lowercase);
    let found_letters = found.chars().filter(|c| c.is_alphabetic()).count();
    if alias_has_lower && found_letters >= 3 && !found.chars().any(char::is_lowercase) {
        return true;
    }
    let mut at_word_start = true;
    for (f, a) in found.chars().zip(alias.chars()) {
        let same = f == a || (matches!(f, '\'' | '’') && matches!(a, '\'' | '’'));
        if !(same || at_word_start && f.to_lowercase().eq(a.to_lowercase())) {
            return false;
        }
        at_word_start = !a.is_alphanumeric();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_rule() {
        assert!(case_agrees("The NATO chief", "the NATO chief"));
        assert!(case_agrees("kyiv", "Kyiv"));
        assert!(case_agrees("MOSCOW", "Moscow"));
        assert!(!case_agrees("us", "US"));
        assert!(!case_agrees("Us", "US"));
        assert!(!case_agrees("NAto", "NATO"));
        assert!(case_agrees("Russia’s top diplomat", "Russia's top diplomat"));
    }

    #[test]
    fn ascii_keys_match_the_general_rule() {
        let general = |alias: &str| normalize_apostrophes(alias).split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        for alias in ["", " ", "NATO", "  The   NATO\tchief ", "O'Brien", "a\u{b}b\u{c}c\r\nd", "x\u{1c}y", "Q-123_z", "\u{7f}"] {
            assert_eq!(alias_key(alias), general(alias), "{alias:?}");
        }
        assert_eq!(alias_key("Ο’ Σ  Brien"), general("Ο’ Σ  Brien"));
    }

    /// The lowercased automaton finds exactly the matches an ASCII-case-
    /// insensitive one over the patterns as written finds.
    #[test]
    fn lowercased_search_finds_what_a_case_insensitive_one_does() {
        let path = std::sync::Arc::new(std::path::PathBuf::from("kb/t.json"));
        let text = r#"{"entities": [
            {"id": "a", "name": "Sergey Lavrov", "kind": "person", "aliases": ["Russia's top diplomat", "LAVROV", "É.U."]},
            {"id": "b", "name": "NATO", "kind": "organization", "aliases": ["the Alliance", "Nato"]},
            {"id": "c", "name": "Seán O'Brien", "kind": "person"},
            {"id": "d", "name": "Anna Smith", "kind": "person"},
            {"id": "e", "name": "Bob SMITH", "kind": "person"}
        ]}"#;
        let build = crate::kb::KnowledgeBase::build(vec![crate::kb::parse_kb_file(path, text)]);
        let index = build.kb.alias_index();
        let article = "NATO, nato, Nato and THE ALLIANCE: Sergey LAVROV, lavrov, Russia’s Top Diplomat and russia's top diplomat. \
                       SEÁN O’BRIEN met Seán O'Brien; o’brien, O'BRIEN. Anna Smith, Bob SMITH, smith, SMITH. é.u. É.U.";
        let reference = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(index.patterns.iter().map(|p| if p.curly { p.alias.replace('\'', "’") } else { p.alias.clone() }))
            .unwrap();
        let expected: Vec<_> = reference.find_overlapping_iter(article).map(|m| (m.start(), m.end(), m.pattern())).collect();
        let lowered = article.to_ascii_lowercase();
        let found: Vec<_> = index.automaton().unwrap().find_overlapping_iter(&lowered).map(|m| (m.start(), m.end(), m.pattern())).collect();
        assert!(expected.len() > 20, "{expected:?}");
        assert_eq!(found, expected);
    }
}
