//! Who a cue's subject is: the noun phrase before a verb, after an inverted
//! one, or opening the sentence; pronouns stay pronouns until resolved.

use super::super::rules_de;
use super::context::Context;
use super::{Speaker, Word, is_capitalised, is_in, lower};
use crate::article::Lang;
use crate::text::TextRange;

impl Context<'_> {
    pub(super) fn speaker_for(&self, range: TextRange, is_pronoun: bool) -> Speaker {
        if is_pronoun {
            return Speaker { range, entity: None, is_pronoun: true, kind: None };
        }
        if let Some(m) = self.mention_ending_at(range.end).filter(|m| range.contains_range(m.range)) {
            return Speaker { range, entity: Some(m.id.clone()), is_pronoun: false, kind: Some(m.kind) };
        }
        let inner = self.person_inside(range);
        Speaker { range, entity: inner.map(|m| m.id.clone()), is_pronoun: false, kind: inner.map(|m| m.kind) }
    }

    /// Only white space, or the period of an abbreviation ("Mr. Lew"), between two words.
    pub(super) fn blank_or_abbreviation(&self, a: usize, b: usize) -> bool {
        let gap = &self.text[a..b];
        gap.trim().is_empty() || gap.trim() == "."
    }

    /// The subject of a cue whose clause is `clause` (sentence start to cue).
    pub(super) fn subject_of_cue(&self, clause: TextRange, cue_word: &str) -> Option<Speaker> {
        let ws = self.article.words(self.text, clause);
        let before_cue = ws.last().map(|w| w.1);
        if cue_word.ends_with("ing") {
            return self.participle_subject(clause, before_cue);
        }
        // Infinitives ("to announce") and coordinated verbs ("and said") take the
        // subject of the sentence.
        // "…, however reiterated" is the paraphrase of "but reiterated".
        if before_cue.is_some_and(|w| is_in(self.v.coordinators, w)) {
            return self.sentence_subject(clause);
        }
        // German "Stoiber hatte … betont": the subject of a clause-final verb.
        if let Some(k) = rules_de::subject_of_final_verb(self.v, &ws.iter().map(|w| w.1).collect::<Vec<_>>()) {
            return self.speaker_after(&ws[k..]);
        }
        self.subject_before(clause).or_else(|| self.sentence_subject(clause))
    }

    /// The subject of a participle cue: "with Lavrov saying" names it right
    /// before; "Blinken said, stressing" shares the earlier verb's; "a statement
    /// saying" and "…, telling reporters" take the sentence's.
    pub(super) fn participle_subject(&self, clause: TextRange, before_cue: Option<&str>) -> Option<Speaker> {
        if self.text[clause.start..clause.end].trim_end().ends_with(',') {
            if let Some(subject) = self.earlier_cue_subject(clause) {
                return Some(subject);
            }
        } else if before_cue.is_some_and(|w| is_in(self.v.pronouns, w) || is_capitalised(w)) {
            return self.subject_before(clause);
        }
        self.sentence_subject(clause)
    }

    /// The subject of the last finite speech cue in `clause`, outside quotes.
    pub(super) fn earlier_cue_subject(&self, clause: TextRange) -> Option<Speaker> {
        let ws = self.article.words(self.text, clause);
        let names: Vec<&str> = ws.iter().map(|w| w.1).collect();
        let i = (0..ws.len()).rev().find(|&i| {
            !names[i].ends_with("ing")
                && self.cues.speech_cue_at(&names, i).is_some()
                && !self.is_noun_use(&ws, i)
                && !self.inside_quote(ws[i].0.start)
        })?;
        let start = self.quote_end_before(ws[i].0.start).filter(|&e| e > clause.start).unwrap_or(clause.start);
        if self.blank_between(start, ws[i].0.start) && start > clause.start {
            return self.speaker_after(&ws[i + 1..]);
        }
        self.subject_of_cue(TextRange::new(start, ws[i].0.start), names[i])
    }

    /// The noun phrase right before a verb: a pronoun, a KB mention, a name or
    /// a description, skipping adverbs and a parenthetical (", in Kentucky,").
    pub(super) fn subject_before(&self, span: TextRange) -> Option<Speaker> {
        // "Sen. Elizabeth Warren (D-Mass.) said": a parenthesis after the subject
        // (party and state, an age, an aside) is set aside.
        let head = self.text[span.start..span.end].trim_end().trim_end_matches(',').trim_end();
        if head.ends_with(')')
            && let Some(open) = head.rfind('(').filter(|&o| o > 0)
        {
            return self.subject_before(TextRange::new(span.start, span.start + open));
        }
        let ws = self.article.words(self.text, span);
        let mut j = ws.len();
        while j > 0 && self.skippable_before_verb(ws[j - 1].1) {
            j -= 1;
        }
        if j == 0 {
            return None;
        }
        // "Trump, in Kentucky, said" / "John Bryant, the chairman, said": the
        // phrase between commas is set aside; the subject stands before it.
        let gap_after = |k: usize| {
            let next = ws.get(k + 1).map_or(span.end, |w| w.0.start);
            &self.text[ws[k].0.end..next]
        };
        if gap_after(j - 1).contains(',')
            && let Some(k) = (j.saturating_sub(16)..j - 1).rev().find(|&k| gap_after(k).contains(','))
            && !is_in(self.v.stop_words, ws[k].1)
            && !is_in(self.v.relatives, ws[j - 1].1)
        {
            j = k + 1;
        }
        let (head, word) = ws[j - 1];
        if is_in(self.v.pronouns, word) {
            return Some(self.speaker_for(head, true));
        }
        // "He’s predicting": the pronoun of a contracted auxiliary.
        if let Some(pronoun) = word.split(['’', '\'']).next().filter(|p| p.len() < word.len() && is_in(self.v.contracted_pronouns, p)) {
            return Some(self.speaker_for(TextRange::new(head.start, head.start + pronoun.len()), true));
        }
        if is_in(self.v.relatives, word) {
            // "Sen. Graham, who said": the relative and its antecedent.
            let antecedent = self.subject_before(TextRange::new(span.start, head.start))?;
            return Some(Speaker { range: TextRange::new(antecedent.range.start, head.end), ..antecedent });
        }
        // "Some chanted", "most said": a quantifier standing alone is a subject.
        if (is_in(self.v.stop_words, word) && !is_in(self.v.quantifiers, word)) || word.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        if let Some(m) = self.mention_ending_at(head.end) {
            return Some(Speaker { range: m.range, entity: Some(m.id.clone()), is_pronoun: false, kind: Some(m.kind) });
        }
        // Leftwards over the noun phrase, through prepositional modifiers ("a
        // Democratic staffer in the room", "Trump in his speech"), so that the
        // range covers the head noun even when a modifier stands last.
        let mut k = j - 1;
        while k > 0
            && j - k < 10
            && self.blank_or_abbreviation(ws[k - 1].0.end, ws[k].0.start)
            && (!is_in(self.v.stop_words, ws[k - 1].1) || is_in(self.v.noun_phrase_links, ws[k - 1].1))
            && self.cues.any_cue_at(&[ws[k - 1].1], 0).is_none()
        {
            k -= 1;
        }
        if is_in(self.v.noun_phrase_links, ws[k].1) && !is_in(self.v.determiners, ws[k].1) && !is_capitalised(word) {
            // "who has in the past described": a phrase of common nouns after a
            // preposition is an adverbial; the subject stands before it ("with
            // Lavrov acknowledging" is not: a name heads it).
            if let Some(subject) = self.subject_before(TextRange::new(span.start, ws[k].0.start)) {
                return Some(subject);
            }
        }
        while k < j - 1 && is_in(self.v.noun_phrase_links, ws[k].1) && !is_in(self.v.determiners, ws[k].1) {
            k += 1;
        }
        Some(self.speaker_for(TextRange::new(ws[k].0.start, head.end), false))
    }

    pub(super) fn skippable_before_verb(&self, word: &str) -> bool {
        let lower = lower(word);
        // "Will claims": a capitalised word is a name, not the auxiliary; but a
        // weekday is never a speaker ("Ryan on Tuesday called").
        (!is_capitalised(word) && (self.v.skipped_before_verb.contains(&lower.as_str()) || (lower.ends_with("ly") && lower.len() > 4)))
            || self.v.weekdays.contains(&lower.as_str())
    }

    /// The noun phrase after an inverted cue: said Lavrov / according to the minister.
    pub(super) fn speaker_after(&self, ws: &[Word]) -> Option<Speaker> {
        let ws = self.after_inverted_verb(ws);
        let &(first, word) = ws.first()?;
        if is_in(self.v.pronouns, word) {
            return Some(self.speaker_for(first, true));
        }
        if let Some(m) = self.mention_starting_at(first.start) {
            return Some(Speaker { range: m.range, entity: Some(m.id.clone()), is_pronoun: false, kind: Some(m.kind) });
        }
        // "according to some on Twitter": a quantifier heads a speaker too.
        if is_in(self.v.stop_words, word) && !is_in(self.v.determiners, word) && !is_in(self.v.quantifiers, word) {
            return None;
        }
        Some(self.speaker_for(self.noun_phrase_from(ws), false))
    }

    /// "— заявил в среду Лавров", "sagte am Montag Merkel": in languages that
    /// put the verb first, a short adverbial (words of `skipped_before_verb`,
    /// at most three) may stand between the verb and its subject; English
    /// keeps its order ("said on Monday" is followed by no subject).
    pub(super) fn after_inverted_verb<'w, 't>(&self, ws: &'w [Word<'t>]) -> &'w [Word<'t>] {
        if self.v.lang == Lang::En {
            return ws;
        }
        let skipped = ws.iter().take(3).take_while(|w| !is_capitalised(w.1) && is_in(self.v.skipped_before_verb, w.1)).count();
        let skipped_weekday = skipped > 0 && ws.get(skipped).is_some_and(|w| is_in(self.v.weekdays, w.1));
        let skip = skipped + usize::from(skipped_weekday);
        if skip > 0 && ws.get(skip).is_some_and(|w| is_capitalised(w.1) || is_in(self.v.pronouns, w.1)) { &ws[skip..] } else { ws }
    }

    /// Up to eight words from the start of `ws`, to the first punctuation or
    /// function word.
    pub(super) fn noun_phrase_from(&self, ws: &[Word]) -> TextRange {
        // A lower-case word in -ed or -s after the first is most likely the verb
        // ("Comey decided", "Trump says").
        // After a name, a lower-case word belongs to the phrase only before
        // another name ("FBI director James Comey"); otherwise it is the verb
        // ("Lavrov spoke").
        let looks_like_verb = |w: &str| !is_capitalised(w) && (w.ends_with("ed") || (w.ends_with('s') && !w.ends_with("ss")));
        let title_before_name = |k: usize| ws.get(k + 1).is_some_and(|n| is_capitalised(n.1));
        let mut end = 1;
        while end < ws.len()
            && end < 8
            && self.blank_or_abbreviation(ws[end - 1].0.end, ws[end].0.start)
            && !is_in(self.v.stop_words, ws[end].1)
            && !looks_like_verb(ws[end].1)
            // A determiner opening a sentence is capitalised but names nobody: "The spokesman".
            && (is_capitalised(ws[end].1) || !is_capitalised(ws[end - 1].1) || is_in(self.v.determiners, ws[end - 1].1) || title_before_name(end))
            && self.cues.any_cue_at(&[ws[end].1], 0).is_none()
        {
            end += 1;
        }
        TextRange::new(ws[0].0.start, ws[end - 1].0.end)
    }

    /// The subject that opens a clause: after conjunctions and an introductory
    /// phrase ("In his address to La Raza, Graham …").
    pub(super) fn sentence_subject(&self, span: TextRange) -> Option<Speaker> {
        let ws = self.article.words(self.text, span);
        // German "So hatte der Minister … zugesichert": the subject after a fronted phrase.
        if let Some(k) = rules_de::subject_after_fronted_phrase(self.v, &ws.iter().map(|w| w.1).collect::<Vec<_>>()) {
            return self.speaker_after(&ws[k..]);
        }
        let mut i = self.after_dateline(&ws);
        // "Minutes later, she …", "Likewise, a paper …": a short opening phrase.
        if let Some(k) = (i..ws.len().min(i + 3)).find(|&k| {
            let next = ws.get(k + 1).map_or(span.end, |w| w.0.start);
            self.text[ws[k].0.end..next].starts_with(',')
        }) {
            let last = ws[k].1;
            let adverbial = !is_capitalised(last) || (k == i && (is_in(self.v.introducers, last) || lower(last).ends_with("ly")));
            if adverbial && !is_in(self.v.pronouns, ws[i].1) {
                i = k + 1;
            }
        }
        // "Fueled by frustration, Trump …": a participle phrase opens the sentence.
        let opens_with_participle = |w: &str| is_capitalised(w) && (w.ends_with("ed") || w.ends_with("ing"));
        while i < ws.len() && (is_in(self.v.introducers, ws[i].1) || (i == 0 && opens_with_participle(ws[i].1))) {
            let comma = (i..ws.len().min(i + 30)).find(|&k| {
                let next = ws.get(k + 1).map_or(span.end, |w| w.0.start);
                self.text[ws[k].0.end..next].contains(',')
            });
            match comma {
                Some(k) if !self.v.connectives.contains(&lower(ws[i].1).as_str()) => i = k + 1,
                _ => i += 1,
            }
        }
        let rest = ws.get(i..).filter(|r| !r.is_empty())?;
        let (first, word) = rest[0];
        if is_in(self.v.pronouns, word) {
            return Some(self.speaker_for(first, true));
        }
        if let Some(m) = self.mention_starting_at(first.start) {
            return Some(Speaker { range: m.range, entity: Some(m.id.clone()), is_pronoun: false, kind: Some(m.kind) });
        }
        // "Here they are:", "Why not just say": no subject to speak.
        if is_in(self.v.no_subject_openers, word) {
            return None;
        }
        // "conservative commentator Jonah Goldberg": a title before a name.
        let title_then_name = !is_in(self.v.stop_words, word) && rest.iter().skip(1).take(3).any(|w| is_capitalised(w.1));
        if !(is_capitalised(word) || is_in(self.v.determiners, word) || title_then_name) {
            return None;
        }
        Some(self.speaker_for(self.noun_phrase_from(rest), false))
    }

    /// The first word after a dateline ("WASHINGTON (AFP) – Clinton …").
    pub(super) fn after_dateline(&self, ws: &[Word]) -> usize {
        (0..ws.len().min(5))
            .find(|&k| {
                let next = ws.get(k + 1).map_or(ws[k].0.end, |w| w.0.start);
                let gap = &self.text[ws[k].0.end..next];
                gap.contains(['–', '—']) || gap.contains(" - ")
            })
            .map_or(0, |k| k + 1)
    }
}
