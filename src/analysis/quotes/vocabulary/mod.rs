//! The word lists quotation analysis reads text with, one module per language:
//! speech and naming verbs, pronouns, function words, determiners and the like.
//! Every list of a language lives in its module and nowhere else; [`Vocabulary`]
//! gathers them so that a rule asks `vocabulary.pronouns`, whatever the language.
//! A corpus adds its own verbs in `marginalia.toml` (`[quotes]` for every
//! language, `[quotes.de]` and the like for one).

pub(crate) mod de;
mod en;
mod fr;
mod ru;
mod uk;

use crate::article::Lang;

/// The word lists of one language (lower case; straight apostrophes).
#[derive(Debug)]
pub(crate) struct Vocabulary {
    pub lang: Lang,
    /// Personal pronouns that may stand for a speaker.
    pub pronouns: &'static [&'static str],
    /// Relative pronouns: the speaker is the noun phrase they attach to.
    pub relatives: &'static [&'static str],
    /// Words between a subject and its verb that do not change who speaks.
    pub skipped_before_verb: &'static [&'static str],
    /// Function words that never head a speaker's noun phrase.
    pub stop_words: &'static [&'static str],
    /// Quantifiers that head a speaker although they are stop words.
    pub quantifiers: &'static [&'static str],
    /// Sentence openers that are no subject.
    pub no_subject_openers: &'static [&'static str],
    /// Function words a speaker's noun phrase may hold ("the head of the party").
    pub noun_phrase_links: &'static [&'static str],
    /// Determiners.
    pub determiners: &'static [&'static str],
    /// Cue words that are as often nouns: cues only right after a pronoun or a name.
    pub noun_like_cues: &'static [&'static str],
    /// Words opening an introductory phrase that ends at the first comma.
    pub introducers: &'static [&'static str],
    /// Auxiliaries of the passive ("was quoted as saying").
    pub be_auxiliaries: &'static [&'static str],
    /// Cues that report speech only right after a quote or before a comma or colon.
    pub after_quote_only: &'static [&'static str],
    /// Words a headline leaves in lower case.
    pub headline_small_words: &'static [&'static str],
    /// Possessive determiners: the possessor of a speech noun.
    pub possessive_pronouns: &'static [&'static str],
    /// Nouns naming a speech act, whose possessor is the speaker.
    pub speech_nouns: &'static [&'static str],
    /// Weekdays, never a speaker.
    pub weekdays: &'static [&'static str],
    /// Speech verbs and phrases, every inflection spelled out.
    pub speech_verbs: &'static [&'static str],
    /// Verbs that name rather than report speech.
    pub naming_verbs: &'static [&'static str],
    /// First words of cues after which the speaker follows ("according to X").
    pub speaker_follows: &'static [&'static str],
    /// Cues after which the listener, not the speaker, follows ("told Radio Nord").
    pub tell_forms: &'static [&'static str],
    /// Plural pronouns: their antecedent is no single person.
    pub plural_pronouns: &'static [&'static str],
    /// Pronouns that stand for an organisation.
    pub neuter_pronouns: &'static [&'static str],
    /// Words opening a leading subordinate clause. Read by no rule for now: the
    /// main-clause check that read it never saw the clause (it looked at the
    /// text before the start of the words it filtered), so it was removed.
    #[allow(dead_code)]
    pub subordinators: &'static [&'static str],
    /// Conjunctions opening quoted speech that tells of speech ("And she said").
    pub speech_opening_conjunctions: &'static [&'static str],
    /// Words before a verb that takes the sentence's subject ("and said", "to announce").
    pub coordinators: &'static [&'static str],
    /// Words whose mood marks a sentence as reported speech (German Konjunktiv I).
    pub reported_speech_markers: &'static [&'static str],
    // The lists below are English in every language for now (see the end of `en.rs`).
    /// Articles, skipped between a cue and its quote ("called it a “mess”").
    pub articles: &'static [&'static str],
    /// Verbs after a quoted term that is the subject of its sentence ("“Gridlock” is").
    pub term_verbs: &'static [&'static str],
    /// Lower-case words after a quote that are no noun it could modify.
    pub not_nouns: &'static [&'static str],
    /// Nouns for works, shows and media that a title follows ("the film “Trainwreck”").
    pub work_nouns: &'static [&'static str],
    /// Small words a title leaves in lower case ("The Art of the Deal").
    pub title_small_words: &'static [&'static str],
    /// Nouns and verbs of chanting before chanted words ("to chants of “…”").
    pub chant_words: &'static [&'static str],
    /// Determiners before a phrase describing the speaker's noun ("the “Avatar” star").
    pub description_determiners: &'static [&'static str],
    /// Words whose "’s" is "is", not a possessive ("he's saying").
    pub contracted_is_subjects: &'static [&'static str],
    /// Pronouns that speak when contracted with an auxiliary ("He’s predicting").
    pub contracted_pronouns: &'static [&'static str],
    /// Introducers the subject follows straight, with no comma ("And Trump said").
    pub connectives: &'static [&'static str],
    /// Titles and other abbreviations that end in a period but not a sentence ("Mr.").
    pub abbreviations: &'static [&'static str],
}

