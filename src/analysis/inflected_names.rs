//! Surnames inflected for case: Russian and Ukrainian decline names (Лавров →
//! Лаврова, Лаврову, Лавровым; Кулеба → Кулеби, Кулебу), German adds a genitive
//! `s` (Lawrows). The alias index matches whole names only, so each capitalised
//! word no mention covers is tried once more with its case ending swapped for
//! the nominative's, a constant number of key lookups a word.
//!
//! The endings are data, one list per language; the rule is
//! [`inflected_mentions`]. No stemmer: names decline by a handful of endings,
//! and a stemmer made for common nouns would cut names it does not know.

use super::Mention;
use crate::article::{Article, Lang};
use crate::kb::{EntryKind, KnowledgeBase};
use crate::text::TextRange;

/// Case endings of a name, longest first, and the nominative endings they may
/// replace (`Лаврова` − `а` + `` = `Лавров`; `Кулеби` − `и` + `а` = `Кулеба`;
/// `Зеленского` − `ого` + `ий` = `Зеленский`).
struct Endings {
    case: &'static [&'static str],
    nominative: &'static [&'static str],
}

const RUSSIAN: Endings = Endings {
    case: &["ого", "ому", "ыми", "ым", "ой", "ою", "ом", "ем", "ей", "ую", "ы", "и", "а", "у", "е", "я", "ю"],
    nominative: &["", "а", "я", "ий", "ый", "ой", "ь"],
};

const UKRAINIAN: Endings = Endings {
    case: &["ого", "ому", "ою", "им", "ом", "ої", "ій", "у", "ю", "а", "и", "і", "е", "я"],
    nominative: &["", "а", "я", "ий", "ій", "ь"],
};

const GERMAN: Endings = Endings { case: &["s"], nominative: &[""] };

fn endings(lang: Lang) -> Option<&'static Endings> {
    match lang {
        Lang::Ru => Some(&RUSSIAN),
        Lang::Uk => Some(&UKRAINIAN),
        Lang::De => Some(&GERMAN),
        Lang::En | Lang::Fr => None,
    }
}

/// Mentions of people (and other named entries) written in an inflected case:
/// "по словам Лаврова" mentions Sergey Lavrov when the KB lists "Лавров",
/// "Lawrows Sprecher" when it lists "Lawrow". Words already inside a mention
/// are left alone; the stem must keep at least three letters.
pub fn inflected_mentions(text: &str, article: &Article, lang: Lang, kb: &KnowledgeBase, found: &[Mention]) -> Vec<Mention> {
    let Some(endings) = endings(lang) else { return Vec::new() };
    if kb.is_empty() {
        return Vec::new();
    }
    let mut mentions = Vec::new();
    let mut key = String::new();
    for paragraph in &article.paragraphs {
        for (range, word) in article.words(text, paragraph.range) {
            if !word.starts_with(char::is_uppercase) || covered(found, range) {
                continue;
            }
            let entry = endings.case.iter().filter(|ending| word.ends_with(**ending)).find_map(|ending| {
                let stem = &word[..word.len() - ending.len()];
                if stem.chars().count() < 3 {
                    return None;
                }
                endings.nominative.iter().find_map(|nominative| {
                    key.clear();
                    key.push_str(stem);
                    key.push_str(nominative);
                    kb.lookup_alias(&key).filter(|e| e.kind != EntryKind::Agreement)
                })
            });
            if let Some(entry) = entry {
                mentions.push(Mention { range, id: entry.id.clone(), kind: entry.kind });
            }
        }
    }
    mentions
}

/// `range` overlaps one of the sorted `mentions`.
fn covered(mentions: &[Mention], range: TextRange) -> bool {
    let i = mentions.partition_point(|m| m.range.end <= range.start);
    mentions.get(i).is_some_and(|m| m.range.start < range.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::{KnowledgeBase, parse_kb_file};

    fn kb() -> KnowledgeBase {
        let json = r#"{"entities": [
            {"id": "sergey-lavrov", "name": "Sergey Lavrov", "kind": "person", "aliases": ["Lavrov", "Лавров", "Lawrow"]},
            {"id": "dmytro-kuleba", "name": "Dmytro Kuleba", "kind": "person", "aliases": ["Kuleba", "Кулеба"]}
        ]}"#;
        KnowledgeBase::build(vec![parse_kb_file(std::sync::Arc::new("kb.json".into()), json)]).kb
    }

    fn found(text: &str, lang: Lang) -> Vec<(String, String)> {
        let kb = kb();
        let article = Article::parse(text);
        inflected_mentions(text, &article, lang, &kb, &[]).into_iter().map(|m| (m.range.slice(text).to_string(), m.id)).collect()
    }

    #[test]
    fn russian_and_ukrainian_cases_and_german_genitive_match_their_entity() {
        assert_eq!(
            found("По словам Лаврова, Лаврову было ясно.", Lang::Ru),
            [("Лаврова".into(), "sergey-lavrov".into()), ("Лаврову".into(), "sergey-lavrov".into())]
        );
        assert_eq!(found("За словами Кулеби, це так.", Lang::Uk), [("Кулеби".into(), "dmytro-kuleba".into())]);
        assert_eq!(found("Lawrows Sprecher widersprach.", Lang::De), [("Lawrows".into(), "sergey-lavrov".into())]);
        // Not in English or French, and never a stem under three letters.
        assert!(found("Lawrows Sprecher", Lang::En).is_empty());
    }
}
