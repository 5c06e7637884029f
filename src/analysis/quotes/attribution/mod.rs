//! Finding who spoke each quotation.
//!
//! In order of trust:
//! 1. a speech cue in the quote's own sentence: after an interrupted or closing
//!    quote ("…,” Lavrov said / said Lavrov / Flynn, a Trump surrogate, said /
//!    “…?” Beck questioned), or before it (Lavrov warned that … “…” / he added:
//!    “…” / according to X / Carl Bialik: “…”). Before a quote the outermost
//!    report of the sentence wins ("the chief outlined areas where NATO sees
//!    “…”" is the chief's), as in PolNeAR, except for a naming verb or a
//!    participle with its own subject right before the quote ("what he called
//!    “…”", "with Lavrov saying “…”");
//!    When the nearest cue before a quote names nobody ("so-called"), an
//!    earlier report of the main clause may ("Okafor is celebrating a win in
//!    the so-called “…”"). Failing that: a report closing the sentence after
//!    a comma ("… “…” to farmers, the ministry says." / ", said Anna Berg, a
//!    farm economist." / ", according to her memoir."), a headline's cue,
//!    whatever its case ("Lavrov: NATO Has ‘Gone Too Far’", "Peskov Calls
//!    Sanctions ‘Economic War’"), the possessor of a speech noun ("his warning
//!    that … “…”"), or a name and a colon opening the line, whatever the case
//!    after it ("Okafor: Budget talks are ‘going nowhere’", transcripts), or a
//!    pull quote's byline inside its closing mark ("“…budgets.⏎Dean Baker,
//!    Center for Policy Research.”");
//! 2. another part of the same utterance that has such a cue, or an earlier
//!    attributed quote of the same sentence ("a “liar” who was not “serious”");
//! 3. for a quote that opens its sentence: the speaker of the quote or speech
//!    report just before it in the paragraph;
//! 4. for a quote that opens its paragraph: the last speaker of the previous
//!    paragraph (a quote continuing over paragraphs, or "He said: ¶ “…”").
//!
//! Per language (the word lists are the article's language's, see `vocabulary/`):
//! a verb before its subject after a quote ("„…“, sagte der Sprecher",
//! "«…», — заявил в среду Лавров", with a short adverbial skipped), the French
//! hyphenated pronoun ("« … », a-t-il précisé"), the German verb-second order
//! after an opening adverbial ("Am Montag äußerte sich Navarro-Valls: „…“"),
//! a dash byline after a quote ("“…” ― Pamela Padilla"), and German reported
//! speech in the subjunctive, whose quotes belong to the speaker before it
//! ("Damit seien „…“").
//!
//! The cue rules of step 1 are the ordered list `cue_rules::RULES`, each named
//! by an [`AttributionRule`]; the steps after it are tried in that order in
//! [`attribute_speakers`]. Submodules: `context` (what attribution reads, and
//! lookups), `cue_rules` (step 1), `subjects` (who a cue's subject is),
//! `inheritance` (steps 3 and 4, German reported speech, pronouns).
//!
//! Speakers are reported as the mention that attributes the quote (a pronoun
//! stays a pronoun), with the KB entity of the mention or of a pronoun's
//! antecedent. Nothing here scans all mentions or quotes per quote: lookups are
//! binary searches over sorted ranges.

mod context;
mod cue_rules;
mod inheritance;
mod subjects;

use super::cues::CueIndex;
use super::rules::{AttributionRule, enabled};
use super::sentences::Sentences;
use super::{MovedQuote, QuoteSpan};
use crate::analysis::Mention;
use crate::article::Article;
use crate::kb::EntryKind;
use crate::text::{TextMove, TextRange};
use context::{Context, LineColons};

/// The longest dash byline read after a quote ("” ― Pamela Padilla, author").
const MAX_BYLINE_BYTES: usize = 200;

/// How a speaker was found, shown in quote hovers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AttributionVia {
    /// A speech cue in the quote's sentence names the speaker.
    Cue,
    /// Another part of the same utterance was attributed.
    SameUtterance,
    /// The quote continues the quote before it (in its paragraph or the previous one).
    PreviousQuote,
    /// The quote fills its paragraph and the previous paragraph names a speaker.
    PreviousParagraph,
    /// The sentence before the quote, in its paragraph, reports the speaker speaking.
    PreviousSentence,
    /// A manual annotation says so.
    Annotation,
}