macro_rules! vocabulary_of {
    ($lang:expr, $m:ident) => {
        Vocabulary {
            lang: $lang,
            pronouns: $m::PRONOUNS,
            relatives: $m::RELATIVES,
            skipped_before_verb: $m::SKIPPED_BEFORE_VERB,
            stop_words: $m::STOP_WORDS,
            quantifiers: $m::QUANTIFIERS,
            no_subject_openers: $m::NO_SUBJECT_OPENERS,
            noun_phrase_links: $m::NOUN_PHRASE_LINKS,
            determiners: $m::DETERMINERS,
            noun_like_cues: $m::NOUN_LIKE_CUES,
            introducers: $m::INTRODUCERS,
            be_auxiliaries: $m::BE_AUXILIARIES,
            after_quote_only: $m::AFTER_QUOTE_ONLY,
            headline_small_words: $m::HEADLINE_SMALL_WORDS,
            possessive_pronouns: $m::POSSESSIVE_PRONOUNS,
            speech_nouns: $m::SPEECH_NOUNS,
            weekdays: $m::WEEKDAYS,
            speech_verbs: $m::SPEECH_VERBS,
            naming_verbs: $m::NAMING_VERBS,
            speaker_follows: $m::SPEAKER_FOLLOWS,
            tell_forms: $m::TELL_FORMS,
            plural_pronouns: $m::PLURAL_PRONOUNS,
            neuter_pronouns: $m::NEUTER_PRONOUNS,
            subordinators: $m::SUBORDINATORS,
            speech_opening_conjunctions: $m::SPEECH_OPENING_CONJUNCTIONS,
            coordinators: $m::COORDINATORS,
            reported_speech_markers: $m::REPORTED_SPEECH_MARKERS,
            // English in every language until a language has its own.
            articles: en::ARTICLES,
            term_verbs: en::TERM_VERBS,
            not_nouns: en::NOT_NOUNS,
            work_nouns: en::WORK_NOUNS,
            title_small_words: en::HEADLINE_SMALL_WORDS,
            chant_words: en::CHANT_WORDS,
            description_determiners: en::DESCRIPTION_DETERMINERS,
            contracted_is_subjects: en::CONTRACTED_IS_SUBJECTS,
            contracted_pronouns: en::CONTRACTED_PRONOUNS,
            connectives: en::CONNECTIVES,
            abbreviations: en::ABBREVIATIONS,
        }
    };
}

static ENGLISH: Vocabulary = vocabulary_of!(Lang::En, en);
static GERMAN: Vocabulary = vocabulary_of!(Lang::De, de);
static FRENCH: Vocabulary = vocabulary_of!(Lang::Fr, fr);
static RUSSIAN: Vocabulary = vocabulary_of!(Lang::Ru, ru);
static UKRAINIAN: Vocabulary = vocabulary_of!(Lang::Uk, uk);

/// The word lists of `lang`.
pub(crate) fn vocabulary(lang: Lang) -> &'static Vocabulary {
    match lang {
        Lang::En => &ENGLISH,
        Lang::De => &GERMAN,
        Lang::Fr => &FRENCH,
        Lang::Ru => &RUSSIAN,
        Lang::Uk => &UKRAINIAN,
    }
}

#[cfg(test)]
impl Vocabulary {
    fn lists(&self) -> Vec<(&'static str, &'static [&'static str])> {
        vec![
            ("pronouns", self.pronouns),
            ("relatives", self.relatives),
            ("skipped_before_verb", self.skipped_before_verb),
            ("stop_words", self.stop_words),
            ("quantifiers", self.quantifiers),
            ("no_subject_openers", self.no_subject_openers),
            ("noun_phrase_links", self.noun_phrase_links),
            ("determiners", self.determiners),
            ("noun_like_cues", self.noun_like_cues),
            ("introducers", self.introducers),
            ("be_auxiliaries", self.be_auxiliaries),
            ("after_quote_only", self.after_quote_only),
            ("headline_small_words", self.headline_small_words),
            ("possessive_pronouns", self.possessive_pronouns),
            ("speech_nouns", self.speech_nouns),
            ("weekdays", self.weekdays),
            ("speech_verbs", self.speech_verbs),
            ("naming_verbs", self.naming_verbs),
            ("speaker_follows", self.speaker_follows),
            ("tell_forms", self.tell_forms),
            ("plural_pronouns", self.plural_pronouns),
            ("neuter_pronouns", self.neuter_pronouns),
            ("subordinators", self.subordinators),
            ("speech_opening_conjunctions", self.speech_opening_conjunctions),
            ("coordinators", self.coordinators),
            ("reported_speech_markers", self.reported_speech_markers),
            ("articles", self.articles),
            ("term_verbs", self.term_verbs),
            ("not_nouns", self.not_nouns),
            ("work_nouns", self.work_nouns),
            ("title_small_words", self.title_small_words),
            ("chant_words", self.chant_words),
            ("description_determiners", self.description_determiners),
            ("contracted_is_subjects", self.contracted_is_subjects),
            ("contracted_pronouns", self.contracted_pronouns),
            ("connectives", self.connectives),
            ("abbreviations", self.abbreviations),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every list is lower case and holds each entry once (a duplicate hides
    /// which of two edits was meant).
    #[test]
    fn every_list_is_unique_and_lower_case() {
        for lang in Lang::ALL {
            for (name, list) in vocabulary(lang).lists() {
                let mut seen = std::collections::HashSet::new();
                for entry in list {
                    assert_eq!(*entry, entry.to_lowercase(), "{}: {name}: {entry} is not lower case", lang.code());
                    assert!(seen.insert(entry), "{}: {name}: {entry} is listed twice", lang.code());
                }
            }
        }
    }
}
