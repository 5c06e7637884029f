//! The cue rules: a speech cue in a quote's own sentence (or its line) and its
//! speaker, tried in the order of [`RULES`].

use super::super::rules::{AttributionRule, enabled};
use super::super::rules_de;
use super::context::Context;
use super::{Found, MAX_BYLINE_BYTES, Speaker, Word, is_capitalised, is_in, lower};
use crate::article::Lang;
use crate::text::TextRange;

/// Where a cue for one quote part may stand, found once for every rule.
pub(super) struct Around {
    /// The quote part, marks included.
    quote: TextRange,
    /// The text that may hold its cue ([`Context::sentence_span`]).
    sentence: TextRange,
    /// From the quote's end to the end of the sentence or the next quote.
    after: TextRange,
    /// From the sentence's start (or the previous quote's end) to the quote.
    before: TextRange,
    /// Where the quote part before it ends (0 for the first).
    previous_quote_end: usize,
    /// A quote broken off by a comma ("…,” he said) has its cue after it; a
    /// partial quote inside a report ("warned that … “…”") has it before.
    interrupted: bool,
}

/// One cue rule: its name and what it finds.
type CueRule = (AttributionRule, fn(&Context, &Around) -> Option<Found>);

/// The cue rules in order of trust: the first that finds a cue and a speaker
/// decides. A cue after an interrupted quote is trusted first; after any other
/// quote, a cue before it.
pub(super) const RULES: &[CueRule] = &[
    (AttributionRule::CueAfter, |cx, q| q.interrupted.then(|| cx.cue_after(q.after))?),
    (AttributionRule::CueBefore, |cx, q| cx.cue_before(q.before, q.sentence.start)),
    (AttributionRule::UnlistedVerbAfter, |cx, q| {
        q.interrupted.then(|| cx.unlisted_verb_after(q.after))?.map(Found::new(AttributionRule::UnlistedVerbAfter))
    }),
    (AttributionRule::CueAfter, |cx, q| (!q.interrupted).then(|| cx.cue_after(q.after))?),
    (AttributionRule::ClosingReport, |cx, q| {
        cx.closing_report(TextRange::new(q.quote.end, q.sentence.end.max(q.quote.end))).map(Found::new(AttributionRule::ClosingReport))
    }),
    (AttributionRule::CueBeforeEarlierQuote, |cx, q| {
        // He stated, “a,” “b”.
        let sentence = q.sentence;
        let found = (q.previous_quote_end > sentence.start)
            .then(|| cx.cue_before(TextRange::new(sentence.start, q.quote.start), sentence.start))?;
        found.map(|found| Found { rule: AttributionRule::CueBeforeEarlierQuote, ..found })
    }),
    (AttributionRule::HeadlineCue, |cx, q| cx.headline_cue(q.sentence, q.quote).map(Found::new(AttributionRule::HeadlineCue))),
    (AttributionRule::PossessedSpeechNoun, |cx, q| {
        cx.possessed_speech_noun(q.before).map(Found::new(AttributionRule::PossessedSpeechNoun))
    }),
    (AttributionRule::LineLabel, |cx, q| cx.line_label(q.quote).map(Found::new(AttributionRule::LineLabel))),
    (AttributionRule::Byline, |cx, q| cx.byline(q.quote).map(Found::new(AttributionRule::Byline))),
    (AttributionRule::DashByline, |cx, q| cx.dash_byline(q.quote).map(Found::new(AttributionRule::DashByline))),
];

