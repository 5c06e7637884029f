//! Capitalised multi-word names that look like people, organizations or
//! agreements but are missing from the knowledge base.

use super::{Mention, QuoteSpan};
use crate::article::{Article, Lang};
use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::kb::EntryKind;
use crate::text::{TextMove, TextRange};

/// A capitalised name in an article that no KB name or alias matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownEntity {
    /// Its bytes.
    pub range: TextRange,
    /// The name as written.
    pub name: String,
    /// The kind the name's shape suggests; the editor offers all kinds, this first.
    pub likely_kind: EntryKind,
}

impl UnknownEntity {
    /// The `unknown-entity` information it is reported as.
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::information(
            DiagnosticCode::UnknownEntity,
            self.range,
            format!("\"{}\" looks like a {} but is not in the knowledge base", self.name, self.likely_kind.as_str()),
        )
    }
}

/// Membership in a word list by hash: the lists are long and asked about for
/// every capitalised word of every paragraph.
struct WordSet(std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>>);

impl WordSet {
    fn contains(&self, word: &str) -> bool {
        self.0.contains(word)
    }
}

macro_rules! word_set {
    ($list:expr) => {
        WordSet(std::sync::LazyLock::new(|| $list.iter().copied().collect()))
    };
}

// With the days and months of `kb/names.rs` (one list for both).
static NOT_NAME: WordSet =
    WordSet(std::sync::LazyLock::new(|| NOT_NAMES.iter().chain(crate::kb::names::CALENDAR_WORDS).copied().collect()));
// One list with `kb suggest`'s kind guess (`kb/names.rs`).
static AGREEMENT_HEAD: WordSet = word_set!(crate::kb::names::AGREEMENT_HEADS);
static ORGANIZATION_WORD: WordSet = word_set!(ORGANIZATION_WORDS);

/// Words that may join the parts of a name ("Organization for Security and Co-operation in Europe").
const CONNECTORS: &[&str] = &["of", "for", "and", "in", "on", "the", "de", "von", "van", "bin", "al"];
/// Titles, demonyms and other capitalised words that make a run look like a name
/// without being one on their own; the days and months come from
/// `kb::names::CALENDAR_WORDS` (which leaves out "May", a surname: it is here).
const NOT_NAMES: &[&str] = &[
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "As",
    "But",
    "And",
    "Or",
    "If",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "This",
    "That",
    "These",
    "Those",
    "Our",
    "His",
    "Her",
    "Their",
    "Its",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "President",
    "Minister",
    "Foreign",
    "Defense",
    "Defence",
    "Deputy",
    "Secretary",
    "State",
    "Prime",
    "Chancellor",
    "Spokesman",
    "Spokesperson",
    "Russian",
    "Ukrainian",
    "American",
    "European",
    "Western",
    "Eastern",
    "Soviet",
    "US",
    "U.S.",
    "May",
    "Dec",
    "Jan",
    "Feb",
    "Nov",
    "Oct",
    "Read",
    "More",
    "Join",
    "FREE",
    "Exit",
    "Reporting",
    "Editing",
    "Comments",
    "Our",
    "First",
    "Second",
    "Last",
    "Next",
    "Speaking",
    "According",
    "Although",
    "Despite",
    "Meanwhile",
    "During",
    "Last",
    "Earlier",
    "Later",
    "Security",
    "Cooperation",
    "Europe",
    "Ministry",
    "General",
    "Chief",
    "Council",
    "Federation",
    // Role nouns that open a sentence before a name ("Analyst Tatiana ...").
    "Analyst",
    "Expert",
    "Professor",
    "Prof",
    "Senator",
    "Sen",
    "Rep",
    "Governor",
    "Gov",
    "Gen",
    "Colonel",
    "Col",
    "Lt",
    "Sgt",
    "Ambassador",
    "Spokeswoman",
    "Official",
    "Officials",
    "Leader",
    "Chairman",
    "Chairwoman",
    "Director",
    "Editor",
    "Reporter",
    "Correspondent",
    "Commander",
    "King",
    "Queen",
    "Pope",
    "Mayor",
    "Judge",
    "Lawyer",
    "Activist",
    "Author",
    "Writer",
];
const ORGANIZATION_WORDS: &[&str] = &[
    "Organization",
    "Organisation",
    "Council",
    "Ministry",
    "Agency",
    "Committee",
    "Union",
    "Party",
    "Association",
    "Institute",
    "News",
    "Times",
    "Post",
    "Bank",
    "Fund",
    "Group",
    "Corporation",
    "Company",
    "Commission",
    "Parliament",
    "Assembly",
    "Department",
    "Office",
    "University",
    "Reuters",
    "Press",
    "Service",
    "Forces",
    "Army",
    "Navy",
    "Alliance",
    "Format",
];

