//! Finding who spoke each quotation: a speech cue next to the quote and the
//! speaker around the cue, pronouns resolved to the last speaker, and quotes with
//! no cue inheriting from the quote before them.

use super::cues::SpeechCues;
use super::{QuoteSpan, SpeakerMention};
use crate::analysis::Mention;
use crate::article::{Article, words};
use crate::kb::EntryKind;
use crate::text::TextRange;

/// How a speaker was found, shown in quote hovers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AttributionVia {
    /// A speech cue in the quote's sentence names the speaker.
    Cue,
    /// Another part of the same utterance was attributed.
    SameUtterance,
    /// The quote fills its paragraph and continues the previous paragraph's quote.
    PreviousQuote,
    /// The quote fills its paragraph and the previous paragraph names a speaker.
    PreviousParagraph,
    /// A manual annotation says so.
    Annotation,
}

impl AttributionVia {
    pub fn describe(self) -> &'static str {
        match self {
            AttributionVia::Cue => "speech cue in the sentence",
            AttributionVia::SameUtterance => "another part of the same utterance",
            AttributionVia::PreviousQuote => "continues the quote before it",
            AttributionVia::PreviousParagraph => "speaker named in the previous paragraph",
            AttributionVia::Annotation => "manual annotation",
        }
    }
}

const PRONOUNS: &[&str] = &["he", "she", "they"];
/// Words between a subject and its verb that do not change who speaks.
const SKIPPED_BEFORE_VERB: &[&str] = &[
    "also",
    "then",
    "later",
    "again",
    "repeatedly",
    "earlier",
    "has",
    "had",
    "have",
    "was",
    "is",
    "would",
    "will",
    "previously",
    "once",
    "recently",
    "publicly",
    "reportedly",
    "initially",
    "separately",
    "simply",
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
    "this",
    "nonetheless",
    "though",
    "meanwhile",
    "subsequently",
    "explicitly",
    "firmly",
    "clearly",
    "bluntly",
    "both",
];
/// Head nouns of descriptions that can speak ("Ukrainian officials said").
const SPEAKING_NOUNS: &[&str] = &[
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "minister",
    "official",
    "officials",
    "diplomat",
    "diplomats",
    "chief",
    "president",
    "secretary",
    "source",
    "sources",
    "analyst",
    "analysts",
    "expert",
    "experts",
    "leader",
    "leaders",
    "officer",
    "ministry",
    "government",
    "statement",
    "envoy",
    "ambassador",
    "negotiator",
    "negotiators",
    "aide",
    "aides",
    "adviser",
    "advisers",
    "spokespeople",
    "kremlin",
    "white",
    "administration",
    "people",
    "residents",
    "author",
    "report",
    "counterpart",
];
const DETERMINERS: &[&str] = &["the", "a", "an", "his", "her", "their", "its", "our", "one", "two", "several", "some", "many"];

/// A speaker found by a cue, before resolution of pronouns.
#[derive(Clone, Debug)]
struct Speaker {
    range: TextRange,
    entity: Option<String>,
    is_pronoun: bool,
    kind: Option<EntryKind>,
}

struct Context<'a> {
    text: &'a str,
    article: &'a Article,
    mentions: &'a [Mention],
    cues: &'a SpeechCues,
}

