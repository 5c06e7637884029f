//! The names of the quotation rules: which rule decided a quote's kind
//! ([`KindRule`]) and which found its speaker ([`AttributionRule`]). A quote
//! carries both; hovers show them and the fixtures of `tests/it/quotes.rs` assert
//! them (`via=colon-introduces`, `kind-rule=subject-term`), so a fixture proves
//! that its rule, and not another, fired.
//!
//! Each rule is one entry of an ordered list (`kind::RULES`,
//! `attribution::cue_rules::RULES`) or is checked where it applies; all of them
//! ask [`enabled`] first, so that a test can run the fixtures with one rule
//! switched off ([`without_rule`]) and see a fixture fail: the proof that the
//! rule is needed (`every_rule_is_proven_by_a_fixture` in `tests/it/quotes.rs`).

use std::cell::Cell;

/// Defines a rule enum with its kebab-case names, `ALL` and `name`/`from_name`.
macro_rules! rule_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            /// Every rule, in the order the enum lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The rule's name in fixtures and hovers (`colon-introduces`).
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            /// The rule named `name` ([`Self::name`]), if there is one.
            pub fn from_name(name: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|rule| rule.name() == name)
            }
        }
    };
}

rule_enum! {
    /// The rule that found a quote's speaker, under the broader
    /// [`super::AttributionVia`]. Cue rules (via a cue) are tried in the order of
    /// `attribution::cue_rules::RULES`; the others after them, in the order of
    /// `attribution::attribute_speakers`.
    AttributionRule {
        /// “…,” Lavrov said / said Lavrov / Flynn, a Trump surrogate, said.
        CueAfter => "cue-after",
        /// « … », a-t-il précisé: the French subject pronoun glued to its verb.
        HyphenatedPronoun => "hyphenated-pronoun",
        /// Lavrov warned that … “…” / he added: “…” / according to X, “…”.
        CueBefore => "cue-before",
        /// Pollsters agree - Carl Bialik: “…”: a name standing alone before a colon.
        NameBeforeColon => "name-before-colon",
        /// Kaine has adopted the stance: “…”: a colon with no cue introduces the
        /// words of the sentence's subject.
        ColonIntroduces => "colon-introduces",
        /// Am Montag äußerte sich Vatikansprecher Navarro-Valls: „…“: German puts
        /// the subject after the verb when an adverbial opens the sentence.
        VerbSecondSubject => "verb-second-subject",
        /// “…?” Beck questioned.: a name and a past-tense verb not in the cue
        /// lists, right after an interrupted quote.
        UnlistedVerbAfter => "unlisted-verb-after",
        /// … “lasting relief” to farmers, the ministry says.: a report closing the
        /// sentence after a comma covers its quotes.
        ClosingReport => "closing-report",
        /// He stated, “a,” “b”.: a cue before an earlier quote of the sentence.
        CueBeforeEarlierQuote => "cue-before-earlier-quote",
        /// Lavrov Calls Sanctions ‘Economic War’: a cue in a headline, whatever its case.
        HeadlineCue => "headline-cue",
        /// his warning that … “…”: the possessor of a speech noun speaks.
        PossessedSpeechNoun => "possessed-speech-noun",
        /// Okafor: Budget talks are ‘going nowhere’: a name and a colon open the line.
        LineLabel => "line-label",
        /// “…budgets.⏎Dean Baker, Center for Policy Research.”: a pull quote's byline.
        Byline => "byline",
        /// “Be yourself.” ― Pamela Padilla: a dash and a name close the quote's line.
        DashByline => "dash-byline",
        /// “…,” he said, “…”: another part of the same utterance has a cue.
        OtherPartOfUtterance => "other-part-of-utterance",
        /// He said: “…”. ¶ “…”: the speaker (of a quote or a speech report) before
        /// a quote that opens its sentence, or the previous paragraph's.
        SpeakerBefore => "speaker-before",
        /// He then listed the qualities: ¶ “…”: a cue ending the paragraph before
        /// with a colon.
        ColonParagraphBefore => "colon-paragraph-before",
        /// Damit seien „…“: a German sentence in the subjunctive reports the
        /// speaker before it.
        ReportedSpeech => "reported-speech",
        /// a “liar” who was not “serious”: a later quote of a sentence whose
        /// earlier quote has a speaker.
        EarlierQuoteOfSentence => "earlier-quote-of-sentence",
    }
}