impl AttributionVia {
    /// A phrase for hovers: "speech cue in the sentence".
    pub fn describe(self) -> &'static str {
        match self {
            AttributionVia::Cue => "speech cue in the sentence",
            AttributionVia::SameUtterance => "another part of the same utterance",
            AttributionVia::PreviousQuote => "continues the quote before it",
            AttributionVia::PreviousParagraph => "speaker named in the previous paragraph",
            AttributionVia::PreviousSentence => "speaker of the sentence before",
            AttributionVia::Annotation => "manual annotation",
        }
    }
}

/// A speaker found by a cue, before resolution of pronouns.
#[derive(Clone, Debug)]
struct Speaker {
    range: TextRange,
    entity: Option<String>,
    is_pronoun: bool,
    kind: Option<EntryKind>,
}

type Word<'t> = (TextRange, &'t str);

/// A cue in a quote's sentence, the speaker it names and the rule that found them.
#[derive(Clone, Debug)]
struct Found {
    cue: TextRange,
    speaker: Speaker,
    rule: AttributionRule,
}

impl Found {
    fn new(rule: AttributionRule) -> impl Fn((TextRange, Speaker)) -> Found {
        move |(cue, speaker)| Found { cue, speaker, rule }
    }
}

/// What attribution found paragraph by paragraph, kept so that the analysis
/// after an edit can carry it over for paragraphs the edit left alone.
#[derive(Debug, Default)]
pub(crate) struct AttributionFacts {
    /// The speech events of each paragraph, in the order found.
    events: Vec<Vec<Speaker>>,
    /// The cue in each quote part's own sentence, by quote part.
    direct: Vec<Option<Found>>,
}

/// The previous analysis's attribution, and for each paragraph the previous
/// paragraph with the same text, KB mentions and quotation parts (whose speech
/// events and direct cues are therefore the same, moved).
pub(crate) struct CarriedAttribution<'a> {
    pub same_paragraphs: &'a [Option<usize>],
    /// By quote part: where it was before, if its paragraph is the same.
    pub moved_quotes: &'a [Option<MovedQuote>],
    pub old_article: &'a Article,
    pub facts: &'a AttributionFacts,
}

impl CarriedAttribution<'_> {
    fn events(&self, article: &Article, paragraph: usize) -> Option<Vec<Speaker>> {
        let old = self.same_paragraphs[paragraph]?;
        let old_paragraph = self.old_article.paragraphs[old].range;
        let forward = TextMove { from: old_paragraph.start, to: article.paragraphs[paragraph].range.start };
        let events = &self.facts.events[old];
        // Carried only what the paragraph's own text decided.
        if !events.iter().all(|e| old_paragraph.contains_range(e.range)) {
            return None;
        }
        Some(events.iter().map(|e| Speaker { range: forward.apply(e.range), ..e.clone() }).collect())
    }

    fn direct(&self, i: usize) -> Option<Option<Found>> {
        let moved = self.moved_quotes.get(i).copied().flatten()?;
        let found = self.facts.direct.get(moved.old_index)?;
        if let Some(Found { cue, speaker, .. }) = found
            && !(moved.old_paragraph.contains_range(*cue) && moved.old_paragraph.contains_range(speaker.range))
        {
            return None;
        }
        let forward = moved.forward;
        Some(found.as_ref().map(|found| Found {
            cue: forward.apply(found.cue),
            speaker: Speaker { range: forward.apply(found.speaker.range), ..found.speaker.clone() },
            rule: found.rule,
        }))
    }
}