pub fn attribute_speakers(text: &str, article: &Article, mentions: &[Mention], cues: &SpeechCues, quotes: &mut [QuoteSpan]) {
    let cx = Context { text, article, mentions, cues };
    let quote_ranges: Vec<TextRange> = quotes.iter().map(|q| q.range).collect();
    // Every named speaker of a speech cue in the text, quoted or reported: what
    // "he" and "she" point back to.
    let speech_events = cx.speech_events(&quote_ranges);
    for i in 0..quotes.len() {
        let found = cx.cue_for(quotes[i].range, &quote_ranges);
        if let Some((cue, speaker)) = found {
            let resolved = cx.resolve(speaker, &speech_events);
            quotes[i].cue = Some(cue);
            quotes[i].candidates = vec![resolved.clone()];
            quotes[i].speaker = Some(resolved);
            quotes[i].via = Some(AttributionVia::Cue);
            continue;
        }
        // Another part of the same utterance that has (or will have) a cue.
        let utterance = quotes[i].utterance;
        if let Some(j) = (0..quotes.len()).find(|&j| {
            j != i
                && quotes[j].utterance == utterance
                && (j < i && quotes[j].speaker.is_some() || j > i && cx.cue_for(quotes[j].range, &quote_ranges).is_some())
        }) {
            let speaker = if j < i {
                quotes[j].speaker.clone()
            } else {
                cx.cue_for(quotes[j].range, &quote_ranges).map(|(_, s)| cx.resolve(s, &speech_events))
            };
            quotes[i].speaker = speaker;
            quotes[i].via = Some(AttributionVia::SameUtterance);
            continue;
        }
        if !cx.fills_paragraph_start(quotes[i].range) {
            continue;
        }
        let Some(paragraph) = article.paragraph_at(quotes[i].range.start) else { continue };
        if paragraph == 0 {
            continue;
        }
        let previous = article.paragraphs[paragraph - 1].range;
        if let Some(previous_quote) = quotes[..i].iter().rev().find(|q| previous.contains_range(q.range) || q.range.overlaps(previous))
            && previous_quote.speaker.is_some()
            && previous_quote.range.end + 8 >= previous.end
        {
            quotes[i].speaker = previous_quote.speaker.clone();
            quotes[i].via = Some(AttributionVia::PreviousQuote);
            continue;
        }
        if let Some(event) = speech_events.iter().rev().find(|e| previous.contains_range(e.range) && !e.is_pronoun) {
            quotes[i].speaker = Some(cx.resolve(event.clone(), &speech_events));
            quotes[i].via = Some(AttributionVia::PreviousParagraph);
        } else if let Some(event) = speech_events.iter().rev().find(|e| previous.contains_range(e.range)) {
            quotes[i].speaker = Some(cx.resolve(event.clone(), &speech_events));
            quotes[i].via = Some(AttributionVia::PreviousParagraph);
        }
    }
}

