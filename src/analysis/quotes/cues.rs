//! The speech-cue vocabulary: verbs and phrases that introduce or close a quote.

use std::collections::HashMap;

/// Configurable list of speech cues. Entries are matched case-insensitively as
/// whole words; a multi-word cue ("according to") is matched as a phrase.
#[derive(Clone, Debug)]
pub struct SpeechCues {
    verbs: Vec<String>,
    /// Verbs that name something rather than report speech: a quote after them is
    /// a scare quote ("what he called a “red line”").
    naming_verbs: Vec<String>,
    /// Built with the lists and shared by every analysis that uses them: building
    /// it per document cost a fifth of the analysis of a 5 KB article.
    index: std::sync::Arc<CueIndex>,
}

/// Lemmas and their inflections. Machine-rewritten news uses odd synonyms
/// ("instructed journalists", "mentioned", "defined"), so they are listed too.
const DEFAULT_SPEECH_VERBS: &[&str] = &[
    "say",
    "says",
    "said",
    "saying",
    "tell",
    "tells",
    "told",
    "telling",
    "add",
    "adds",
    "added",
    "adding",
    "warn",
    "warns",
    "warned",
    "warning",
    "stress",
    "stresses",
    "stressed",
    "stressing",
    "write",
    "writes",
    "wrote",
    "writing",
    "note",
    "notes",
    "noted",
    "noting",
    "state",
    "states",
    "stated",
    "stating",
    "explain",
    "explains",
    "explained",
    "explaining",
    "insist",
    "insists",
    "insisted",
    "insisting",
    "argue",
    "argues",
    "argued",
    "arguing",
    "ask",
    "asks",
    "asked",
    "asking",
    "reply",
    "replies",
    "replied",
    "replying",
    "declare",
    "declares",
    "declared",
    "declaring",
    "announce",
    "announces",
    "announced",
    "announcing",
    "acknowledge",
    "acknowledges",
    "acknowledged",
    "acknowledging",
    "admit",
    "admits",
    "admitted",
    "admitting",
    "claim",
    "claims",
    "claimed",
    "claiming",
    "complain",
    "complains",
    "complained",
    "complaining",
    "urge",
    "urges",
    "urged",
    "urging",
    "mention",
    "mentions",
    "mentioned",
    "mentioning",
    "instruct",
    "instructs",
    "instructed",
    "instructing",
    "define",
    "defines",
    "defined",
    "defining",
    "conclude",
    "concludes",
    "concluded",
    "concluding",
    "caution",
    "cautions",
    "cautioned",
    "cautioning",
    "reiterate",
    "reiterates",
    "reiterated",
    "reiterating",
    "emphasize",
    "emphasizes",
    "emphasized",
    "emphasizing",
    "emphasise",
    "emphasises",
    "emphasised",
    "emphasising",
    "recall",
    "recalls",
    "recalled",
    "recalling",
    "continue",
    "continues",
    "continued",
    "observe",
    "observes",
    "observed",
    "suggest",
    "suggests",
    "suggested",
    "suggesting",
    "comment",
    "comments",
    "commented",
    "remark",
    "remarks",
    "remarked",
    "respond",
    "responds",
    "responded",
    "allege",
    "alleges",
    "alleged",
    "concede",
    "concedes",
    "conceded",
    "echo",
    "echoes",
    "echoed",
    "criticize",
    "criticizes",
    "criticized",
    "criticizing",
    "criticise",
    "criticised",
    "request",
    "requests",
    "requested",
    "promise",
    "promises",
    "promised",
    "vow",
    "vows",
    "vowed",
    "predict",
    "predicts",
    "predicted",
    "assert",
    "asserts",
    "asserted",
    "contend",
    "contends",
    "contended",
    "maintain",
    "maintains",
    "maintained",
    "demand",
    "demands",
    "demanded",
    "describe",
    "describes",
    "described",
    "describing",
    "outline",
    "outlines",
    "outlined",
    "tweet",
    "tweets",
    "tweeted",
    "post",
    "posted",
    "quip",
    "quipped",
    "joke",
    "joked",
    "shout",
    "shouted",
    "cry",
    "cried",
    "agree",
    "agreed",
    "counter",
    "countered",
    "testify",
    "testified",
    "report",
    "reported",
    "deny",
    "denied",
    "confirm",
    "confirmed",
    "pledge",
    "pledged",
    "threaten",
    "threatened",
    "accuse",
    "accuses",
    "accused",
    "accusing",
    "praise",
    "praised",
    "praising",
    "condemn",
    "condemned",
    "condemning",
    "answer",
    "answered",
    "boast",
    "boasted",
    "lament",
    "lamented",
    "scoff",
    "scoffed",
    "recount",
    "recounted",
    "wonder",
    "wondered",
    "plead",
    "pleaded",
    "tout",
    "touted",
    "exclaim",
    "exclaimed",
    "proclaim",
    "proclaimed",
    "retort",
    "retorted",
    "snap",
    "snapped",
    "muse",
    "mused",
    "email",
    "emailed",
    "text",
    "texted",
    "recommend",
    "recommended",
    "blast",
    "blasted",
    "chant",
    "chanted",
    "read",
    "reads",
    "yell",
    "yelled",
    "yelling",
    "scream",
    "screamed",
    "elaborate",
    "elaborated",
    "advise",
    "advised",
    "cite",
    "cites",
    "cited",
    "point out",
    "points out",
    "pointed out",
    "ponder",
    "pondered",
    "interject",
    "interjected",
    "interrupt",
    "interrupted",
    "whisper",
    "whispered",
    "lecture",
    "lecturing",
    "chimed in",
    "thundered",
    "implored",
    "jokes",
    "joking",
    "boomed",
    "found",
    "written",
    "pledges",
    "pledging",
    "slam",
    "slams",
    "slammed",
    "slamming",
    "thank",
    "thanks",
    "thanked",
    "thinks",
    "thought",
    "believes",
    "believed",
    "shouting",
    "chanting",
    "talked about",
    "spoke of",
    "spoke about",
    "shot back",
    "fired back",
    "hit back",
    "wrote back",
    // Headline style: "NATO sees ‘room for progress’".
    "sees",
    "according to",
];

