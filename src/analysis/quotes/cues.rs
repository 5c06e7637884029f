//! The speech-cue vocabulary: verbs and phrases that introduce or close a quote.

// Looked up for most words of every paragraph: Fx hashing, not SipHash (the
// keys are the cue lists, never attacker-chosen).
use rustc_hash::FxHashMap as HashMap;

use super::vocabulary::vocabulary;
use crate::article::Lang;

/// The speech cues of every language: each language's own verbs (from
/// [`super::vocabulary`]) plus the corpus's extra verbs, indexed once.
/// Entries are matched case-insensitively as whole words; a multi-word cue
/// ("according to") is matched as a phrase.
#[derive(Clone, Debug)]
pub struct SpeechCues {
    /// The corpus's extra speech and naming verbs for every language.
    extra: ExtraCues,
    /// And for one language.
    extra_by_lang: Vec<(Lang, ExtraCues)>,
    /// Built with the lists and shared by every analysis that uses them: building
    /// it per document cost a fifth of the analysis of a 5 KB article.
    indexes: std::sync::Arc<[CueIndex; 5]>,
}

/// Speech and naming verbs a corpus adds to the built-in lists.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExtraCues {
    /// Verbs and phrases that report speech ("opined").
    pub speech: Vec<String>,
    /// Verbs that name rather than report ("dubbed").
    pub naming: Vec<String>,
}

impl Default for SpeechCues {
    fn default() -> SpeechCues {
        SpeechCues::new(ExtraCues::default(), Vec::new())
    }
}

/// Two cue configurations are the same when their lists are: the index follows from them.
impl PartialEq for SpeechCues {
    fn eq(&self, other: &SpeechCues) -> bool {
        std::sync::Arc::ptr_eq(&self.indexes, &other.indexes) || (self.extra == other.extra && self.extra_by_lang == other.extra_by_lang)
    }
}

impl SpeechCues {
    /// Adds the corpus's own cues, for every language, to the defaults.
    pub fn extended(self, verbs: &[String], naming: &[String]) -> SpeechCues {
        self.extended_for(None, verbs, naming)
    }

    /// Adds the corpus's own cues for `lang` (every language when `None`).
    pub fn extended_for(mut self, lang: Option<Lang>, verbs: &[String], naming: &[String]) -> SpeechCues {
        let lowered = |list: &[String]| list.iter().map(|v| v.to_lowercase()).collect::<Vec<_>>();
        let target = match lang {
            None => &mut self.extra,
            Some(lang) => match self.extra_by_lang.iter().position(|(l, _)| *l == lang) {
                Some(i) => &mut self.extra_by_lang[i].1,
                None => {
                    self.extra_by_lang.push((lang, ExtraCues::default()));
                    &mut self.extra_by_lang.last_mut().expect("just pushed").1
                }
            },
        };
        target.speech.extend(lowered(verbs));
        target.naming.extend(lowered(naming));
        SpeechCues::new(self.extra, self.extra_by_lang)
    }

    fn new(extra: ExtraCues, extra_by_lang: Vec<(Lang, ExtraCues)>) -> SpeechCues {
        let build = |lang: Lang| {
            let vocabulary = vocabulary(lang);
            let mut speech: Vec<String> = vocabulary.speech_verbs.iter().map(|s| s.to_string()).collect();
            let mut naming: Vec<String> = vocabulary.naming_verbs.iter().map(|s| s.to_string()).collect();
            for extra in std::iter::once(&extra).chain(extra_by_lang.iter().filter(|(l, _)| *l == lang).map(|(_, e)| e)) {
                speech.extend(extra.speech.iter().cloned());
                naming.extend(extra.naming.iter().cloned());
            }
            CueIndex {
                speech: index(&speech),
                naming: index(&naming),
                capitalised: vocabulary.speaker_follows.iter().map(|s| s.to_string()).collect(),
                verbs: speech,
                vocabulary,
            }
        };
        let indexes = std::sync::Arc::new(Lang::ALL.map(build));
        SpeechCues { extra, extra_by_lang, indexes }
    }