/// Finds the speaker of every quote part (and how, by which rule), and
/// returns what the next analysis after an edit may carry over.
pub(crate) fn attribute_speakers(
    text: &str,
    article: &Article,
    sentences: &Sentences,
    mentions: &[Mention],
    cues: &CueIndex,
    quotes: &mut [QuoteSpan],
    carried: Option<&CarriedAttribution<'_>>,
) -> AttributionFacts {
    let cx = Context {
        text,
        article,
        sentences,
        mentions,
        cues,
        v: cues.vocabulary(),
        quotes: quotes.iter().map(|q| q.range).collect(),
        lines: LineColons::default(),
    };
    let direct: Vec<Option<Found>> =
        (0..quotes.len()).map(|i| carried.and_then(|c| c.direct(i)).unwrap_or_else(|| cx.cue_for(i))).collect();
    // Every speaker of a speech cue in the text, quoted or reported: what "he"
    // points back to, and who a following uncued quote belongs to.
    let paragraph_events: Vec<Vec<Speaker>> = (0..article.paragraphs.len())
        .map(|p| carried.and_then(|c| c.events(article, p)).unwrap_or_else(|| cx.paragraph_speech_events(p)))
        .collect();
    let mut events: Vec<Speaker> = Vec::with_capacity(paragraph_events.iter().map(Vec::len).sum());
    events.extend(paragraph_events.iter().flatten().cloned());
    events.sort_by_key(|e| e.range.start);
    events.dedup_by_key(|e| e.range);
    let same_utterance = same_utterance_with_cue(quotes, &direct);
    for i in 0..quotes.len() {
        if let Some(Found { cue, speaker, rule }) = &direct[i] {
            let resolved = cx.resolve(speaker.clone(), &events);
            quotes[i].cue = Some(*cue);
            quotes[i].candidates = vec![resolved.clone()];
            quotes[i].speaker = Some(resolved);
            quotes[i].via = Some(AttributionVia::Cue);
            quotes[i].rule = Some(*rule);
            continue;
        }
        if let Some(j) = same_utterance[i].filter(|_| enabled(AttributionRule::OtherPartOfUtterance)) {
            let Found { cue, speaker, .. } = direct[j].clone().expect("chosen for its cue");
            quotes[i].speaker = Some(cx.resolve(speaker, &events));
            quotes[i].cue = Some(cue);
            quotes[i].via = Some(AttributionVia::SameUtterance);
            quotes[i].rule = Some(AttributionRule::OtherPartOfUtterance);
            continue;
        }
        if let Some((speakers, via, rule)) =
            cx.inherited_speakers(quotes, i, &events).or_else(|| cx.reported_speech_speaker(quotes, i, &events))
        {
            quotes[i].ambiguous = speakers.len() > 1;
            quotes[i].speaker = speakers.first().cloned();
            quotes[i].candidates = speakers;
            quotes[i].via = Some(via);
            quotes[i].rule = Some(rule);
            continue;
        }
        // "calling the mayor a “liar” who was not “honorable”": quoted words
        // later in a sentence whose earlier quote has a speaker are that
        // speaker's too.
        if let Some(j) = i.checked_sub(1)
            && enabled(AttributionRule::EarlierQuoteOfSentence)
            && matches!(quotes[j].via, Some(AttributionVia::Cue | AttributionVia::SameUtterance))
            && cx.sentences.index_at(quotes[j].range.start).is_some()
            && cx.sentences.index_at(quotes[j].range.start) == cx.sentences.index_at(quotes[i].range.start)
        {
            quotes[i].speaker = quotes[j].speaker.clone();
            quotes[i].cue = quotes[j].cue;
            quotes[i].via = Some(AttributionVia::SameUtterance);
            quotes[i].rule = Some(AttributionRule::EarlierQuoteOfSentence);
        }
    }
    AttributionFacts { events: paragraph_events, direct }
}

/// For each quote, the nearest other part of its utterance that has a cue of
/// its own. Parts of an utterance are adjacent in text order; the part before
/// is preferred. Found in one pass each way: searching from every quote read
/// the whole utterance each time (50,000 quotes in one utterance: quadratic).
fn same_utterance_with_cue(quotes: &[QuoteSpan], direct: &[Option<Found>]) -> Vec<Option<usize>> {
    let nearest_cued = |order: &mut dyn Iterator<Item = usize>| {
        let mut nearest = vec![None; quotes.len()];
        let mut last: Option<usize> = None;
        let mut previous: Option<usize> = None;
        for i in order {
            if previous.is_some_and(|p| quotes[p].utterance != quotes[i].utterance) {
                last = None;
            }
            nearest[i] = last;
            if direct[i].is_some() {
                last = Some(i);
            }
            previous = Some(i);
        }
        nearest
    };
    let before = nearest_cued(&mut (0..quotes.len()));
    let after = nearest_cued(&mut (0..quotes.len()).rev());
    before.into_iter().zip(after).map(|(before, after)| before.or(after)).collect()
}

fn lower(word: &str) -> String {
    word.to_lowercase().replace('’', "'")
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// `word` is in `list` (lower-case entries, straight apostrophes), ignoring
/// case; allocates only for the rare word with a curly apostrophe.
pub(super) fn is_in(list: &[&str], word: &str) -> bool {
    if word.is_ascii() {
        return list.iter().any(|entry| entry.eq_ignore_ascii_case(word));
    }
    // "По", "Über", "d’après": case folded beyond ASCII, apostrophes straightened,
    // without allocating.
    let folded = || word.chars().flat_map(char::to_lowercase).map(|c| if c == '’' { '\'' } else { c });
    list.iter().any(|entry| entry.chars().eq(folded()))
}
