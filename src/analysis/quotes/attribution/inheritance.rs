//! Speakers carried over from elsewhere: the speech events of each paragraph,
//! the speaker before a quote that opens its sentence or paragraph, German
//! reported speech, and the resolution of pronouns to their antecedent.

use super::super::rules::{AttributionRule, enabled};
use super::super::{QuoteSpan, SpeakerMention};
use super::context::Context;
use super::{AttributionVia, Speaker, is_in, lower};

/// A speaker carried over to an uncued quote: the candidates, best first, how
/// and by which rule.
pub(super) type Inherited = (Vec<SpeakerMention>, AttributionVia, AttributionRule);
use crate::kb::EntryKind;
use crate::text::TextRange;

impl Context<'_> {
    /// Every speech cue outside quotes in paragraph `p`, with its subject. It
    /// reads nothing outside the paragraph, so an edit elsewhere leaves it alone.
    pub(super) fn paragraph_speech_events(&self, p: usize) -> Vec<Speaker> {
        let paragraph = &self.article.paragraphs[p];
        let mut events = Vec::new();
        let ws = self.article.words(self.text, paragraph.range);
        let names: Vec<&str> = ws.iter().map(|w| w.1).collect();
        for (i, &(word, name)) in ws.iter().enumerate() {
            if self.cues.speech_cue_at(&names, i).is_none() || self.inside_quote(word.start) || self.is_noun_use(&ws, i) {
                continue;
            }
            let sentence_start = self.sentences.at(word.start).map_or(paragraph.range.start, |s| s.start);
            let clause_start = self.quote_end_before(word.start).map_or(sentence_start, |e| e.max(sentence_start));
            let subject = if self.blank_between(clause_start, word.start) && clause_start > sentence_start {
                self.speaker_after(&ws[i + 1..])
            } else {
                self.subject_of_cue(TextRange::new(clause_start, word.start), name)
            };
            events.extend(subject);
        }
        events
    }

    /// Who an uncued quote part belongs to: the speaker just before it in its
    /// paragraph (for a quote opening its sentence), else the last speaker of the
    /// previous paragraph (for a quote opening its paragraph). Two different
    /// speakers in that one sentence make the attribution ambiguous.
    pub(super) fn inherited_speakers(&self, quotes: &[QuoteSpan], i: usize, events: &[Speaker]) -> Option<Inherited> {
        let speaker_before = enabled(AttributionRule::SpeakerBefore);
        let quote = quotes[i].range;
        let paragraph = self.article.paragraph_at(quote.start)?;
        let paragraph_range = self.article.paragraphs[paragraph].range;
        let opens_sentence = self.sentences.at(quote.start).is_none_or(|s| self.blank_between(s.start, quote.start));
        if !opens_sentence {
            return None;
        }
        if paragraph_range.start < quote.start
            && speaker_before
            && let Some((speakers, via)) = self.last_speaker_in(TextRange::new(paragraph_range.start, quote.start), quotes, i, events)
        {
            return Some((speakers, via, AttributionRule::SpeakerBefore));
        }
        if paragraph_range.start != quote.start || paragraph == 0 {
            return None;
        }
        let previous = self.article.paragraphs[paragraph - 1].range;
        if self.text[previous.start..previous.end].trim_end().ends_with(':') && enabled(AttributionRule::ColonParagraphBefore) {
            // "He then listed the qualities:" ¶ “…”
            let sentence_start = self.sentences.at(previous.end.saturating_sub(1)).map_or(previous.start, |s| s.start);
            if let Some(found) = self.cue_before(TextRange::new(sentence_start, previous.end), sentence_start) {
                return Some((
                    vec![self.resolve(found.speaker, events)],
                    AttributionVia::PreviousParagraph,
                    AttributionRule::ColonParagraphBefore,
                ));
            }
        }
        if !speaker_before {
            return None;
        }
        self.last_speaker_in(previous, quotes, i, events).map(|(speakers, via)| {
            let via = if via == AttributionVia::PreviousSentence { AttributionVia::PreviousParagraph } else { via };
            (speakers, via, AttributionRule::SpeakerBefore)
        })
    }

    /// "Stoiber begründete seinen Rückzug … Damit seien „der Kurs … nicht mehr
    /// so klar“": in German a sentence in the subjunctive (Konjunktiv I) is
    /// reported speech, and its quotes belong to the speaker reported before it,
    /// in its paragraph or the previous one, wherever the quote stands in it.
    pub(super) fn reported_speech_speaker(&self, quotes: &[QuoteSpan], i: usize, events: &[Speaker]) -> Option<Inherited> {
        if self.v.reported_speech_markers.is_empty() || !enabled(AttributionRule::ReportedSpeech) {
            return None;
        }
        let quote = quotes[i].range;
        let sentence = self.sentences.at(quote.start)?;
        let ws = self.article.words(self.text, sentence);
        if !ws.iter().any(|w| !self.inside_quote(w.0.start) && is_in(self.v.reported_speech_markers, w.1)) {
            return None;
        }
        let paragraph = self.article.paragraph_at(quote.start)?;
        let paragraph_range = self.article.paragraphs[paragraph].range;
        if let Some((speakers, via)) = self.last_speaker_in(TextRange::new(paragraph_range.start, sentence.start), quotes, i, events) {
            return Some((speakers, via, AttributionRule::ReportedSpeech));
        }
        let previous = self.article.paragraphs[paragraph.checked_sub(1)?].range;
        self.last_speaker_in(previous, quotes, i, events)
            .map(|(speakers, _)| (speakers, AttributionVia::PreviousParagraph, AttributionRule::ReportedSpeech))
    }

    /// The last speaker in `span`: of an attributed quote or a speech report,
    /// whichever comes later.
    pub(super) fn last_speaker_in(
        &self,
        span: TextRange,
        quotes: &[QuoteSpan],
        i: usize,
        events: &[Speaker],
    ) -> Option<(Vec<SpeakerMention>, AttributionVia)> {
        let first_quote = quotes[..i].partition_point(|q| q.range.start < span.start);
        let last_quote = quotes[first_quote..i].iter().rev().find(|q| q.range.end <= span.end && q.speaker.is_some());
        let events_end = events.partition_point(|e| e.range.start < span.end);
        let events_start = events.partition_point(|e| e.range.start < span.start);
        let in_span = &events[events_start..events_end];
        let last_event = in_span.last();
        match (last_quote, last_event) {
            (Some(q), event)
                if event.is_none_or(|e| e.range.start < q.range.end || q.speaker.as_ref().is_some_and(|s| s.range == e.range)) =>
            {
                Some((vec![q.speaker.clone().expect("filtered on speaker")], AttributionVia::PreviousQuote))
            }
            (_, Some(event)) => {
                let sentence = self.sentences.at(event.range.start).unwrap_or(span);
                let mut speakers = vec![self.resolve(event.clone(), events)];
                // A different speaker reported in the same sentence is as good a candidate.
                if let Some(other) =
                    in_span.iter().rev().skip(1).take_while(|e| sentence.contains_range(e.range)).find(|e| {
                        !e.is_pronoun && !event.is_pronoun && lower(e.range.slice(self.text)) != lower(event.range.slice(self.text))
                    })
                {
                    speakers.push(self.resolve(other.clone(), events));
                }
                Some((speakers, AttributionVia::PreviousSentence))
            }
            _ => None,
        }
    }

    /// Turns a found speaker into the reported mention, resolving pronouns to the
    /// nearest compatible named speaker before them, else to the nearest
    /// compatible KB mention, both within three paragraphs (which also bounds the
    /// search).
    pub(super) fn resolve(&self, speaker: Speaker, events: &[Speaker]) -> SpeakerMention {
        if !speaker.is_pronoun {
            return SpeakerMention { range: speaker.range, entity: speaker.entity, antecedent: None };
        }
        let pronoun = lower(speaker.range.slice(self.text));
        let compatible = |kind: Option<EntryKind>| match pronoun.as_str() {
            p if self.v.plural_pronouns.contains(&p) => kind != Some(EntryKind::Person),
            p if self.v.neuter_pronouns.contains(&p) => kind.is_some_and(|k| k == EntryKind::Organization),
            _ => kind.is_none_or(|k| k == EntryKind::Person),
        };
        let window_start =
            self.article.paragraph_at(speaker.range.start).map_or(0, |p| self.article.paragraphs[p.saturating_sub(3)].range.start);
        let before = events.partition_point(|e| e.range.end <= speaker.range.start);
        let antecedent = events[..before]
            .iter()
            .rev()
            .take_while(|e| e.range.start >= window_start)
            .find(|e| !e.is_pronoun && compatible(e.kind))
            .map(|e| (e.range, e.entity.clone()))
            .or_else(|| {
                let before = self.mentions.partition_point(|m| m.range.end <= speaker.range.start);
                self.mentions[..before]
                    .iter()
                    .rev()
                    .take_while(|m| m.range.start >= window_start)
                    .find(|m| compatible(Some(m.kind)) && m.kind != EntryKind::Place)
                    .map(|m| (m.range, Some(m.id.clone())))
            });
        match antecedent {
            Some((range, entity)) => SpeakerMention { range: speaker.range, entity, antecedent: Some(range) },
            None => SpeakerMention { range: speaker.range, entity: None, antecedent: None },
        }
    }
}
