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
//! Speakers are reported as the mention that attributes the quote (a pronoun
//! stays a pronoun), with the KB entity of the mention or of a pronoun's
//! antecedent. Nothing here scans all mentions or quotes per quote: lookups are
//! binary searches over sorted ranges.

use super::cues::CueIndex;
use super::rules_de;
use super::sentences::Sentences;
use super::vocabulary::Vocabulary;
use super::{MovedQuote, QuoteSpan, SpeakerMention};
use crate::analysis::Mention;
use crate::article::{Article, Lang};
use crate::kb::EntryKind;
use crate::text::{TextMove, TextRange};

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

struct Context<'a> {
    text: &'a str,
    article: &'a Article,
    sentences: &'a Sentences,
    /// KB mentions sorted by start.
    mentions: &'a [Mention],
    cues: &'a CueIndex,
    /// The word lists of the article's language.
    v: &'static Vocabulary,
    /// Quote ranges in text order.
    quotes: Vec<TextRange>,
    /// Where each line starts, and the first colon of each line looked at:
    /// found once, not by reading back from every quote to its line's start
    /// (an article of one line of several MB held thousands of quotes).
    lines: LineColons,
}

#[derive(Default)]
struct LineColons {
    starts: std::cell::OnceCell<Vec<usize>>,
    first_colon: std::cell::RefCell<rustc_hash::FxHashMap<usize, Option<usize>>>,
}

impl Context<'_> {
    /// The start of the line holding byte `offset`.
    fn line_start(&self, offset: usize) -> usize {
        let starts = self
            .lines
            .starts
            .get_or_init(|| std::iter::once(0).chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1)).collect());
        starts[starts.partition_point(|&s| s <= offset) - 1]
    }

    /// The first colon of the line starting at `line_start`, before `limit`.
    fn first_colon_before(&self, line_start: usize, limit: usize) -> Option<usize> {
        let colon = *self.lines.first_colon.borrow_mut().entry(line_start).or_insert_with(|| {
            let line = &self.text.as_bytes()[line_start..];
            let line = &line[..memchr::memchr(b'\n', line).unwrap_or(line.len())];
            memchr::memchr(b':', line).map(|i| line_start + i)
        });
        colon.filter(|&c| c < limit)
    }
}

/// What attribution found paragraph by paragraph, kept so that the analysis
/// after an edit can carry it over for paragraphs the edit left alone.
#[derive(Debug, Default)]
pub(crate) struct AttributionFacts {
    /// The speech events of each paragraph, in the order found.
    events: Vec<Vec<Speaker>>,
    /// The cue in each quote part's own sentence, by quote part.
    direct: Vec<Option<(TextRange, Speaker)>>,
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

    fn direct(&self, i: usize) -> Option<Option<(TextRange, Speaker)>> {
        let moved = self.moved_quotes.get(i).copied().flatten()?;
        let found = self.facts.direct.get(moved.old_index)?;
        if let Some((cue, speaker)) = found
            && !(moved.old_paragraph.contains_range(*cue) && moved.old_paragraph.contains_range(speaker.range))
        {
            return None;
        }
        let forward = moved.forward;
        Some(found.as_ref().map(|(cue, speaker)| (forward.apply(*cue), Speaker { range: forward.apply(speaker.range), ..speaker.clone() })))
    }
}

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
    let direct: Vec<Option<(TextRange, Speaker)>> =
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
        if let Some((cue, speaker)) = &direct[i] {
            let resolved = cx.resolve(speaker.clone(), &events);
            quotes[i].cue = Some(*cue);
            quotes[i].candidates = vec![resolved.clone()];
            quotes[i].speaker = Some(resolved);
            quotes[i].via = Some(AttributionVia::Cue);
            continue;
        }
        if let Some(j) = same_utterance[i] {
            let (cue, speaker) = direct[j].clone().expect("chosen for its cue");
            quotes[i].speaker = Some(cx.resolve(speaker, &events));
            quotes[i].cue = Some(cue);
            quotes[i].via = Some(AttributionVia::SameUtterance);
            continue;
        }
        if let Some((speakers, via)) = cx.inherited_speakers(quotes, i, &events).or_else(|| cx.reported_speech_speaker(quotes, i, &events))
        {
            quotes[i].ambiguous = speakers.len() > 1;
            quotes[i].speaker = speakers.first().cloned();
            quotes[i].candidates = speakers;
            quotes[i].via = Some(via);
            continue;
        }
        // "calling the mayor a “liar” who was not “honorable”": quoted words
        // later in a sentence whose earlier quote has a speaker are that
        // speaker's too.
        if let Some(j) = i.checked_sub(1)
            && matches!(quotes[j].via, Some(AttributionVia::Cue | AttributionVia::SameUtterance))
            && cx.sentences.index_at(quotes[j].range.start).is_some()
            && cx.sentences.index_at(quotes[j].range.start) == cx.sentences.index_at(quotes[i].range.start)
        {
            quotes[i].speaker = quotes[j].speaker.clone();
            quotes[i].cue = quotes[j].cue;
            quotes[i].via = Some(AttributionVia::SameUtterance);
        }
    }
    AttributionFacts { events: paragraph_events, direct }
}

