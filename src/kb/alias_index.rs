//! Finding knowledge-base names and aliases in text with one Aho-Corasick pass,
//! honouring word boundaries, apostrophe styles and the case of names.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::{EntryKind, KbEntry};
use crate::text::TextRange;

/// How a mention was recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MatchVia {
    Name,
    Alias,
    /// A person's bare surname after a full mention of them in the same text.
    Surname,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AliasMatch {
    pub range: TextRange,
    pub entry: usize,
    pub via: MatchVia,
}

#[derive(Clone, Debug)]
struct PatternInfo {
    alias: String,
    /// Several entries only for auto-derived surnames shared by two people.
    entries: Vec<usize>,
    via: MatchVia,
}

#[derive(Clone, Debug, Default)]
pub struct AliasIndex {
    automaton: Option<AhoCorasick>,
    /// One per automaton pattern.
    patterns: Vec<PatternInfo>,
    by_key: HashMap<String, usize>,
}

pub fn normalize_apostrophes(s: &str) -> String {
    s.replace(['’', '‘', 'ʼ'], "'")
}

/// The key two aliases collide on: case, apostrophe style and spacing ignored.
pub(crate) fn alias_key(alias: &str) -> String {
    normalize_apostrophes(alias).split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

impl AliasIndex {
    pub fn new(entries: &[KbEntry]) -> AliasIndex {
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut infos: Vec<PatternInfo> = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            let names = std::iter::once((&entry.name, MatchVia::Name)).chain(entry.aliases.iter().map(|a| (a, MatchVia::Alias)));
            for (alias, via) in names {
                let key = alias_key(alias);
                if key.is_empty() || by_key.contains_key(&key) {
                    continue;
                }
                by_key.insert(key, index);
                infos.push(PatternInfo { alias: normalize_apostrophes(alias.trim()), entries: vec![index], via });
            }
        }
        let mut surnames: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, entry) in entries.iter().enumerate() {
            if let Some(surname) = entry.surname() {
                let key = alias_key(surname);
                if !by_key.contains_key(&key) {
                    surnames.entry(surname.to_string()).or_default().push(index);
                }
            }
        }
        let mut surnames: Vec<_> = surnames.into_iter().collect();
        surnames.sort();
        for (surname, entries) in surnames {
            infos.push(PatternInfo { alias: surname, entries, via: MatchVia::Surname });
        }
        // Each alias is searched in both apostrophe styles.
        let mut patterns = Vec::new();
        let mut pattern_infos = Vec::new();
        for info in infos {
            if info.alias.contains('\'') {
                patterns.push(info.alias.replace('\'', "’"));
                pattern_infos.push(info.clone());
            }
            patterns.push(info.alias.clone());
            pattern_infos.push(info);
        }
        let automaton = (!patterns.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .expect("alias patterns are plain strings and always build")
        });
        AliasIndex { automaton, patterns: pattern_infos, by_key }
    }

    pub fn lookup(&self, alias: &str) -> Option<usize> {
        self.by_key.get(&alias_key(alias)).copied()
    }

    /// Every mention in `text`, leftmost-longest and non-overlapping.
    pub fn find_matches(&self, text: &str, entries: &[KbEntry]) -> Vec<AliasMatch> {
        let Some(automaton) = &self.automaton else { return Vec::new() };
        let mut candidates: Vec<(TextRange, usize)> = automaton
            .find_overlapping_iter(text)
            .filter(|m| is_word_bounded(text, m.start(), m.end()))
            .filter(|m| case_agrees(&text[m.start()..m.end()], &self.patterns[m.pattern().as_usize()].alias))
            .map(|m| (TextRange::new(m.start(), m.end()), m.pattern().as_usize()))
            .collect();
        candidates.sort_by_key(|&(range, _)| (range.start, std::cmp::Reverse(range.end)));
        let mut matches: Vec<AliasMatch> = Vec::new();
        // Most recent full mention of each person, for resolving bare surnames.
        let mut last_full_mention: HashMap<usize, usize> = HashMap::new();
        let mut covered_until = 0;
        for (range, pattern) in candidates {
            if range.start < covered_until {
                continue;
            }
            let info = &self.patterns[pattern];
            let entry = match info.via {
                MatchVia::Surname => {
                    let Some(&entry) =
                        info.entries.iter().filter(|e| last_full_mention.contains_key(e)).max_by_key(|e| last_full_mention[e])
                    else {
                        continue;
                    };
                    entry
                }
                _ => info.entries[0],
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
}