/// The unknown names of an article, given its KB mentions and quotations, in
/// the article's language `lang`.
pub fn find_unknown_entities(text: &str, article: &Article, mentions: &[Mention], quotes: &[QuoteSpan], lang: Lang) -> Vec<UnknownEntity> {
    find_unknown_entities_reusing(text, article, mentions, quotes, lang, None)
}

/// German capitalises every noun, so a preposition between two capitalised
/// words joins a noun and its place ("Journalisten in Moskau"), not the parts
/// of one name; only an institution's name runs over one ("Organisation für
/// Sicherheit und Zusammenarbeit in Europa"). Other languages capitalise names only.
fn splits_a_german_run(lang: Lang, word: &str) -> bool {
    lang == Lang::De && GERMAN_PREPOSITIONS.contains(&word)
}

/// German prepositions that never join two names ([`splits_a_german_run`]).
const GERMAN_PREPOSITIONS: &[&str] =
    &["in", "im", "an", "am", "auf", "aus", "bei", "nach", "mit", "für", "gegen", "über", "vor", "zu", "zum", "zur"];

/// The unknown names of the previous analysis, and for each paragraph the
/// previous paragraph with the same text, KB mentions and quotation parts.
pub(crate) struct PreviousUnknown<'a> {
    pub same_paragraphs: &'a [Option<usize>],
    pub article: &'a Article,
    pub found: &'a [UnknownEntity],
}