/// For each quote, the nearest other part of its utterance that has a cue of
/// its own. Parts of an utterance are adjacent in text order; the part before
/// is preferred. Found in one pass each way: searching from every quote read
/// the whole utterance each time (50,000 quotes in one utterance: quadratic).
fn same_utterance_with_cue(quotes: &[QuoteSpan], direct: &[Option<(TextRange, Speaker)>]) -> Vec<Option<usize>> {
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

impl Context<'_> {
    // ------------------------------------------------------------ lookups

    /// A cue after which the speaker follows: "according to X", "laut X",
    /// "selon X", "по словам X", "за словами X".
    fn speaker_follows(&self, word: &str) -> bool {
        is_in(self.v.speaker_follows, word)
    }

    /// A KB mention ending at `end`, or just before a possessive `’s` ending there.
    fn mention_ending_at(&self, end: usize) -> Option<&Mention> {
        let i = self.mentions.partition_point(|m| m.range.start < end);
        self.mentions[..i].iter().rev().take(4).find(|m| {
            m.range.end == end || (m.range.end < end && self.text[m.range.end..end].trim_start_matches(['’', '\'', 's']).is_empty())
        })
    }

    fn mention_starting_at(&self, start: usize) -> Option<&Mention> {
        let i = self.mentions.partition_point(|m| m.range.start < start);
        self.mentions.get(i).filter(|m| m.range.start == start)
    }

    /// The last person mentioned inside `range`.
    fn person_inside(&self, range: TextRange) -> Option<&Mention> {
        let end = self.mentions.partition_point(|m| m.range.start < range.end);
        self.mentions[..end]
            .iter()
            .rev()
            .take_while(|m| m.range.start >= range.start)
            .find(|m| range.contains_range(m.range) && m.kind == EntryKind::Person)
    }

    fn inside_quote(&self, offset: usize) -> bool {
        let i = self.quotes.partition_point(|q| q.end <= offset);
        self.quotes.get(i).is_some_and(|q| q.start <= offset)
    }

    /// End of the last quote ending at or before `offset`, if any.
    fn quote_end_before(&self, offset: usize) -> Option<usize> {
        let i = self.quotes.partition_point(|q| q.end <= offset);
        i.checked_sub(1).map(|j| self.quotes[j].end)
    }

    fn paragraph_start(&self, offset: usize) -> Option<usize> {
        self.article.paragraph_at(offset).map(|p| self.article.paragraphs[p].range.start)
    }

    /// The text between two offsets holds nothing but white space.
    fn blank_between(&self, a: usize, b: usize) -> bool {
        a >= b || self.text[a..b].trim().is_empty()
    }

    // ------------------------------------------------------------ sentences

    /// The text around quote `i` that may hold its cue: from the start of the
    /// sentence holding its opening to the end of the sentence holding its close.
    /// A quote ending in a comma, question mark or dash runs on into the next
    /// segment ("…?” he asked.): the segmenter may have split them.
    fn sentence_span(&self, quote: TextRange) -> TextRange {
        let start = self.sentences.at(quote.start).map_or(quote.start, |s| s.start.min(quote.start));
        let Some(index) = self.sentences.index_at(quote.end.saturating_sub(1)) else { return TextRange::new(start, quote.end) };
        let sentence = self.sentences.get(index).expect("index from lookup");
        let mut end = sentence.end.max(quote.end);
        if self.blank_between(quote.end, end)
            && let Some(next) = self.sentences.get(index + 1)
            && self.paragraph_start(next.start) == self.paragraph_start(quote.start)
        {
            let closing = super::without_closing_marks(&self.text[..quote.end]);
            let runs_on = closing.ends_with([',', '?', '!', '—', '–', '-'])
                || self.text[next.start..].starts_with(char::is_lowercase)
                || (self.blank_between(start, quote.start) && self.is_short_attribution(next));
            if runs_on {
                end = next.end;
            }
        }
        TextRange::new(start, end)
    }

    /// "“… missing.” Trump said on Wednesday.": a short sentence with a cue among
    /// its first words and no quote of its own attributes the quote before it.
    fn is_short_attribution(&self, sentence: TextRange) -> bool {
        let ws = self.article.words(self.text, sentence);
        let names: Vec<&str> = ws.iter().map(|w| w.1).collect();
        ws.len() <= 12
            && !self.inside_quote(sentence.start)
            && self.quote_end_before(sentence.end).is_none_or(|e| e <= sentence.start)
            && (0..ws.len().min(5)).any(|i| self.cues.speech_cue_at(&names, i).is_some())
    }

    // ------------------------------------------------------------ cues

    /// The cue and speaker for quote part `i`.
    fn cue_for(&self, i: usize) -> Option<(TextRange, Speaker)> {
        let quote = self.quotes[i];
        let sentence = self.sentence_span(quote);
        let next_quote = self.quotes.get(i + 1).map_or(usize::MAX, |q| q.start);
        let after = TextRange::new(quote.end, sentence.end.min(next_quote).max(quote.end));
        let previous_quote_end = i.checked_sub(1).map_or(0, |j| self.quotes[j].end);
        let before = TextRange::new(sentence.start.max(previous_quote_end).min(quote.start), quote.start);
        // A quote broken off by a comma ("…,” he said) has its cue after it; a
        // partial quote inside a report ("warned that … “…”") has it before.
        let closing = super::without_closing_marks(&self.text[..quote.end]);
        let lead_in = self.text[before.start..before.end].trim_end();
        let direct_like = lead_in.is_empty() || lead_in.ends_with([',', ':']);
        let interrupted =
            direct_like && closing.ends_with([',', '?', '!', '—', '–', '-', ':']) && !rules_de::introduced_by_colon(self.v.lang, lead_in);
        let found = if interrupted {
            self.cue_after(after).or_else(|| self.cue_before(before, sentence.start)).or_else(|| self.unlisted_verb_after(after))
        } else {
            self.cue_before(before, sentence.start).or_else(|| self.cue_after(after))
        };
        found
            .or_else(|| self.closing_report(TextRange::new(quote.end, sentence.end.max(quote.end))))
            .or_else(|| {
                // A cue before an earlier quote of the same sentence: He stated, “a,” “b”.
                (previous_quote_end > sentence.start)
                    .then(|| self.cue_before(TextRange::new(sentence.start, quote.start), sentence.start))?
            })
            .or_else(|| self.headline_cue(sentence, quote))
            .or_else(|| self.possessed_speech_noun(before))
            .or_else(|| self.line_label(quote))
            .or_else(|| self.byline(quote))
            .or_else(|| self.dash_byline(quote))
    }

    /// "“Be yourself.” ― Pamela Padilla", "«…» — Сергей Лавров": a dash and a
    /// name (maybe with an affiliation after a comma) closing the quote's line
    /// name its speaker; the dash is the cue.
    fn dash_byline(&self, quote: TextRange) -> Option<(TextRange, Speaker)> {
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
    fn byline(&self, quote: TextRange) -> Option<(TextRange, Speaker)> {
        if !self.text[quote.end..].starts_with('\n') {
            return None;
        }
        let line_start = quote.end + 1;
        let line_end = self.text[line_start..].find('\n').map_or(self.text.len(), |i| line_start + i);
        let line = self.text[line_start..line_end].trim_end();
        let mark = line.char_indices().next_back().filter(|(_, c)| matches!(c, '”' | '"'))?;
        let mark = TextRange::new(line_start + mark.0, line_start + mark.0 + mark.1.len_utf8());
        let byline = super::pairing::byline_before(self.text, quote.start, mark.start)?;
        (byline.quote_end == quote.end).then(|| (mark, self.speaker_for(byline.name, false)))
    }

    /// "Okafor: Budget talks are ‘going nowhere’":
    /// a name and a colon opening the line (a headline or a transcript) label
    /// who speaks in it, whatever the case of the words after the colon.
    fn line_label(&self, quote: TextRange) -> Option<(TextRange, Speaker)> {
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
    fn possessed_speech_noun(&self, before: TextRange) -> Option<(TextRange, Speaker)> {
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
    fn headline_cue(&self, sentence: TextRange, quote: TextRange) -> Option<(TextRange, Speaker)> {
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
    fn is_noun_use(&self, ws: &[Word], i: usize) -> bool {
        let previous = i.checked_sub(1).and_then(|p| ws.get(p)).map(|w| w.1);
        let after_determiner = previous.is_some_and(|p| {
            let p = lower(p);
            // "Trump's statement", but not "he's saying".
            let contraction = p.strip_suffix("'s").is_some_and(|base| matches!(base, "he" | "she" | "it" | "that" | "who" | "there"));
            self.v.determiners.contains(&p.as_str()) || (p.ends_with("'s") && !contraction)
        });
        let after_subject = previous.is_some_and(|p| is_in(self.v.pronouns, p) || is_in(self.v.relatives, p) || is_capitalised(p));
        // Right after a quote ("…,” reads the sign) a cue has no subject before it.
        after_determiner || (i > 0 && is_in(self.v.noun_like_cues, ws[i].1) && !after_subject)
    }

    /// "was quoted as saying", "is described as": no subject speaks.
    fn is_passive(&self, ws: &[Word], i: usize) -> bool {
        let mut j = i;
        while j > 0 && is_in(self.v.skipped_before_verb, ws[j - 1].1) && !is_in(self.v.be_auxiliaries, ws[j - 1].1) {
            j -= 1;
        }
        j > 0 && is_in(self.v.be_auxiliaries, ws[j - 1].1) && !ws[i].1.ends_with("ing")
    }

    /// A cue after the quote: “…,” Lavrov said / said Lavrov / Flynn, a Trump surrogate, said.
    fn cue_after(&self, after: TextRange) -> Option<(TextRange, Speaker)> {
        let ws = self.article.words(self.text, after);
        let names: Vec<&str> = ws.iter().map(|w| w.1).collect();
        if let Some(found) = self.hyphenated_pronoun(&ws, &names) {
            return Some(found);
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
                // "… level, according to an official": the speaker follows.
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
            return speaker.map(|s| (cue, s));
        }
        None
    }

    /// "« … », a-t-il précisé", "ajoute-t-elle", "dit-il": French inverts the
    /// subject pronoun after a quote, glued to the verb by hyphens; the pronoun
    /// speaks, and the cue is the verb before it or the participle after it.
    fn hyphenated_pronoun(&self, ws: &[Word], names: &[&str]) -> Option<(TextRange, Speaker)> {
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
    fn closing_report(&self, after: TextRange) -> Option<(TextRange, Speaker)> {
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
    fn report_clause(&self, clause: TextRange) -> Option<(TextRange, Speaker)> {
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
    fn unlisted_verb_after(&self, after: TextRange) -> Option<(TextRange, Speaker)> {
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
    fn looks_like_subject(&self, ws: &[Word]) -> bool {
        let Some(&(range, first)) = ws.first() else { return false };
        is_capitalised(first)
            || is_in(self.v.pronouns, first)
            || is_in(self.v.determiners, first)
            || self.mention_starting_at(range.start).is_some()
            || !is_in(self.v.stop_words, first)
    }

    /// A cue before the quote: Lavrov warned that … “…” / He added: “…” / according to X.
    fn cue_before(&self, before: TextRange, sentence_start: usize) -> Option<(TextRange, Speaker)> {
        if let Some(speaker) = self.name_before_colon(before) {
            return Some((TextRange::new(before.end, before.end), speaker));
        }
        let ws = self.article.words(self.text, before);
        let names: Vec<&str> = ws.iter().map(|w| w.1).collect();
        let Some(nearest) = (0..names.len()).rev().find(|&i| self.is_usable_cue(&ws, &names, i)) else {
            return self.colon_introduces(before, sentence_start);
        };
        // "with Lavrov acknowledging “…”" is a report of its own, whatever the
        // sentence around it says.
        let own_subject = nearest > 0
            && (is_in(self.v.pronouns, names[nearest - 1]) || (names[nearest].ends_with("ing") && is_capitalised(names[nearest - 1])));
        if self.cues.naming_cue_at(&names, nearest).is_none() && !own_subject {
            // Only the outermost report counts, as in PolNeAR: in "the NATO chief
            // outlined areas where NATO sees “…”" the chief speaks.
            let main_clause_start = self.main_clause_start(sentence_start, before.start);
            let outermost = (0..nearest)
                .filter(|&i| {
                    ws[i].0.start >= main_clause_start
                        && self.is_usable_cue(&ws, &names, i)
                        && self.cues.speech_cue_at(&names, i).is_some()
                        && !self.is_aside(ws[i].0.end)
                })
                .find_map(|i| self.cue_speaker(&ws, &names, i, sentence_start));
            if outermost.is_some() {
                return outermost;
            }
        }
        self.cue_speaker(&ws, &names, nearest, sentence_start).or_else(|| {
            // "Okafor is celebrating a win in the so-called “X”": when the
            // nearest cue names no speaker, an earlier report of the main clause may.
            let main_clause_start = self.main_clause_start(sentence_start, before.start);
            (0..nearest)
                .rev()
                .filter(|&i| {
                    ws[i].0.start >= main_clause_start && self.is_usable_cue(&ws, &names, i) && self.cues.speech_cue_at(&names, i).is_some()
                })
                .find_map(|i| self.cue_speaker(&ws, &names, i, sentence_start))
        })
    }

    /// Where the main clause starts: after a leading subordinate clause ("After
    /// Brown criticized Clinton, Hillary shot back, “…”").
    fn main_clause_start(&self, sentence_start: usize, limit: usize) -> usize {
        let rest = &self.text[sentence_start..limit.max(sentence_start)];
        let first = rest.split(|c: char| !c.is_alphanumeric()).next().unwrap_or_default();
        if !is_in(self.v.subordinators, first) {
            return sentence_start;
        }
        rest.find(',').map_or(sentence_start, |comma| sentence_start + comma + 1)
    }

    /// A reporting aside between commas ("…, Costa reported, his wife said"):
    /// the cue is followed by a comma and more of the sentence.
    fn is_aside(&self, cue_end: usize) -> bool {
        self.text[cue_end..].trim_start().starts_with(',')
    }

    /// "Kaine has adopted the stance: “…”": a colon right before a quote, with no
    /// cue, introduces the words of the sentence's subject.
    fn colon_introduces(&self, before: TextRange, sentence_start: usize) -> Option<(TextRange, Speaker)> {
        let lead = self.text[before.start..before.end].trim_end();
        if !lead.ends_with(':') {
            return None;
        }
        let colon = before.start + lead.len() - 1;
        let clause = TextRange::new(sentence_start.min(colon), colon);
        self.sentence_subject(clause).map(|s| (TextRange::new(colon, colon + 1), s))
    }

    fn is_usable_cue(&self, ws: &[Word], names: &[&str], i: usize) -> bool {
        self.cues.any_cue_at(names, i).is_some()
            && !self.is_noun_use(ws, i)
            && (!is_in(self.v.after_quote_only, names[i]) || self.text[ws[i].0.end..].starts_with([',', ':']))
            && !self.inside_quote(ws[i].0.start)
    }

    /// The speaker of the cue at `ws[i]`, before a quote.
    fn cue_speaker(&self, ws: &[Word], names: &[&str], i: usize, sentence_start: usize) -> Option<(TextRange, Speaker)> {
        let len = self.cues.any_cue_at(names, i)?;
        let cue = TextRange::new(ws[i].0.start, ws[i + len - 1].0.end);
        if self.speaker_follows(names[i]) {
            return self.speaker_after(&ws[i + len..]).map(|s| (cue, s));
        }
        if self.is_passive(ws, i) {
            // "was asked by host Bill Maher, “…”": the agent speaks.
            let by_agent = ws.get(i + len).is_some_and(|w| w.1 == "by");
            return by_agent.then(|| self.speaker_after(&ws[i + len + 1..])).flatten().map(|s| (cue, s));
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
            return self.speaker_after(rest).map(|s| (cue, s));
        }
        if let Some(subject) = self.verb_second_subject(ws, i, len) {
            return Some((cue, subject));
        }
        // The subject never lies inside an earlier quote of the sentence.
        let clause_start = self.quote_end_before(cue.start).map_or(sentence_start, |e| e.max(sentence_start)).min(cue.start);
        if clause_start > sentence_start && self.blank_between(clause_start, cue.start) {
            // "…,” said Weaver: an inverted cue belongs to the quote before it.
            return self.speaker_after(rest).map(|s| (cue, s));
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
        speaker.map(|s| (cue, s))
    }

    /// "Am Montag äußerte sich Vatikansprecher Navarro-Valls: „…“", "In einem
    /// Interview sagte der Minister: „…“": German puts the verb second, so when
    /// an adverbial opens the sentence the subject follows the verb (past
    /// "sich" and adverbs of `skipped_before_verb`).
    fn verb_second_subject(&self, ws: &[Word], i: usize, len: usize) -> Option<Speaker> {
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
    fn names_its_speaker(&self, speaker: Option<&Speaker>, after_cue: &[Word]) -> bool {
        let Some(speaker) = speaker else { return false };
        let head = self.article.words(self.text, speaker.range).last().map(|w| w.1).unwrap_or_default();
        let named = speaker.is_pronoun || speaker.entity.is_some() || is_capitalised(head);
        let object_between = after_cue.iter().filter(|w| !is_in(self.v.determiners, w.1)).count() > 0;
        named || object_between
    }

    /// "Pollsters agree - Carl Bialik: “…”": a name standing alone before a colon
    /// introduces its quote ("told the OSCE:" does not: a verb comes first).
    fn name_before_colon(&self, before: TextRange) -> Option<Speaker> {
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

    // ------------------------------------------------------------ speakers

    fn speaker_for(&self, range: TextRange, is_pronoun: bool) -> Speaker {
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
    fn blank_or_abbreviation(&self, a: usize, b: usize) -> bool {
        let gap = &self.text[a..b];
        gap.trim().is_empty() || gap.trim() == "."
    }

    /// The subject of a cue whose clause is `clause` (sentence start to cue).
    fn subject_of_cue(&self, clause: TextRange, cue_word: &str) -> Option<Speaker> {
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
        if let Some(k) = rules_de::subject_of_final_verb(self.v, &ws.iter().map(|w| w.1).collect::<Vec<_>>()) {
            return self.speaker_after(&ws[k..]);
        }
        self.subject_before(clause).or_else(|| self.sentence_subject(clause))
    }

    /// The subject of a participle cue: "with Lavrov saying" names it right
    /// before; "Blinken said, stressing" shares the earlier verb's; "a statement
    /// saying" and "…, telling reporters" take the sentence's.
    fn participle_subject(&self, clause: TextRange, before_cue: Option<&str>) -> Option<Speaker> {
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
    fn earlier_cue_subject(&self, clause: TextRange) -> Option<Speaker> {
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
    fn subject_before(&self, span: TextRange) -> Option<Speaker> {
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
        if let Some(pronoun) =
            word.split(['’', '\'']).next().filter(|p| p.len() < word.len() && is_in(&["he", "she", "they", "we", "i"], p))
        {
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

    fn skippable_before_verb(&self, word: &str) -> bool {
        let lower = lower(word);
        // "Will claims": a capitalised word is a name, not the auxiliary; but a
        // weekday is never a speaker ("Ryan on Tuesday called").
        (!is_capitalised(word) && (self.v.skipped_before_verb.contains(&lower.as_str()) || (lower.ends_with("ly") && lower.len() > 4)))
            || self.v.weekdays.contains(&lower.as_str())
    }

    /// The noun phrase after an inverted cue: said Lavrov / according to the minister.
    fn speaker_after(&self, ws: &[Word]) -> Option<Speaker> {
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
    fn after_inverted_verb<'w, 't>(&self, ws: &'w [Word<'t>]) -> &'w [Word<'t>] {
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
    fn noun_phrase_from(&self, ws: &[Word]) -> TextRange {
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
    fn sentence_subject(&self, span: TextRange) -> Option<Speaker> {
        let ws = self.article.words(self.text, span);
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
                Some(k) if !matches!(lower(ws[i].1).as_str(), "and" | "but" | "so" | "also" | "then" | "now") => i = k + 1,
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
    fn after_dateline(&self, ws: &[Word]) -> usize {
        (0..ws.len().min(5))
            .find(|&k| {
                let next = ws.get(k + 1).map_or(ws[k].0.end, |w| w.0.start);
                let gap = &self.text[ws[k].0.end..next];
                gap.contains(['–', '—']) || gap.contains(" - ")
            })
            .map_or(0, |k| k + 1)
    }

    // ------------------------------------------------------------ inheritance

    /// Every speech cue outside quotes in paragraph `p`, with its subject. It
    /// reads nothing outside the paragraph, so an edit elsewhere leaves it alone.
    fn paragraph_speech_events(&self, p: usize) -> Vec<Speaker> {
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
    fn inherited_speakers(&self, quotes: &[QuoteSpan], i: usize, events: &[Speaker]) -> Option<(Vec<SpeakerMention>, AttributionVia)> {
        let quote = quotes[i].range;
        let paragraph = self.article.paragraph_at(quote.start)?;
        let paragraph_range = self.article.paragraphs[paragraph].range;
        let opens_sentence = self.sentences.at(quote.start).is_none_or(|s| self.blank_between(s.start, quote.start));
        if !opens_sentence {
            return None;
        }
        if paragraph_range.start < quote.start
            && let Some(found) = self.last_speaker_in(TextRange::new(paragraph_range.start, quote.start), quotes, i, events)
        {
            return Some(found);
        }
        if paragraph_range.start != quote.start || paragraph == 0 {
            return None;
        }
        let previous = self.article.paragraphs[paragraph - 1].range;
        if self.text[previous.start..previous.end].trim_end().ends_with(':') {
            // "He then listed the qualities:" ¶ “…”
            let sentence_start = self.sentences.at(previous.end.saturating_sub(1)).map_or(previous.start, |s| s.start);
            if let Some((_, speaker)) = self.cue_before(TextRange::new(sentence_start, previous.end), sentence_start) {
                return Some((vec![self.resolve(speaker, events)], AttributionVia::PreviousParagraph));
            }
        }
        self.last_speaker_in(previous, quotes, i, events).map(|(speakers, via)| {
            (speakers, if via == AttributionVia::PreviousSentence { AttributionVia::PreviousParagraph } else { via })
        })
    }

    /// "Stoiber begründete seinen Rückzug … Damit seien „der Kurs … nicht mehr
    /// so klar“": in German a sentence in the subjunctive (Konjunktiv I) is
    /// reported speech, and its quotes belong to the speaker reported before it,
    /// in its paragraph or the previous one, wherever the quote stands in it.
    fn reported_speech_speaker(&self, quotes: &[QuoteSpan], i: usize, events: &[Speaker]) -> Option<(Vec<SpeakerMention>, AttributionVia)> {
        if self.v.reported_speech_markers.is_empty() {
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
        if let Some(found) = self.last_speaker_in(TextRange::new(paragraph_range.start, sentence.start), quotes, i, events) {
            return Some(found);
        }
        let previous = self.article.paragraphs[paragraph.checked_sub(1)?].range;
        self.last_speaker_in(previous, quotes, i, events).map(|(speakers, _)| (speakers, AttributionVia::PreviousParagraph))
    }

    /// The last speaker in `span`: of an attributed quote or a speech report,
    /// whichever comes later.
    fn last_speaker_in(
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
    fn resolve(&self, speaker: Speaker, events: &[Speaker]) -> SpeakerMention {
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
