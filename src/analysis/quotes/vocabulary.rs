//! The closed word lists attribution reads a sentence with: pronouns, function
//! words, determiners and the like. Open, corpus-specific vocabulary (speech
//! and naming verbs) lives in [`super::cues`] and is configurable.

pub(super) const PRONOUNS: &[&str] = &["he", "she", "they", "it", "we", "i"];
/// Relative pronouns: the speaker is the noun phrase they attach to.
pub(super) const RELATIVES: &[&str] = &["who", "which", "that"];
/// Words between a subject and its verb that do not change who speaks.
pub(super) const SKIPPED_BEFORE_VERB: &[&str] = &[
    "also",
    "then",
    "later",
    "again",
    "earlier",
    "has",
    "had",
    "have",
    "would",
    "will",
    "did",
    "does",
    "do",
    "could",
    "may",
    "might",
    "once",
    "however",
    "further",
    "already",
    "on",
    "in",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tonight",
    "last",
    "week",
    "month",
    "year",
    "this",
    "morning",
    "afternoon",
    "evening",
    "night",
    "though",
    "meanwhile",
    "both",
    "all",
    "not",
    "never",
    "often",
    "always",
    "even",
    "still",
    "just",
    "now",
    "soon",
    "first",
    "too",
    "well",
    "yet",
    "hadn't",
    "hasn't",
    "haven't",
    "didn't",
    "doesn't",
    "don't",
    "won't",
    "wouldn't",
    "isn't",
    "wasn't",
    "can't",
    "couldn't",
    "long",
    "since",
];
/// Function words that never head a speaker's noun phrase.
pub(super) const STOP_WORDS: &[&str] = &[
    "to", "that", "and", "but", "or", "nor", "of", "for", "with", "as", "at", "by", "from", "into", "than", "if", "because", "when",
    "while", "what", "where", "whether", "how", "why", "there", "here", "in", "on", "about", "after", "before", "over", "under", "is",
    "are", "was", "were", "be", "been", "being", "so", "not", "also", "then", "the", "a", "an", "this", "these", "those", "his", "her",
    "their", "its", "our", "my", "your", "some", "any", "no", "all", "more", "most", "very", "can", "would", "will", "should", "could",
    "may", "might", "must", "has", "have", "had", "do", "does", "did", "it's", "he's", "she's", "him", "them", "us", "me", "you", "said",
    "says", "told", "just", "again", "even", "still", "only", "which", "who",
];
/// Function words a speaker's noun phrase may hold ("the head of the party").
pub(super) const NOUN_PHRASE_LINKS: &[&str] =
    &["of", "in", "at", "for", "from", "with", "the", "a", "an", "his", "her", "their", "its", "our", "my", "your"];
pub(super) const DETERMINERS: &[&str] =
    &["the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "these", "those", "whose", "one", "two"];
/// Cue words that are as often nouns ("a request for", "the report"): cues only
/// right after a pronoun or a name ("he notes", "Trump tweets").
pub(super) const NOUN_LIKE_CUES: &[&str] = &[
    "report", "reports", "request", "requests", "comment", "comments", "remark", "remarks", "claim", "claims", "note", "notes", "demand",
    "demands", "promise", "promises", "answer", "text", "post", "email", "tweet", "tweets", "chant", "blast", "snap", "counter", "cry",
    "state", "states", "reply", "replies", "echo", "echoes", "praise", "vow", "vows", "joke", "quip", "recall", "recalls", "outline",
    "outlines", "read", "reads", "call", "calls", "term", "muse", "plead", "tout", "wonder", "boast", "lament", "retort", "accuse",
];
/// Words opening an introductory phrase that ends at the first comma
/// ("In his address to La Raza, Graham said").
pub(super) const INTRODUCERS: &[&str] = &[
    "in",
    "on",
    "at",
    "after",
    "before",
    "while",
    "when",
    "although",
    "though",
    "as",
    "during",
    "since",
    "despite",
    "with",
    "without",
    "under",
    "for",
    "by",
    "from",
    "if",
    "because",
    "speaking",
    "asked",
    "following",
    "earlier",
    "later",
    "last",
    "instead",
    "still",
    "yet",
    "meanwhile",
    "however",
    "separately",
    "indeed",
    "then",
    "now",
    "but",
    "and",
    "so",
    "also",
];
pub(super) const BE_AUXILIARIES: &[&str] = &["was", "were", "is", "are", "be", "been", "being"];
/// Cues that report speech right after a quote ("“…,” he continued") or right
/// before a comma or colon ("He continued, “…”"); elsewhere "continue" is an
/// ordinary verb ("will continue to be").
pub(super) const AFTER_QUOTE_ONLY: &[&str] = &["continue", "continues", "continued", "read", "reads"];
/// Words a headline leaves in lower case ("Cruz Has ‘To Come a Long Way’ on Ethanol").
pub(super) const HEADLINE_SMALL_WORDS: &[&str] =
    &["a", "an", "the", "and", "or", "nor", "but", "of", "in", "on", "at", "to", "for", "with", "by", "from", "as", "is", "vs"];