    /// The speech verbs (lemmas and inflections) of English, lower case.
    pub fn verbs(&self) -> &[String] {
        self.index_for(Lang::En).verbs.as_slice()
    }

    /// The cue lists of English indexed for lookup by first word.
    pub fn index(&self) -> &CueIndex {
        self.index_for(Lang::En)
    }

    /// The cue lists of `lang` indexed for lookup by first word.
    pub fn index_for(&self, lang: Lang) -> &CueIndex {
        let i = Lang::ALL.iter().position(|&l| l == lang).expect("every language has an index");
        &self.indexes[i]
    }
}

/// The cue lists indexed by their first word, so that finding the cue at a word
/// costs one hash lookup rather than a scan of the lists. Built once with the
/// lists, in [`SpeechCues`].
#[derive(Debug)]
pub struct CueIndex {
    speech: HashMap<String, Vec<Vec<String>>>,
    naming: HashMap<String, Vec<Vec<String>>>,
    /// First words of cues that open a sentence capitalised ("According to",
    /// "Laut", "Selon", "По словам"): any other capitalised word is a name.
    capitalised: Vec<String>,
    /// The speech verbs the index was built from.
    verbs: Vec<String>,
    /// The word lists of the index's language.
    vocabulary: &'static super::vocabulary::Vocabulary,
}

impl CueIndex {
    /// The word lists of the language these cues are of.
    pub(crate) fn vocabulary(&self) -> &'static super::vocabulary::Vocabulary {
        self.vocabulary
    }

    /// Length in words of the speech cue starting at `words[i]`, if one does.
    pub fn speech_cue_at(&self, words: &[&str], i: usize) -> Option<usize> {
        indexed_cue_at(&self.speech, &self.capitalised, words, i)
    }

    /// Length in words of the naming cue ("called", "so-called") at `words[i]`.
    pub fn naming_cue_at(&self, words: &[&str], i: usize) -> Option<usize> {
        indexed_cue_at(&self.naming, &self.capitalised, words, i)
    }

    /// A speech or naming cue at `words[i]`.
    pub fn any_cue_at(&self, words: &[&str], i: usize) -> Option<usize> {
        self.speech_cue_at(words, i).or_else(|| self.naming_cue_at(words, i))
    }
}

fn index(list: &[String]) -> HashMap<String, Vec<Vec<String>>> {
    let mut map: HashMap<String, Vec<Vec<String>>> = HashMap::default();
    for cue in list {
        // "so-called" is one word for the word splitter only as "so" + "called".
        let parts: Vec<String> = cue.to_lowercase().split([' ', '-']).filter(|p| !p.is_empty()).map(str::to_string).collect();
        if let Some(first) = parts.first() {
            map.entry(first.clone()).or_default().push(parts);
        }
    }
    map
}

fn indexed_cue_at(map: &HashMap<String, Vec<Vec<String>>>, capitalised: &[String], words: &[&str], i: usize) -> Option<usize> {
    let word = words[i];
    if word.chars().next().is_some_and(char::is_uppercase)
        && !capitalised.iter().any(|c| word.chars().flat_map(char::to_lowercase).eq(c.chars()))
    {
        return None;
    }
    // Most words are lower case already: look them up without allocating.
    let phrases = if word.chars().any(char::is_uppercase) { map.get(word.to_lowercase().as_str()) } else { map.get(word) }?;
    phrases
        .iter()
        .filter(|parts| parts.len() <= words.len() - i && parts.iter().zip(&words[i..]).all(|(p, w)| same_word(w, p)))
        .map(Vec::len)
        .max()
}

/// `word` is the cue word `entry` (lower case), in any case; curly apostrophes
/// read as straight ones.
fn same_word(word: &str, entry: &str) -> bool {
    word.eq_ignore_ascii_case(entry) || (!word.is_ascii() && word.to_lowercase().replace('’', "'") == entry)
}