const DEFAULT_NAMING_VERBS: &[&str] = &[
    "call",
    "calls",
    "called",
    "calling",
    "dub",
    "dubs",
    "dubbed",
    "term",
    "termed",
    "labelled",
    "labeled",
    "so-called",
    "known as",
    "nicknamed",
    "titled",
    "entitled",
    "named",
];

impl Default for SpeechCues {
    fn default() -> SpeechCues {
        SpeechCues::new(
            DEFAULT_SPEECH_VERBS.iter().map(|s| s.to_string()).collect(),
            DEFAULT_NAMING_VERBS.iter().map(|s| s.to_string()).collect(),
        )
    }
}

impl SpeechCues {
    /// Adds the corpus's own cues to the defaults.
    pub fn extended(mut self, verbs: &[String], naming: &[String]) -> SpeechCues {
        self.verbs.extend(verbs.iter().map(|v| v.to_lowercase()));
        self.naming_verbs.extend(naming.iter().map(|v| v.to_lowercase()));
        SpeechCues::new(self.verbs, self.naming_verbs)
    }

    fn new(verbs: Vec<String>, naming_verbs: Vec<String>) -> SpeechCues {
        let index = std::sync::Arc::new(CueIndex { speech: index(&verbs), naming: index(&naming_verbs) });
        SpeechCues { verbs, naming_verbs, index }
    }

    /// The speech verbs (lemmas and inflections), lower case.
    pub fn verbs(&self) -> &[String] {
        &self.verbs
    }

    /// The cue lists indexed for lookup by first word.
    pub fn index(&self) -> &CueIndex {
        &self.index
    }

    /// Length in words of the cue starting at `words[i]`, if one does.
    pub fn speech_cue_at(&self, words: &[&str], i: usize) -> Option<usize> {
        cue_at(&self.verbs, words, i)
    }

    pub fn naming_cue_at(&self, words: &[&str], i: usize) -> Option<usize> {
        cue_at(&self.naming_verbs, words, i)
    }
}

/// The cue lists indexed by their first word, so that finding the cue at a word
/// costs one hash lookup rather than a scan of the lists. Built once with the
/// lists, in [`SpeechCues`].
#[derive(Debug)]
pub struct CueIndex {
    speech: HashMap<String, Vec<Vec<String>>>,
    naming: HashMap<String, Vec<Vec<String>>>,
}

impl CueIndex {
    /// Length in words of the speech cue starting at `words[i]`, if one does.
    pub fn speech_cue_at(&self, words: &[&str], i: usize) -> Option<usize> {
        indexed_cue_at(&self.speech, words, i)
    }

    /// Length in words of the naming cue ("called", "so-called") at `words[i]`.
    pub fn naming_cue_at(&self, words: &[&str], i: usize) -> Option<usize> {
        indexed_cue_at(&self.naming, words, i)
    }

    /// A speech or naming cue at `words[i]`.
    pub fn any_cue_at(&self, words: &[&str], i: usize) -> Option<usize> {
        self.speech_cue_at(words, i).or_else(|| self.naming_cue_at(words, i))
    }
}

fn index(list: &[String]) -> HashMap<String, Vec<Vec<String>>> {
    let mut map: HashMap<String, Vec<Vec<String>>> = HashMap::new();
    for cue in list {
        // "so-called" is one word for the word splitter only as "so" + "called".
        let parts: Vec<String> = cue.to_lowercase().split([' ', '-']).filter(|p| !p.is_empty()).map(str::to_string).collect();
        if let Some(first) = parts.first() {
            map.entry(first.clone()).or_default().push(parts);
        }
    }
    map
}

fn indexed_cue_at(map: &HashMap<String, Vec<Vec<String>>>, words: &[&str], i: usize) -> Option<usize> {
    let word = words[i];
    if word.chars().next().is_some_and(char::is_uppercase) && !word.eq_ignore_ascii_case("according") {
        return None;
    }
    // Most words are lower case already: look them up without allocating.
    let phrases = if word.chars().any(char::is_uppercase) { map.get(word.to_lowercase().as_str()) } else { map.get(word) }?;
    phrases
        .iter()
        .filter(|parts| parts.len() <= words.len() - i && parts.iter().zip(&words[i..]).all(|(p, w)| w.eq_ignore_ascii_case(p)))
        .map(Vec::len)
        .max()
}

fn cue_at(list: &[String], words: &[&str], i: usize) -> Option<usize> {
    // "the United States", "Post": a capitalised word is a name, not a verb.
    if words[i].chars().next().is_some_and(char::is_uppercase) && !words[i].eq_ignore_ascii_case("according") {
        return None;
    }
    list.iter()
        .filter_map(|cue| {
            let parts: Vec<&str> = cue.split(' ').collect();
            let fits = parts.len() <= words.len() - i && parts.iter().zip(&words[i..]).all(|(p, w)| w.eq_ignore_ascii_case(p));
            fits.then_some(parts.len())
        })
        .max()
}