rule_enum! {
    /// The rule that decided a quote's kind, in the order of `kind::RULES`
    /// ([`KindRule::InsideReport`] when none applied).
    KindRule {
        /// — Мы ждём ответа.: a line of dialogue opened by a dash is direct.
        DialogueLine => "dialogue-line",
        /// die Nachrichtenagentur „Xinhua“: a German short capitalised quote after a
        /// noun, article or preposition, or a longer one nobody speaks, is a name
        /// or title (scare).
        GermanTitleOrName => "german-title-or-name",
        /// ''Pau'': a label opening a German interview line (scare).
        GermanInterviewLabel => "german-interview-label",
        /// for “R,” or “D,”: a lone letter is a label (scare).
        LoneLetter => "lone-letter",
        /// a group called the “X”: a short phrase nobody is said to speak (scare).
        UnspokenPhrase => "unspoken-phrase",
        /// the “Avatar” star posted: a short phrase between a determiner and its
        /// speaker's noun is part of the speaker's description (scare).
        ModifiesItsSpeaker => "modifies-its-speaker",
        /// 'A plan that works.' alone on its line: a subhead, pull quote or label (scare).
        PullQuote => "pull-quote",
        /// “Gridlock” is the mood of the week: a term as the subject of its sentence (scare).
        SubjectTerm => "subject-term",
        /// “Opening Belle,” which will be in bookstores: a title with a relative
        /// clause after it (scare).
        DescribedTitle => "described-title",
        /// his book “The Art of the Deal”: a title in the middle of a sentence (scare).
        TitleInSentence => "title-in-sentence",
        /// “Good Morning America” host: a title modifying the noun after it (scare).
        TitleAsModifier => "title-as-modifier",
        /// the film “Trainwreck”, NBC’s “Today”: one capitalised word after a work
        /// noun or a capitalised possessive (scare).
        WorkTitle => "work-title",
        /// “We want peace,” Lavrov said.: the quote opens its sentence (direct).
        OpensSentence => "opens-sentence",
        /// He added: “…” / He said, “…”: after a colon or a cue's comma (direct).
        AfterColonOrCue => "after-colon-or-cue",
        /// … that “The talks have failed.”: a capitalised quote of more than four
        /// words that ends like a sentence (direct).
        WholeSentence => "whole-sentence",
        /// warned that NATO would affect the “fundamental interests” of Russia:
        /// quoted words inside a reported sentence (partial); no rule applied.
        InsideReport => "inside-report",
        /// A manual annotation set the kind.
        Annotation => "annotation",
    }
}

/// Any named rule, as [`without_rule`] takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    /// A rule that finds a speaker.
    Attribution(AttributionRule),
    /// A rule that decides a kind.
    Kind(KindRule),
}

impl From<AttributionRule> for Rule {
    fn from(rule: AttributionRule) -> Rule {
        Rule::Attribution(rule)
    }
}

impl From<KindRule> for Rule {
    fn from(rule: KindRule) -> Rule {
        Rule::Kind(rule)
    }
}

thread_local! {
    /// The rule [`without_rule`] switched off on this thread, if any.
    static DISABLED: Cell<Option<Rule>> = const { Cell::new(None) };
}

/// Runs `f` with `rule` switched off on this thread: the check that every rule
/// has a fixture that fails without it. Not for production use.
#[doc(hidden)]
pub fn without_rule<R>(rule: impl Into<Rule>, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Rule>);
    impl Drop for Restore {
        fn drop(&mut self) {
            DISABLED.with(|d| d.set(self.0));
        }
    }
    let _restore = Restore(DISABLED.with(|d| d.replace(Some(rule.into()))));
    f()
}

/// `rule` may apply: it is not switched off by [`without_rule`].
pub(crate) fn enabled(rule: impl Into<Rule>) -> bool {
    let rule = rule.into();
    DISABLED.with(|d| d.get() != Some(rule))
}