impl Context<'_> {
    /// The cue and speaker for quote part `i`: the first of [`RULES`] that finds them.
    pub(super) fn cue_for(&self, i: usize) -> Option<Found> {
        let quote = self.quotes[i];
        let sentence = self.sentence_span(quote);
        let next_quote = self.quotes.get(i + 1).map_or(usize::MAX, |q| q.start);
        let after = TextRange::new(quote.end, sentence.end.min(next_quote).max(quote.end));
        let previous_quote_end = i.checked_sub(1).map_or(0, |j| self.quotes[j].end);
        let before = TextRange::new(sentence.start.max(previous_quote_end).min(quote.start), quote.start);
        let closing = super::super::without_closing_marks(&self.text[..quote.end]);
        let lead_in = self.text[before.start..before.end].trim_end();
        let direct_like = lead_in.is_empty() || lead_in.ends_with([',', ':']);
        // German "fragte: „…?“" keeps the cue before the quote (rules_de::introduced_by_colon).
        let interrupted =
            direct_like && closing.ends_with([',', '?', '!', '—', '–', '-', ':']) && !rules_de::introduced_by_colon(self.v.lang, lead_in);
        let around = Around { quote, sentence, after, before, previous_quote_end, interrupted };
        RULES.iter().filter(|(rule, _)| enabled(*rule)).find_map(|(_, find)| find(self, &around))
    }

    /// "“Be yourself.” ― Pamela Padilla", "«…» — Сергей Лавров": a dash and a
    /// name (maybe with an affiliation after a comma) closing the quote's line
    /// name its speaker; the dash is the cue.
    pub(super) fn dash_byline(&self, quote: TextRange) -> Option<(TextRange, Speaker)> {
        // A byline is short: read at most its length, never on to the end of a
        // long line from every quote (a line of 50,000 quotes was quadratic).
        let mut limit = (quote.end + MAX_BYLINE_BYTES).min(self.text.len());
        while !self.text.is_char_boundary(limit) {
            limit -= 1;
        }
        let line_end = match self.text[quote.end..limit].find('\n') {
            Some(i) => quote.end + i,
            None if limit == self.text.len() => limit,
            None => return None,
        };
        let rest = &self.text[quote.end..line_end];
        let lead = rest.len() - rest.trim_start().len();
        let dash = rest[lead..].chars().next().filter(|c| matches!(c, '―' | '—' | '–'))?;
        let dash = TextRange::new(quote.end + lead, quote.end + lead + dash.len_utf8());
        let name_end = self.text[dash.end..line_end].find([',', '(']).map_or(line_end, |i| dash.end + i);
        let ws = self.article.words(self.text, TextRange::new(dash.end, name_end));
        let name_like = (1..=5).contains(&ws.len())
            && ws.iter().all(|w| is_capitalised(w.1) || is_in(self.v.noun_phrase_links, w.1))
            && is_capitalised(ws[ws.len() - 1].1)
            && self.text[dash.end..ws[0].0.start].trim().is_empty();
        // Nothing but the byline after the name: at most an affiliation or a period.
        let tail = self.text[ws.last()?.0.end..line_end].trim();
        let ends_line = tail.is_empty() || tail == "." || tail.starts_with([',', '(']);
        (name_like && ends_line).then(|| (dash, self.speaker_for(TextRange::new(ws[0].0.start, ws[ws.len() - 1].0.end), false)))
    }

    /// "“…budgets.⏎Dean Baker, Center for Policy Research.”": a pull quote's
    /// byline, inside the closing mark, names its speaker; the mark is the cue, as
    /// in PolNeAR.
    pub(super) fn byline(&self, quote: TextRange) -> Option<(TextRange, Speaker)> {
        if !self.text[quote.end..].starts_with('\n') {
            return None;
        }
        let line_start = quote.end + 1;
        let line_end = self.text[line_start..].find('\n').map_or(self.text.len(), |i| line_start + i);
        let line = self.text[line_start..line_end].trim_end();
        let mark = line.char_indices().next_back().filter(|(_, c)| matches!(c, '”' | '"'))?;
        let mark = TextRange::new(line_start + mark.0, line_start + mark.0 + mark.1.len_utf8());
        let byline = super::super::pairing::byline_before(self.text, quote.start, mark.start)?;
        (byline.quote_end == quote.end).then(|| (mark, self.speaker_for(byline.name, false)))
    }

    /// "Okafor: Budget talks are ‘going nowhere’":
    /// a name and a colon opening the line (a headline or a transcript) label
    /// who speaks in it, whatever the case of the words after the colon.
    pub(super) fn line_label(&self, quote: TextRange) -> Option<(TextRange, Speaker)> {
        let line_start = self.line_start(quote.start);
        let colon = self.first_colon_before(line_start, quote.start)?;
        let label = TextRange::new(line_start, colon + 1);
        let words = self.article.words(self.text, label);
        if words.is_empty() || words.len() > 4 || is_in(self.v.determiners, words[0].1) {
            return None;
        }
        self.name_before_colon(label).map(|s| (TextRange::new(colon, colon + 1), s))
    }

    /// A speech act named by a noun whose possessor is its speaker: "his
    /// comments that he would be a “neutral guy”", "Cruz's criticism of “New York
    /// values”". The noun stands at most eight words before the quote, and the
    /// possessor at most three words before the noun ("her patronizing remark").
    pub(super) fn possessed_speech_noun(&self, before: TextRange) -> Option<(TextRange, Speaker)> {
        // Only the last dozen words matter: read no further back than 160 bytes.
        let mut from = before.end.saturating_sub(160).max(before.start);
        while !self.text.is_char_boundary(from) {
            from += 1;
        }
        let ws = self.article.words(self.text, TextRange::new(from, before.end));
        let n = ws.len();
        let k = (n.saturating_sub(9)..n).rev().find(|&k| is_in(self.v.speech_nouns, ws[k].1))?;
        // Sentence punctuation between noun and quote ends the noun phrase's reach.
        if self.text[ws[k].0.end..before.end].contains([';', ':', '(', ')']) {
            return None;
        }
        let cue = ws[k].0;
        for p in (k.saturating_sub(3)..k).rev() {
            let word = ws[p].1;
            if is_in(self.v.possessive_pronouns, word) {
                return Some((cue, self.speaker_for(ws[p].0, true)));
            }
            let lowered = lower(word);
            if let Some(stem) = lowered.strip_suffix("'s").filter(|_| is_capitalised(word)) {
                let end = ws[p].0.start + stem.len();
                if let Some(m) = self.mention_ending_at(ws[p].0.end) {
                    return Some((cue, Speaker { range: m.range, entity: Some(m.id.clone()), is_pronoun: false, kind: Some(m.kind) }));
                }
                // The name before the possessive, capitalised words leftwards.
                let mut q = p;
                while q > 0 && p - q < 3 && is_capitalised(ws[q - 1].1) && self.blank_or_abbreviation(ws[q - 1].0.end, ws[q].0.start) {
                    q -= 1;
                }
                return Some((cue, self.speaker_for(TextRange::new(ws[q].0.start, end), false)));
            }
            if is_in(self.v.stop_words, word) {
                return None;
            }
        }
        None
    }

    /// A headline capitalises every word, verbs included, so the cue lists (which
    /// take a capitalised word for a name) see no cue in it. In a sentence in
    /// headline case: "Lavrov: NATO Has ‘Gone Too Far’" (the name before the
    /// colon speaks), "Lavrov Calls Sanctions ‘Economic War’" (a cue word,
    /// whatever its case, after the subject).
    pub(super) fn headline_cue(&self, sentence: TextRange, quote: TextRange) -> Option<(TextRange, Speaker)> {
        let before = TextRange::new(sentence.start.min(quote.start), quote.start);
        // Cheap test first: most sentences have a lower-case word among their first.
        let lower_case_word = |w: &str| {
            let w = w.trim_start_matches(|c: char| !c.is_alphanumeric());
            w.starts_with(char::is_lowercase) && !is_in(self.v.headline_small_words, w.trim_end_matches(|c: char| !c.is_alphanumeric()))
        };
        let head = &self.text[before.start..before.end];
        // (Words inside an earlier quote do not count: with marks, take the long way.)
        if !head.contains(['“', '”', '‘', '’', '"', '\'']) && head.split_whitespace().any(lower_case_word) {
            return None;
        }
        let ws: Vec<Word> = self.article.words(self.text, before).into_iter().filter(|w| !self.inside_quote(w.0.start)).collect();
        if ws.is_empty() || ws.len() > 16 || !ws.iter().all(|w| is_capitalised(w.1) || is_in(self.v.headline_small_words, w.1)) {
            return None;
        }
        let head = &self.text[before.start..before.end];
        if let Some(colon) = head.find(':') {
            let name = TextRange::new(before.start, before.start + colon + 1);
            return self.name_before_colon(name).map(|s| (TextRange::new(name.end - 1, name.end), s));
        }
        let lowered: Vec<String> = ws.iter().map(|w| lower(w.1)).collect();
        let names: Vec<&str> = lowered.iter().map(String::as_str).collect();
        let i = (1..names.len()).find(|&i| self.cues.any_cue_at(&names, i).is_some())?;
        let len = self.cues.any_cue_at(&names, i)?;
        let cue = TextRange::new(ws[i].0.start, ws[i + len - 1].0.end);
        self.subject_before(TextRange::new(before.start, ws[i].0.start)).map(|s| (cue, s))
    }

    /// A cue word used as a noun ("his remarks", "Rubio's claims", "the alleged",
    /// "a request for").
    pub(super) fn is_noun_use(&self, ws: &[Word], i: usize) -> bool {
        let previous = i.checked_sub(1).and_then(|p| ws.get(p)).map(|w| w.1);
        let after_determiner = previous.is_some_and(|p| {
            let p = lower(p);
            // "Trump's statement", but not "he's saying".
            let contraction = p.strip_suffix("'s").is_some_and(|base| self.v.contracted_is_subjects.contains(&base));
            self.v.determiners.contains(&p.as_str()) || (p.ends_with("'s") && !contraction)
        });
        let after_subject = previous.is_some_and(|p| is_in(self.v.pronouns, p) || is_in(self.v.relatives, p) || is_capitalised(p));
        // Right after a quote ("…,” reads the sign) a cue has no subject before it.
        after_determiner || (i > 0 && is_in(self.v.noun_like_cues, ws[i].1) && !after_subject)
    }

    /// "was quoted as saying", "is described as": no subject speaks.
    pub(super) fn is_passive(&self, ws: &[Word], i: usize) -> bool {
        let mut j = i;
        while j > 0 && is_in(self.v.skipped_before_verb, ws[j - 1].1) && !is_in(self.v.be_auxiliaries, ws[j - 1].1) {
            j -= 1;
        }
        j > 0 && is_in(self.v.be_auxiliaries, ws[j - 1].1) && !ws[i].1.ends_with("ing")
    }

    /// A cue after the quote: “…,” Lavrov said / said Lavrov / Flynn, a Trump surrogate, said.
    pub(super) fn cue_after(&self, after: TextRange) -> Option<Found> {
        let ws = self.article.words(self.text, after);
        let names: Vec<&str> = ws.iter().map(|w| w.1).collect();
        if enabled(AttributionRule::HyphenatedPronoun)
            && let Some(found) = self.hyphenated_pronoun(&ws, &names)
        {
            return Some(Found::new(AttributionRule::HyphenatedPronoun)(found));
        }
        for i in 0..names.len().min(16) {
            let Some(len) = self.cues.speech_cue_at(&names, i) else { continue };
            if self.is_noun_use(&ws, i) || self.is_passive(&ws, i) {
                continue;
            }
            // A participle after a quote ("…, urging Russia") describes the
            // quote's subject, not a new speaker. "according to X" names one.
            if names[i].ends_with("ing") && !self.speaker_follows(names[i]) {
                return None;
            }
            let cue = TextRange::new(ws[i].0.start, ws[i + len - 1].0.end);
            let gap = TextRange::new(after.start, ws[i].0.start);
            let speaker = if i == 0 {
                self.speaker_after(&ws[len..])
            } else if self.speaker_follows(names[i])
                || rules_de::verb_after_comma_precedes_its_subject(self.v.lang, &self.text[after.start..ws[i].0.start])
            {
                // "… level, according to an official", German ", sagte X": the speaker follows.
                self.speaker_after(&ws[i + len..])
            } else if self.looks_like_subject(&ws[..i]) || ws[i - 1].1.chars().next().is_some_and(char::is_uppercase) {
                // "…,” as his father dreamed, Mr. Turry said: a name right before the cue.
                self.subject_before(gap)
            } else {
                // "…” for Clinton, said Kunin. A lower-case word there is an
                // object ("and said little"), not a speaker.
                ws.get(i + len)
                    .filter(|w| is_capitalised(w.1) || is_in(self.v.determiners, w.1))
                    .and_then(|_| self.speaker_after(&ws[i + len..]))
            };
            return speaker.map(|speaker| Found { cue, speaker, rule: AttributionRule::CueAfter });
        }
        None
    }

    /// "« … », a-t-il précisé", "ajoute-t-elle", "dit-il": French inverts the
    /// subject pronoun after a quote, glued to the verb by hyphens; the pronoun
    /// speaks, and the cue is the verb before it or the participle after it.
    pub(super) fn hyphenated_pronoun(&self, ws: &[Word], names: &[&str]) -> Option<(TextRange, Speaker)> {
        if self.v.lang != Lang::Fr {
            return None;
        }
        let glued = |k: usize| &self.text[ws[k - 1].0.end..ws[k].0.start] == "-";
        let p = (1..ws.len().min(4)).take_while(|&k| glued(k)).find(|&k| is_in(self.v.pronouns, names[k]))?;
        let cue = if self.cues.speech_cue_at(names, 0).is_some() {
            ws[0].0
        } else if p + 1 < ws.len() && self.cues.speech_cue_at(names, p + 1).is_some() {
            ws[p + 1].0
        } else {
            return None;
        };
        Some((cue, self.speaker_for(ws[p].0, true)))
    }

    /// A report that closes the sentence after a comma covers all of it, quotes
    /// before it included: "… “lasting relief” to farmers in the north,
    /// the ministry says.", "…, he told reporters.", "…, according to her memoir.",
    /// "…, said Anna Berg, a farm economist.".
    pub(super) fn closing_report(&self, after: TextRange) -> Option<(TextRange, Speaker)> {
        let tail = self.text[after.start..after.end].trim_end();
        let body = tail.trim_end_matches(['”', '"', '’', '\'', ')']).trim_end();
        if !body.ends_with(['.', '!', '?']) {
            return None;
        }
        let body_end = after.start + body.len();
        // The last two commas: the report, or the report and an appositive.
        let commas: Vec<usize> = self.text[after.start..body_end].match_indices(',').map(|(i, _)| after.start + i).collect();
        for &comma in commas.iter().rev().take(2) {
            let clause = TextRange::new(comma + 1, body_end);
            if self.inside_quote(comma) || self.text[clause.start..clause.end].contains(['“', '”', '"']) {
                return None;
            }
            if let Some(found) = self.report_clause(clause) {
                return Some(found);
            }
        }
        None
    }

    /// A clause that is only a report: "the ministry says", "he told reporters",
    /// "according to her memoir", "said Anna Berg, a farm economist".
    pub(super) fn report_clause(&self, clause: TextRange) -> Option<(TextRange, Speaker)> {
        let ws = self.article.words(self.text, clause);
        let names: Vec<&str> = ws.iter().map(|w| w.1).collect();
        if names.is_empty() || names.len() > 12 {
            return None;
        }
        let i = (0..names.len().min(6)).find(|&i| self.cues.speech_cue_at(&names, i).is_some())?;
        let len = self.cues.speech_cue_at(&names, i)?;
        let cue = TextRange::new(ws[i].0.start, ws[i + len - 1].0.end);
        // "told Radio Nord": after "tell" comes the listener, not the speaker.
        if i == 0 && is_in(self.v.tell_forms, names[i]) {
            return None;
        }
        if self.speaker_follows(names[i]) || (i == 0 && !names[i].ends_with("ing")) {
            // "according to X", "said X": the speaker follows, before any comma.
            let rest = &ws[i + len..];
            let stop =
                rest.iter().position(|w| self.text[clause.start..w.0.start].contains(',') && w.0.start > cue.end).unwrap_or(rest.len());
            return (i == 0).then(|| self.speaker_after(&rest[..stop])).flatten().map(|s| (cue, s));
        }
        // Subject, cue and at most a short object ("told reporters"): no more.
        if ws.len() - (i + len) > 3
            || self.text[cue.end..clause.end].contains(',')
            || self.is_noun_use(&ws, i)
            || self.is_passive(&ws, i)
            || names[i].ends_with("ing")
        {
            return None;
        }
        self.subject_before(TextRange::new(clause.start, ws[i].0.start)).map(|s| (cue, s))
    }

    /// "“…?” Beck questioned." / "“…,” remembered Roy Verley": right after an
    /// interrupted quote, a name and a past-tense verb attribute it even when the
    /// verb is not in the cue list.
    pub(super) fn unlisted_verb_after(&self, after: TextRange) -> Option<(TextRange, Speaker)> {
        let ws = self.article.words(self.text, after);
        let past_tense = |w: &str| !is_capitalised(w) && w.ends_with("ed") && !is_in(self.v.stop_words, w);
        let cue = |w: &Word| TextRange::new(w.0.start, w.0.end);
        if ws.len() >= 2 && past_tense(ws[0].1) && (is_capitalised(ws[1].1) || is_in(self.v.determiners, ws[1].1)) {
            return self.speaker_after(&ws[1..]).map(|s| (cue(&ws[0]), s));
        }
        let verb = (1..ws.len().min(9)).find(|&v| past_tense(ws[v].1))?;
        if !self.looks_like_subject(&ws[..verb])
            || ws[..verb].iter().any(|w| is_in(self.v.stop_words, w.1) && !is_in(self.v.determiners, w.1))
        {
            return None;
        }
        self.subject_before(TextRange::new(after.start, ws[verb].0.start)).map(|s| (cue(&ws[verb]), s))
    }

    /// The words between a quote and its cue open with a noun phrase.
    pub(super) fn looks_like_subject(&self, ws: &[Word]) -> bool {
        let Some(&(range, first)) = ws.first() else { return false };
        is_capitalised(first)
            || is_in(self.v.pronouns, first)
            || is_in(self.v.determiners, first)
            || self.mention_starting_at(range.start).is_some()
            || !is_in(self.v.stop_words, first)
    }

    /// A cue before the quote: Lavrov warned that … “…” / He added: “…” / according to X.
    pub(super) fn cue_before(&self, before: TextRange, sentence_start: usize) -> Option<Found> {
        if enabled(AttributionRule::NameBeforeColon)
            && let Some(speaker) = self.name_before_colon(before)
        {
            return Some(Found { cue: TextRange::new(before.end, before.end), speaker, rule: AttributionRule::NameBeforeColon });
        }
        let ws = self.article.words(self.text, before);
        let names: Vec<&str> = ws.iter().map(|w| w.1).collect();
        let Some(nearest) = (0..names.len()).rev().find(|&i| self.is_usable_cue(&ws, &names, i)) else {
            if !enabled(AttributionRule::ColonIntroduces) {
                return None;
            }
            return self.colon_introduces(before, sentence_start).map(Found::new(AttributionRule::ColonIntroduces));
        };
        // "with Lavrov acknowledging “…”" is a report of its own, whatever the
        // sentence around it says.
        let own_subject = nearest > 0
            && (is_in(self.v.pronouns, names[nearest - 1]) || (names[nearest].ends_with("ing") && is_capitalised(names[nearest - 1])));
        if self.cues.naming_cue_at(&names, nearest).is_none() && !own_subject {
            // Only the outermost report counts, as in PolNeAR: in "the NATO chief
            // outlined areas where NATO sees “…”" the chief speaks.
            let outermost = (0..nearest)
                .filter(|&i| {
                    self.is_usable_cue(&ws, &names, i) && self.cues.speech_cue_at(&names, i).is_some() && !self.is_aside(ws[i].0.end)
                })
                .find_map(|i| self.cue_speaker(&ws, &names, i, sentence_start));
            if outermost.is_some() {
                return outermost;
            }
        }
        self.cue_speaker(&ws, &names, nearest, sentence_start).or_else(|| {
            // "Okafor is celebrating a win in the so-called “X”": when the
            // nearest cue names no speaker, an earlier report may.
            (0..nearest)
                .rev()
                .filter(|&i| self.is_usable_cue(&ws, &names, i) && self.cues.speech_cue_at(&names, i).is_some())
                .find_map(|i| self.cue_speaker(&ws, &names, i, sentence_start))
        })
    }

    /// A reporting aside between commas ("…, Costa reported, his wife said"):
    /// the cue is followed by a comma and more of the sentence.
    pub(super) fn is_aside(&self, cue_end: usize) -> bool {
        self.text[cue_end..].trim_start().starts_with(',')
    }

    /// "Kaine has adopted the stance: “…”": a colon right before a quote, with no
    /// cue, introduces the words of the sentence's subject.
    pub(super) fn colon_introduces(&self, before: TextRange, sentence_start: usize) -> Option<(TextRange, Speaker)> {
        let lead = self.text[before.start..before.end].trim_end();
        if !lead.ends_with(':') {
            return None;
        }
        let colon = before.start + lead.len() - 1;
        let clause = TextRange::new(sentence_start.min(colon), colon);
        self.sentence_subject(clause).map(|s| (TextRange::new(colon, colon + 1), s))
    }

    pub(super) fn is_usable_cue(&self, ws: &[Word], names: &[&str], i: usize) -> bool {
        self.cues.any_cue_at(names, i).is_some()
            && !self.is_noun_use(ws, i)
            && (!is_in(self.v.after_quote_only, names[i]) || self.text[ws[i].0.end..].starts_with([',', ':']))
            && !self.inside_quote(ws[i].0.start)
    }

    /// The speaker of the cue at `ws[i]`, before a quote.
    pub(super) fn cue_speaker(&self, ws: &[Word], names: &[&str], i: usize, sentence_start: usize) -> Option<Found> {
        self.cue_speaker_and_rule(ws, names, i, sentence_start).map(|(cue, speaker, rule)| Found { cue, speaker, rule })
    }

    /// [`Self::cue_speaker`], as a triple.
    fn cue_speaker_and_rule(
        &self,
        ws: &[Word],
        names: &[&str],
        i: usize,
        sentence_start: usize,
    ) -> Option<(TextRange, Speaker, AttributionRule)> {
        let found = |(cue, speaker): (TextRange, Speaker)| (cue, speaker, AttributionRule::CueBefore);
        let len = self.cues.any_cue_at(names, i)?;
        let cue = TextRange::new(ws[i].0.start, ws[i + len - 1].0.end);
        if self.speaker_follows(names[i]) {
            return self.speaker_after(&ws[i + len..]).map(|s| (cue, s)).map(found);
        }
        if self.is_passive(ws, i) {
            // "was asked by host Bill Maher, “…”": the agent speaks.
            let by_agent = ws.get(i + len).is_some_and(|w| w.1 == "by");
            return by_agent.then(|| self.speaker_after(&ws[i + len + 1..])).flatten().map(|s| (cue, s)).map(found);
        }
        let naming = self.cues.naming_cue_at(names, i).is_some();
        let so_called = i > 0 && names[i - 1].eq_ignore_ascii_case("so") && self.text[ws[i - 1].0.end..ws[i].0.start].trim() == "-";
        if naming && so_called {
            return None;
        }
        // "explained CBS moderator Nancy Cordes: “…”": the speaker follows the cue.
        let rest = &ws[i + len..];
        if !naming
            && rest.first().is_some_and(|w| is_capitalised(w.1))
            && rest.len() <= 8
            && self.text[rest[rest.len() - 1].0.end..].trim_start().starts_with(':')
        {
            return self.speaker_after(rest).map(|s| (cue, s)).map(found);
        }
        if enabled(AttributionRule::VerbSecondSubject)
            && let Some(subject) = self.verb_second_subject(ws, i, len)
        {
            return Some((cue, subject, AttributionRule::VerbSecondSubject));
        }
        // The subject never lies inside an earlier quote of the sentence.
        let clause_start = self.quote_end_before(cue.start).map_or(sentence_start, |e| e.max(sentence_start)).min(cue.start);
        if clause_start > sentence_start && self.blank_between(clause_start, cue.start) {
            // "…,” said Weaver: an inverted cue belongs to the quote before it.
            return self.speaker_after(rest).map(|s| (cue, s)).map(found);
        }
        let clause = TextRange::new(clause_start, cue.start);
        let speaker = self.subject_of_cue(clause, names[i]).or_else(|| {
            // "Trump said “…” and added that “…”": the sentence's subject, unless
            // the sentence opens with a quote.
            let whole = TextRange::new(sentence_start.min(cue.start), cue.start);
            (clause_start > sentence_start && !self.inside_quote(sentence_start)).then(|| self.subject_of_cue(whole, names[i]))?
        });
        if naming && !self.names_its_speaker(speaker.as_ref(), &ws[i + len..]) {
            // "a group called the “X”", "so-called": a label, not a speaker's words.
            return None;
        }
        speaker.map(|s| (cue, s)).map(found)
    }

    /// "Am Montag äußerte sich Vatikansprecher Navarro-Valls: „…“", "In einem
    /// Interview sagte der Minister: „…“": German puts the verb second, so when
    /// an adverbial opens the sentence the subject follows the verb (past
    /// "sich" and adverbs of `skipped_before_verb`).
    pub(super) fn verb_second_subject(&self, ws: &[Word], i: usize, len: usize) -> Option<Speaker> {
        if self.v.lang != Lang::De || i == 0 {
            return None;
        }
        if !is_in(self.v.introducers, ws[0].1) && !rules_de::opens_with_fronted_phrase(self.v.lang, ws[0].1) {
            return None;
        }
        let rest = &ws[i + len..];
        let skip =
            rest.iter().take(3).take_while(|w| w.1 == "sich" || (!is_capitalised(w.1) && is_in(self.v.skipped_before_verb, w.1))).count();
        let first = rest.get(skip)?;
        (is_in(self.v.determiners, first.1) || is_in(self.v.pronouns, first.1) || is_capitalised(first.1))
            .then(|| self.speaker_after(&rest[skip..]))?
    }

    /// A naming verb reports someone's words when its subject is a name or a
    /// pronoun ("what he called", "Bush called Trump “unhinged”"), or when an
    /// object stands between it and the quote; right after a common noun it is a
    /// participle ("a website called “X”").
    pub(super) fn names_its_speaker(&self, speaker: Option<&Speaker>, after_cue: &[Word]) -> bool {
        let Some(speaker) = speaker else { return false };
        let head = self.article.words(self.text, speaker.range).last().map(|w| w.1).unwrap_or_default();
        let named = speaker.is_pronoun || speaker.entity.is_some() || is_capitalised(head);
        let object_between = after_cue.iter().filter(|w| !is_in(self.v.determiners, w.1)).count() > 0;
        named || object_between
    }

    /// "Pollsters agree - Carl Bialik: “…”": a name standing alone before a colon
    /// introduces its quote ("told the OSCE:" does not: a verb comes first).
    pub(super) fn name_before_colon(&self, before: TextRange) -> Option<Speaker> {
        let head = self.text[before.start..before.end].trim_end();
        let head = head.strip_suffix(':')?;
        let span = TextRange::new(before.start, before.start + head.len());
        let ws = self.article.words(self.text, span);
        let &(last, word) = ws.last()?;
        if !is_capitalised(word) && !is_in(self.v.pronouns, word) {
            return None;
        }
        let mut k = ws.len() - 1;
        while k > 0 && ws.len() - k < 5 && is_capitalised(ws[k - 1].1) && self.blank_or_abbreviation(ws[k - 1].0.end, ws[k].0.start) {
            k -= 1;
        }
        // The name must stand alone: nothing before it, or a dash or ellipsis.
        let lead = self.text[before.start..ws[k].0.start].trim_end();
        let alone = lead.is_empty() || lead.ends_with(['—', '–', '-', '…', '.', ':', ')']);
        alone.then(|| self.speaker_for(TextRange::new(ws[k].0.start, last.end), is_in(self.v.pronouns, word)))
    }
}