pub(crate) fn find_unknown_entities_reusing(
    text: &str,
    article: &Article,
    mentions: &[Mention],
    quotes: &[QuoteSpan],
    lang: Lang,
    previous: Option<PreviousUnknown<'_>>,
) -> Vec<UnknownEntity> {
    let mut found = Vec::new();
    for (p, paragraph) in article.paragraphs.iter().enumerate() {
        // A paragraph's names depend on its words, mentions and quotes alone.
        if let Some(previous) = &previous
            && let Some(old) = previous.same_paragraphs.get(p).copied().flatten()
        {
            let old_range = previous.article.paragraphs[old].range;
            let first = previous.found.partition_point(|u| u.range.start < old_range.start);
            let last = previous.found.partition_point(|u| u.range.start < old_range.end);
            let forward = TextMove { from: old_range.start, to: paragraph.range.start };
            found.extend(previous.found[first..last].iter().map(|u| UnknownEntity { range: forward.apply(u.range), ..u.clone() }));
            continue;
        }
        let ws = article.words(text, paragraph.range);
        let mut i = 0;
        while i < ws.len() {
            if !is_capitalised(ws[i].1) {
                i += 1;
                continue;
            }
            // Extend over capitalised words and connectors, on one line, with no
            // punctuation other than spaces or hyphens between them.
            let mut j = i + 1;
            let mut last_capital = i;
            while j < ws.len() {
                let gap = &text[ws[j - 1].0.end..ws[j].0.start];
                if !(gap == " " || gap == "-") {
                    break;
                }
                // The second half of a hyphenated word belongs to the first
                // ("Co-operation").
                if is_capitalised(ws[j].1) || (gap == "-" && last_capital == j - 1) {
                    last_capital = j;
                } else if !CONNECTORS.contains(&ws[j].1) {
                    break;
                }
                j += 1;
            }
            let whole = &ws[i..=last_capital];
            i = last_capital + 1;
            // "and" joins the words of an institution's name ("Organization for
            // Security and Co-operation in Europe") but separates two people
            // ("from London and Anna Chernova").
            let institution = whole.iter().any(|w| ORGANIZATION_WORD.contains(w.1) || AGREEMENT_HEAD.contains(w.1));
            let parts: Vec<&[(TextRange, &str)]> =
                if institution { vec![whole] } else { whole.split(|w| w.1 == "and" || splits_a_german_run(lang, w.1)).collect() };
            for run in parts.into_iter().filter(|p| !p.is_empty()) {
                let meaningful: Vec<&str> = run.iter().map(|w| w.1).filter(|w| is_capitalised(w) && !NOT_NAME.contains(w)).collect();
                if meaningful.len() < 2
                    && !(meaningful.len() == 1 && run.last().is_some_and(|w| AGREEMENT_HEAD.contains(w.1)) && run.len() >= 2)
                {
                    continue;
                }
                // Trim leading title words so "Ukrainian President Olesia X" reports the name.
                let first = run.iter().position(|w| !NOT_NAME.contains(w.1) || AGREEMENT_HEAD.contains(w.1)).unwrap_or(0);
                let range = TextRange::new(run[first].0.start, run.last().unwrap().0.end);
                if overlaps_any(mentions, |m| m.range, range) || overlaps_any(quotes, |q| q.range, range) {
                    continue;
                }
                let name = range.slice(text).to_string();
                let likely_kind = likely_kind(&name);
                found.push(UnknownEntity { range, name, likely_kind });
            }
        }
    }
    found
}

/// Whether any of `items` (sorted by start, not overlapping each other) overlaps
/// `range`, by binary search: the analysis of a long document stays linear.
fn overlaps_any<T>(items: &[T], range_of: impl Fn(&T) -> TextRange, range: TextRange) -> bool {
    let first_ending_after = items.partition_point(|item| range_of(item).end <= range.start);
    items.get(first_ending_after).is_some_and(|item| range_of(item).overlaps(range))
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn likely_kind(name: &str) -> EntryKind {
    let words: Vec<&str> = name.split([' ', '-']).collect();
    if words.last().is_some_and(|w| AGREEMENT_HEAD.contains(w)) {
        EntryKind::Agreement
    } else if words.iter().any(|w| ORGANIZATION_WORD.contains(w))
        || name.chars().filter(|c| c.is_uppercase()).count() == name.chars().filter(|c| c.is_alphabetic()).count()
    {
        EntryKind::Organization
    } else {
        EntryKind::Person
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{AnalysisConfig, analyze};
    use crate::kb::KnowledgeBase;

    fn unknown(text: &str) -> Vec<String> {
        analyze(text, &KnowledgeBase::default(), &AnalysisConfig::default()).unknown_entities.into_iter().map(|u| u.name).collect()
    }

    /// German nouns are capitalised: "Journalisten in Moskau" was an unknown name (issue 19).
    #[test]
    fn regression_german_noun_and_its_place_are_no_name() {
        assert!(unknown("lang de\n\nDas sagten Journalisten in Moskau am Montag.").is_empty());
        assert_eq!(unknown("lang de\n\nDas sagte Olaf Scholz in Berlin."), ["Olaf Scholz"]);
    }

    #[test]
    fn regression_and_separates_two_people_but_joins_an_institution() {
        assert_eq!(unknown("Niamh Kennedy reported from London and Anna Chernova from Moscow."), ["Niamh Kennedy", "Anna Chernova"]);
        assert_eq!(
            unknown("He spoke at the Organization for Security and Co-operation in Europe today."),
            ["Organization for Security and Co-operation in Europe"]
        );
    }
}