impl Context<'_> {
    fn mention_ending_at(&self, end: usize) -> Option<&Mention> {
        self.mentions.iter().find(|m| {
            m.range.end == end || (m.range.end < end && self.text[m.range.end..end].trim_start_matches(['’', '\'', 's']).is_empty())
        })
    }

    fn mention_starting_at(&self, start: usize) -> Option<&Mention> {
        self.mentions.iter().find(|m| m.range.start == start)
    }

    /// The quote opens its paragraph (so it may continue the previous one).
    fn fills_paragraph_start(&self, quote: TextRange) -> bool {
        self.article.paragraph_at(quote.start).is_some_and(|p| self.article.paragraphs[p].range.start == quote.start)
    }

    /// Sentence-level text around `quote`: from the start of the sentence holding
    /// its opening to the end of the sentence holding its close.
    fn sentence_span(&self, quote: TextRange) -> TextRange {
        let start = self.article.sentence_at(quote.start).map_or(quote.start, |s| self.article.sentences[s].start.min(quote.start));
        let mut end = quote.end;
        // The attribution after a quote may be a sentence of its own for the
        // segmenter ("...?” he asked."); a quote ending in a full stop ends its
        // sentence, and what follows belongs to someone else.
        if let Some(s) = self.article.sentence_at(quote.end.saturating_sub(1)) {
            end = self.article.sentences[s].end.max(quote.end);
            let closing = self.text[..quote.end].trim_end_matches(['”', '"', '’', '\'']);
            let next =
                self.article.sentences.get(s + 1).filter(|n| self.article.paragraph_at(n.start) == self.article.paragraph_at(quote.start));
            if end == quote.end
                && let Some(next) = next
            {
                let continues = closing.ends_with([',', '?', '!', '—']) || self.text[next.start..].starts_with(char::is_lowercase);
                if continues {
                    end = next.end;
                }
            }
        }
        TextRange::new(start, end)
    }

    /// The cue and speaker for one quote part, looking after the quote first
    /// ("...,” Lavrov said) and then before it (Lavrov warned that “...”).
    fn cue_for(&self, quote: TextRange, quotes: &[TextRange]) -> Option<(TextRange, Speaker)> {
        let sentence = self.sentence_span(quote);
        let next_quote = quotes.iter().map(|q| q.start).filter(|&s| s >= quote.end).min().unwrap_or(usize::MAX);
        let after = TextRange::new(quote.end, sentence.end.min(next_quote).max(quote.end));
        let previous_quote_end = quotes.iter().map(|q| q.end).filter(|&e| e <= quote.start).max().unwrap_or(0);
        let before = TextRange::new(sentence.start.max(previous_quote_end).min(quote.start), quote.start);
        self.cue_after(after).or_else(|| self.cue_before(before)).or_else(|| {
            // A cue before an earlier quote in the same sentence (He stated, “a,” “b”).
            (previous_quote_end > sentence.start).then(|| self.cue_before(TextRange::new(sentence.start, quote.start))).flatten()
        })
    }

    fn cue_after(&self, after: TextRange) -> Option<(TextRange, Speaker)> {
        let ws = words(self.text, after);
        let names: Vec<&str> = ws.iter().map(|w| w.1).collect();
        for i in 0..names.len().min(7) {
            let Some(len) = self.cues.speech_cue_at(&names, i) else { continue };
            // A participle after a quote ("..., urging Russia") describes the
            // subject; its object is not the speaker.
            if names[i].ends_with("ing") {
                return None;
            }
            let cue = TextRange::new(ws[i].0.start, ws[i + len - 1].0.end);
            // “...,” Lavrov said / he said / Sergey Lavrov told
            if i > 0
                && let Some(speaker) = self.speaker_before(TextRange::new(after.start, ws[i].0.start))
            {
                return Some((cue, speaker));
            }
            // “...,” said Lavrov / according to the minister: only right after the quote.
            if i == 0
                && let Some(speaker) = self.speaker_after(&ws[i + len..])
            {
                return Some((cue, speaker));
            }
            return None;
        }
        None
    }

    fn cue_before(&self, before: TextRange) -> Option<(TextRange, Speaker)> {
        let ws = words(self.text, before);
        let names: Vec<&str> = ws.iter().map(|w| w.1).collect();
        for i in (0..names.len()).rev() {
            let Some(len) = self.cues.speech_cue_at(&names, i) else { continue };
            let cue = TextRange::new(ws[i].0.start, ws[i + len - 1].0.end);
            if names[i].eq_ignore_ascii_case("according") {
                return self.speaker_after(&ws[i + len..]).map(|s| (cue, s));
            }
            let sentence_start = self.article.sentence_at(cue.start).map_or(before.start, |s| self.article.sentences[s].start);
            if let Some(speaker) = self.speaker_before(TextRange::new(sentence_start, cue.start)) {
                return Some((cue, speaker));
            }
            // Participles ("..., saying") and coordinated verbs ("but said") take the
            // subject of the sentence.
            return self.sentence_subject(TextRange::new(sentence_start, cue.start)).map(|s| (cue, s));
        }
        None
    }

    /// The subject right before a verb: a pronoun, a KB mention, a capitalised
    /// name, or a description ending in a speaking noun.
    fn speaker_before(&self, span: TextRange) -> Option<Speaker> {
        let ws = words(self.text, span);
        let mut j = ws.len();
        while j > 0 && SKIPPED_BEFORE_VERB.contains(&ws[j - 1].1.to_lowercase().as_str()) {
            j -= 1;
        }
        let (range, word) = *ws.get(j.checked_sub(1)?)?;
        let lower = word.to_lowercase();
        if PRONOUNS.contains(&lower.as_str()) {
            return Some(Speaker { range, entity: None, is_pronoun: true, kind: None });
        }
        if let Some(m) = self.mention_ending_at(range.end) {
            return Some(Speaker { range: m.range, entity: Some(m.id.clone()), is_pronoun: false, kind: Some(m.kind) });
        }
        let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
        if capitalised(word) || SPEAKING_NOUNS.contains(&lower.as_str()) {
            let mut k = j - 1;
            while k > 0 && (capitalised(ws[k - 1].1) || SPEAKING_NOUNS.contains(&ws[k - 1].1.to_lowercase().as_str())) && j - k < 6 {
                k -= 1;
            }
            if k > 0 && DETERMINERS.contains(&ws[k - 1].1.to_lowercase().as_str()) {
                k -= 1;
            }
            let range = TextRange::new(ws[k].0.start, range.end);
            let inner = self.mentions.iter().rev().find(|m| range.contains_range(m.range) && m.kind == EntryKind::Person);
            return Some(Speaker { range, entity: inner.map(|m| m.id.clone()), is_pronoun: false, kind: Some(EntryKind::Person) });
        }
        None
    }

    fn speaker_after(&self, ws: &[(TextRange, &str)]) -> Option<Speaker> {
        let &(range, word) = ws.first()?;
        let lower = word.to_lowercase();
        if PRONOUNS.contains(&lower.as_str()) {
            return Some(Speaker { range, entity: None, is_pronoun: true, kind: None });
        }
        if let Some(m) = self.mention_starting_at(range.start) {
            return Some(Speaker { range: m.range, entity: Some(m.id.clone()), is_pronoun: false, kind: Some(m.kind) });
        }
        let start = range.start;
        let mut end = None;
        for &(r, w) in ws.iter().take(6) {
            let is_part = w.chars().next().is_some_and(char::is_uppercase)
                || DETERMINERS.contains(&w.to_lowercase().as_str())
                || SPEAKING_NOUNS.contains(&w.to_lowercase().as_str());
            if !is_part {
                break;
            }
            if let Some(m) = self.mentions.iter().find(|m| m.range.start == r.start && m.kind == EntryKind::Person) {
                let range = TextRange::new(start, m.range.end);
                return Some(Speaker { range, entity: Some(m.id.clone()), is_pronoun: false, kind: Some(EntryKind::Person) });
            }
            end = Some(r.end);
        }
        let end = end?;
        Some(Speaker { range: TextRange::new(start, end), entity: None, is_pronoun: false, kind: None })
    }

    /// The first person or organization named in a sentence, else its opening pronoun.
    fn sentence_subject(&self, span: TextRange) -> Option<Speaker> {
        let ws = words(self.text, span);
        if let Some(&(range, w)) = ws.first()
            && PRONOUNS.contains(&w.to_lowercase().as_str())
        {
            return Some(Speaker { range, entity: None, is_pronoun: true, kind: None });
        }
        self.mentions
            .iter()
            .find(|m| span.contains_range(m.range) && matches!(m.kind, EntryKind::Person | EntryKind::Organization))
            .map(|m| Speaker { range: m.range, entity: Some(m.id.clone()), is_pronoun: false, kind: Some(m.kind) })
    }

    /// Every speech cue in the text with a non-quoted subject, in order.
    fn speech_events(&self, quotes: &[TextRange]) -> Vec<Speaker> {
        let mut events = Vec::new();
        for &sentence in &self.article.sentences {
            let ws = words(self.text, sentence);
            let names: Vec<&str> = ws.iter().map(|w| w.1).collect();
            for (i, &(word, _)) in ws.iter().enumerate() {
                if quotes.iter().any(|q| q.contains_range(word)) || self.cues.speech_cue_at(&names, i).is_none() {
                    continue;
                }
                let before = TextRange::new(sentence.start, word.start);
                let subject = self.speaker_before(before).or_else(|| self.sentence_subject(before));
                if let Some(subject) = subject {
                    events.push(subject);
                }
            }
        }
        events.sort_by_key(|e| e.range.start);
        events.dedup_by_key(|e| e.range);
        events
    }

    /// Turns a found speaker into the reported mention, resolving pronouns to the
    /// nearest named speaker before them.
    fn resolve(&self, speaker: Speaker, events: &[Speaker]) -> SpeakerMention {
        if !speaker.is_pronoun {
            return SpeakerMention { range: speaker.range, entity: speaker.entity, antecedent: None };
        }
        let plural = speaker.range.slice(self.text).eq_ignore_ascii_case("they");
        let compatible =
            |kind: Option<EntryKind>| if plural { kind != Some(EntryKind::Person) } else { kind.is_none_or(|k| k == EntryKind::Person) };
        let window_start =
            self.article.paragraph_at(speaker.range.start).map_or(0, |p| self.article.paragraphs[p.saturating_sub(3)].range.start);
        let antecedent = events
            .iter()
            .rev()
            .filter(|e| !e.is_pronoun && e.range.end <= speaker.range.start && e.range.start >= window_start && compatible(e.kind))
            .map(|e| (e.range, e.entity.clone()))
            .next()
            .or_else(|| {
                self.mentions
                    .iter()
                    .rev()
                    .find(|m| m.range.end <= speaker.range.start && compatible(Some(m.kind)) && m.kind != EntryKind::Place)
                    .map(|m| (m.range, Some(m.id.clone())))
            });
        match antecedent {
            Some((range, entity)) => SpeakerMention { range: speaker.range, entity, antecedent: Some(range) },
            None => SpeakerMention { range: speaker.range, entity: None, antecedent: None },
        }
    }
}
