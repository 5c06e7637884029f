//! Telling direct, partial and scare quotes apart: the facts about a quote are
//! found once ([`Facts`]), then the rules of [`RULES`] are tried in order, each
//! a small function named by a [`KindRule`]; the first that applies decides.
//!
//! The rules, in order:
//! - **direct**: a line of dialogue opened by a dash (Russian, Ukrainian: "— Мы
//!   ждём ответа."), whatever its length: the dash sets off spoken words;
//! - **scare**: a short phrase (at most four words, no sentence punctuation
//!   inside) that nobody is said to have spoken: no speaker was found for it.
//!   That covers labels and titles after a naming verb used as a participle or
//!   passive ("a group called the “X”", "so-called “X”", "known as “X”") and
//!   phrases set off by the author ("the “Great Satan”"). A short phrase whose
//!   sentence ascribes it to someone ("what he called “Russian aggression”",
//!   "Bush called Trump “unhinged”", "warned of “serious consequences”") is a
//!   partial quote: the words are the speaker's.
//! - **scare** too: a short phrase between a determiner and its speaker's noun
//!   ("the “Avatar” star posted"): part of the speaker's description;
//! - **scare** too: a line that is nothing but a quotation of at most eight
//!   words in single marks or in capitals, or a label of two words ending in a
//!   colon, dashes or bullets around it allowed: a subhead, pull quote or label
//!   ('A plan that works.', “NO MORE CUTS”, – ‘Who cares?’ –, "Related:"),
//!   whoever spoke before it;
//! - **scare** too: a title opening its sentence with a relative clause after it
//!   ("“Opening Belle,” which will be in bookstores…");
//! - **scare** too: a short phrase that opens its sentence as the subject of a
//!   verb ("“Gridlock” is the mood of the week", "“Refoulement” (forcible
//!   return) is…", "‘Stickerboy’ placed two stickers"): a term talked about;
//! - **scare** too: a lone letter ("for “R,” or “D,”"): a label;
//! - but never a chant ("to chants of “Marco! Marco!”"): chanted words are
//!   spoken, even when nobody is named and whatever their case;
//! - **scare** too: a title in the middle of a sentence, whoever speaks there:
//!   two to ten words in title case, fourteen with a subtitle after a colon
//!   ("told ABC’s “Good Morning America”",
//!   "his book “The Art of the Deal”"), unless a speech verb has it for object
//!   ("chanted “Peace Not War”"), a speaker gives it as a name with a naming
//!   verb and its object ("Okafor called her rival “The Great Pretender”"), or
//!   with any report that names its object "as" it ("refers to him as “Mr. Trump”"),
//!   or it is a headline's quote with a speaker;
//!   one capitalised word after a work noun or a capitalised possessive ("the
//!   film “Borderlands”", "NBC’s “Today”"); and a title-case quote followed by
//!   the noun it modifies ("“Good Morning Moscow” host");
//! - **direct**: a whole quoted sentence or clause: the quote opens its sentence,
//!   or follows a colon or a cue's comma ("He said, “…”"), or starts with a
//!   capital and ends like a sentence and is longer than four words;
//! - **partial**: everything else: quoted words inside a reported sentence
//!   ("warned that NATO would affect the “fundamental interests” of Russia").
//!
//! A scare quote keeps no speaker, cue or way of attribution (its candidates
//! stay, for "Attribute to X" code actions) and is never flagged as
//! unattributed; the evaluation leaves scare quotes out of the quote list.
//! The rules are tested in `tests/it/quotes.rs` (`scare_quotes_and_titles…`,
//! `naming_verb_after_a_common_noun…`, `partial_quote_inside…`,
//! `what_he_called_is_a_partial_quote`, `pull_quotes_and_subheads…`,
//! `quoted_term_as_the_subject…`, `title_case_name_given_by_a_speaker…`).

use super::QuoteKind;
use super::QuoteSpan;
use super::cues::CueIndex;
use super::rules::{KindRule, enabled};
use super::sentences::Sentences;
use super::vocabulary::Vocabulary;
use crate::article::Article;
use crate::text::TextRange;

/// At most this many words make a phrase short enough to be a scare quote.
const SCARE_MAX_WORDS: usize = 4;

/// The kind of `quote` and the rule that decided it: the first rule of
/// [`RULES`] that applies, else [`KindRule::InsideReport`] (partial).
pub(super) fn classify(text: &str, article: &Article, sentences: &Sentences, cues: &CueIndex, quote: &QuoteSpan) -> (QuoteKind, KindRule) {
    let facts = Facts::new(text, article, sentences, cues, quote);
    RULES
        .iter()
        .find(|(rule, _, applies)| enabled(*rule) && applies(&facts))
        .map_or((QuoteKind::Partial, KindRule::InsideReport), |&(rule, kind, _)| (kind, rule))
}

/// One rule: its name, the kind it gives and when it applies.
type Rule = (KindRule, QuoteKind, fn(&Facts) -> bool);

/// The rules in order of precedence: the first that applies decides.
const RULES: &[Rule] = &[
    (KindRule::DialogueLine, QuoteKind::Direct, is_dialogue_line),
    (KindRule::GermanTitleOrName, QuoteKind::Scare, is_german_title_or_name),
    (KindRule::GermanInterviewLabel, QuoteKind::Scare, is_german_interview_label),
    (KindRule::LoneLetter, QuoteKind::Scare, is_lone_letter),
    (KindRule::UnspokenPhrase, QuoteKind::Scare, is_unspoken_phrase),
    (KindRule::ModifiesItsSpeaker, QuoteKind::Scare, modifies_its_speaker),
    (KindRule::PullQuote, QuoteKind::Scare, is_pull_quote),
    (KindRule::SubjectTerm, QuoteKind::Scare, is_subject_term),
    (KindRule::DescribedTitle, QuoteKind::Scare, is_described_title),
    (KindRule::TitleInSentence, QuoteKind::Scare, is_title_in_sentence),
    (KindRule::TitleAsModifier, QuoteKind::Scare, is_title_as_modifier),
    (KindRule::WorkTitle, QuoteKind::Scare, is_work_title),
    (KindRule::OpensSentence, QuoteKind::Direct, opens_its_sentence),
    (KindRule::AfterColonOrCue, QuoteKind::Direct, follows_colon_or_cue_comma),
    (KindRule::WholeSentence, QuoteKind::Direct, is_whole_sentence),
];

/// What the rules read about a quote, found once.
struct Facts<'a> {
    text: &'a str,
    article: &'a Article,
    cues: &'a CueIndex,
    /// The word lists of the article's language.
    v: &'static Vocabulary,
    quote: &'a QuoteSpan,
    /// The quoted words without marks, trimmed.
    content: &'a str,
    word_count: usize,
    /// At most [`SCARE_MAX_WORDS`] words and no sentence punctuation inside.
    short: bool,
    /// After a noun of chanting: "to chants of “Marco! Marco!”".
    chanted: bool,
    /// Where the quote's sentence starts (at most the quote's start).
    sentence_start: usize,
    /// The sentence before the quote, trimmed at the end.
    before: &'a str,
    /// Nothing but markup (`<tweet …>`) before the quote in its sentence, or
    /// the quote opens its paragraph.
    opens_sentence: bool,
    /// The quote has a speaker and stands in a headline-case sentence
    /// ("Lavrov: ‘We Are Not Going Anywhere’").
    in_headline: bool,
    /// The quote is what its speech cue says ("She declared “What a Super
    /// Tuesday!”"), not after a naming verb nor "told".
    object_of_cue: bool,
    /// A speaker gives the quote as a name ("Okafor called her rival “The Great
    /// Pretender”", "refers to the candidate as “Mr. Trump”").
    named_by_speaker: bool,
    /// Words between a cue before the quote and the quote (at most seven).
    between_cue: Vec<&'a str>,
}

impl<'a> Facts<'a> {
    fn new(text: &'a str, article: &'a Article, sentences: &Sentences, cues: &'a CueIndex, quote: &'a QuoteSpan) -> Facts<'a> {
        let v = cues.vocabulary();
        let content = quote.content_range(text);
        let content_text = content.slice(text).trim();
        let word_count = article.words(text, content).len();
        let short = word_count <= SCARE_MAX_WORDS && !content_text.trim_end_matches(['.', ',']).contains(['.', '!', '?', ';']);
        let chanted = after_a_chant(v, text, quote.range.start);
        let sentence_start = sentences.at(quote.range.start).map_or(quote.range.start, |s| s.start.min(quote.range.start));
        let before = text[sentence_start..quote.range.start].trim_end();
        let paragraph_start = article.paragraph_at(quote.range.start).map(|p| article.paragraphs[p].range.start);
        // Markup before the quote (`<tweet …>`) is not part of the sentence.
        let opens_sentence = before.is_empty() || before.ends_with('>') || paragraph_start == Some(quote.range.start);
        // In a headline every word is capitalised: a quote there in title case is
        // just the headline's style ("Lavrov: ‘We Are Not Going Anywhere’") when someone speaks it.
        let in_headline = quote.speaker.is_some() && {
            let sentence_end = sentences.at(quote.range.end.saturating_sub(1)).map_or(quote.range.end, |s| s.end.max(quote.range.end));
            is_headline_case(v, before) && is_headline_case_or_empty(v, &text[quote.range.end..sentence_end])
        };
        // "She declared “What a Super Tuesday!”": the object of the speech verb is
        // what was said, whatever its case.
        // Not after a naming verb ("a show called “X”") nor after "told", whose
        // object is the listener ("told “Fox and Friends”").
        let cue_words: Vec<&str> = quote.cue.map(|cue| cue.slice(text).split_whitespace().collect()).unwrap_or_default();
        // The words between a cue before the quote and the quote ("called [his opponent] “X”").
        // The rules below weigh at most six of them; more only tells there are more.
        // A quote far into an utterance whose cue opened it (thousands of quotes in
        // one sentence) would otherwise split everything since the cue.
        let between_cue: Vec<&str> = match quote.cue {
            Some(cue) if cue.end <= quote.range.start => text[cue.end..quote.range.start].split_whitespace().take(7).collect(),
            _ => Vec::new(),
        };
        let object_of_cue = quote.cue.is_some_and(|cue| {
            let speech_only = !cue_words.is_empty()
                && cues.naming_cue_at(&cue_words, 0).is_none()
                && !v.tell_forms.contains(&cue_words[0].to_lowercase().as_str());
            speech_only && cue.end <= quote.range.start && {
                let gap = text[cue.end..quote.range.start].trim_matches(|c: char| c.is_whitespace() || c == ',' || c == ':');
                gap.is_empty() || gap.eq_ignore_ascii_case("that")
            }
        });
        // "Okafor called her rival “The Great Pretender”": a naming verb whose subject is a
        // speaker (attribution only keeps those) gives the speaker's own words, even
        // in title case; its object stands between ("called his opponent “X”").
        let named_by_speaker = quote.speaker.is_some() && quote.cue.is_some() && {
            // "refers to the candidate as “Mr. Trump”": any report naming its object "as".
            let as_name = between_cue.len() <= 6 && between_cue.iter().rev().find(|w| !v.articles.contains(w)) == Some(&"as");
            let naming_with_object =
                !cue_words.is_empty() && (1..=3).contains(&between_cue.len()) && cues.naming_cue_at(&cue_words, 0).is_some();
            naming_with_object || as_name
        };
        Facts {
            text,
            article,
            cues,
            v,
            quote,
            content: content_text,
            word_count,
            short,
            chanted,
            sentence_start,
            before,
            opens_sentence,
            in_headline,
            object_of_cue,
            named_by_speaker,
            between_cue,
        }
    }

    /// The text right after the quote.
    fn after(&self) -> &'a str {
        &self.text[self.quote.range.end..]
    }
}

/// "— Мы ждём ответа.": only a part of a dialogue line starts with a dash
/// (marks never do), and it is direct speech.
fn is_dialogue_line(f: &Facts) -> bool {
    f.quote.range.slice(f.text).starts_with(['—', '–'])
}

/// "for “R,” or “D,”": a lone letter is a label, whoever is near.
fn is_lone_letter(f: &Facts) -> bool {
    f.short && f.content.trim_end_matches([',', '.']).chars().count() == 1
}

/// "a group called the “X”", "the “Great Satan”": a short phrase nobody is
/// said to have spoken; but never a chant ("to chants of “Marco! Marco!”"):
/// chanted words are spoken, whoever chants them.
fn is_unspoken_phrase(f: &Facts) -> bool {
    f.short
        && f.quote.speaker.is_none()
        && !f.chanted
        && !super::rules_de::lower_case_phrase_is_spoken(f.v.lang, f.text, f.quote.range, f.content)
}

/// die Nachrichtenagentur „Xinhua“: in German, a short capitalised quote after
/// a noun, article or preposition, or a longer one nobody speaks, is a name or
/// title ([`super::rules_de::title_or_name_after_noun`]).
fn is_german_title_or_name(f: &Facts) -> bool {
    super::rules_de::title_or_name_after_noun(f.v.lang, f.text, f.quote.range, f.content, f.word_count, f.quote.speaker.is_some())
}

/// ''Pau'': opening a German interview line is a label, not a quotation
/// ([`super::rules_de::interview_label`]).
fn is_german_interview_label(f: &Facts) -> bool {
    super::rules_de::interview_label(f.v.lang, f.text, f.quote.range)
}

/// A line that is nothing but a short quotation in single marks or in
/// capitals is a subhead or pull quote ('A plan that works.'), not speech;
/// "Related:" alone on its line labels what follows.
fn is_pull_quote(f: &Facts) -> bool {
    if !(fills_its_line(f.text, f.quote.range) && f.word_count <= PULL_QUOTE_MAX_WORDS) {
        return false;
    }
    let marked = f.quote.range.slice(f.text);
    let single = marked.starts_with(['‘', '\'']) && !marked.starts_with("''");
    let capitals = f.content.chars().any(char::is_alphabetic) && !f.content.chars().any(char::is_lowercase);
    let label = f.word_count <= 2 && f.content.ends_with(':');
    single || capitals || label
}

/// “Gridlock” is the mood of the week: a short phrase that opens its sentence
/// as the subject of a verb is a term talked about, not anybody's words.
fn is_subject_term(f: &Facts) -> bool {
    if !(f.opens_sentence && f.short && !f.content.ends_with([',', '.', '!', '?'])) {
        return false;
    }
    // An aside may stand between ("“Refoulement” (forcible return) is…").
    let mut next = f.after().trim_start_matches(' ');
    if next.starts_with('(')
        && let Some(close) = next.find(')').filter(|&c| !next[..c].contains('\n'))
    {
        next = next[close + 1..].trim_start_matches(' ');
    }
    let next_word = next.split(|c: char| !c.is_alphanumeric()).next().unwrap_or_default();
    // A name of a word or two followed straight by its verb ("‘Stickerboy’
    // placed two stickers") is the subject too; a speech verb there makes it speech.
    let named_subject = f.word_count <= 2
        && next_word.chars().next().is_some_and(char::is_lowercase)
        && f.cues.any_cue_at(&[next_word], 0).is_none()
        && !f.v.not_nouns.contains(&next_word);
    !f.after().starts_with(['\n', ',']) && (f.v.term_verbs.contains(&next_word) || named_subject)
}

/// "“Opening Belle,” which will be in bookstores…": a title opening its
/// sentence, described by a relative clause, is talked about, not said.
fn is_described_title(f: &Facts) -> bool {
    f.opens_sentence && is_title(f.v, f.content) && f.after().trim_start().starts_with("which ")
}

/// "told ABC’s “Good Morning America”", "his book “The Art of the Deal”": a
/// title in the middle of a sentence, unless a speech verb has it for object,
/// a speaker gives it as a name, it is a headline's quote with a speaker, or
/// it is chanted.
fn is_title_in_sentence(f: &Facts) -> bool {
    !f.opens_sentence && !f.in_headline && !f.object_of_cue && !f.named_by_speaker && !f.chanted && is_title(f.v, f.content)
}

/// “Good Morning America” host Jane Doe: a title used as a modifier, followed
/// straight by a lower-case noun, names a show, not anybody's words; unless a
/// speaker names someone with it ("Trump called Rubio “Little Marco” often").
fn is_title_as_modifier(f: &Facts) -> bool {
    let next_word = f.after().trim_start_matches(' ').split(|c: char| !c.is_alphanumeric() && c != '-').next().unwrap_or_default();
    let modifier = f.after().starts_with(' ')
        && next_word.chars().next().is_some_and(char::is_lowercase)
        && f.cues.any_cue_at(&[next_word], 0).is_none()
        && !f.v.not_nouns.contains(&next_word);
    let names_an_object = f.named_by_speaker && f.between_cue.iter().any(|w| !f.v.articles.contains(&w.to_lowercase().as_str()));
    modifier && !f.in_headline && !f.object_of_cue && !names_an_object && is_title(f.v, f.content)
}

/// One capitalised word after a work noun or an organisation's possessive is
/// a title too ("her film “Trainwreck”", "NBC’s “Today”").
fn is_work_title(f: &Facts) -> bool {
    !f.opens_sentence && !f.object_of_cue && f.word_count == 1 && starts_capitalised(f.content) && names_a_work(f.v, f.before)
}

/// “We want peace,” Lavrov said.: a quote that opens its sentence is a whole
/// quoted sentence or clause.
fn opens_its_sentence(f: &Facts) -> bool {
    f.opens_sentence
}

/// He added: “…” / He said, “…”: a quote after a colon or a cue's comma is
/// the whole of what was said.
fn follows_colon_or_cue_comma(f: &Facts) -> bool {
    f.before.ends_with(':')
        || (f.before.ends_with(',') && {
            let before_words: Vec<&str> =
                f.article.words(f.text, TextRange::new(f.sentence_start, f.quote.range.start)).into_iter().map(|w| w.1).collect();
            !before_words.is_empty() && f.cues.speech_cue_at(&before_words, before_words.len() - 1).is_some()
        })
}

/// … that “The talks have failed for good.”: a quote that starts with a
/// capital, ends like a sentence and is longer than a short phrase.
fn is_whole_sentence(f: &Facts) -> bool {
    let starts_upper = f.content.chars().find(|c| c.is_alphanumeric()).is_some_and(char::is_uppercase);
    starts_upper && f.word_count > SCARE_MAX_WORDS && !f.quote.unclosed && ends_like_sentence(f.content)
}

/// "the “Avatar” star posted…": a short phrase between a determiner and the
/// speaker's noun is part of the speaker's own name, so it cannot be what
/// they said.
fn modifies_its_speaker(f: &Facts) -> bool {
    let Some(speaker) = &f.quote.speaker else { return false };
    let (text, quote) = (f.text, f.quote);
    let before = text[..quote.range.start].trim_end();
    let previous_word = before.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or_default();
    f.short
        && speaker.range.start >= quote.range.end
        && text[quote.range.end..speaker.range.start].trim().is_empty()
        && !f.content.ends_with([',', '.', '!', '?', ':', ';'])
        && f.v.description_determiners.contains(&previous_word.to_lowercase().as_str())
}

/// The text before `at` ends with a noun of chanting or shouting and maybe
/// "of" or "to" ("chants of", "cries of", "chanting").
fn after_a_chant(v: &Vocabulary, text: &str, at: usize) -> bool {
    let before = text[..at].trim_end().trim_end_matches(',');
    let (last, rest) = last_short_word(before);
    let last = match last.as_deref() {
        Some("of" | "to") => last_short_word(rest).0,
        _ => last,
    };
    last.is_some_and(|last| v.chant_words.contains(&last.as_str()))
}

/// Longest word `after_a_chant` looks for, in characters.
const LONGEST_CHANT_WORD: usize = 8;

/// The last whitespace-separated word of `text`, lower-cased, if it is short
/// enough to be a chant word, "of" or "to"; and the text before it. Looking back
/// no further than that keeps a quote after a mile of quotation marks with no
/// space (a token of 100 KB) from reading the whole token (lower-casing never
/// shortens a word, so a longer one can match nothing).
fn last_short_word(text: &str) -> (Option<String>, &str) {
    let mut start = text.len();
    for (count, (i, c)) in text.char_indices().rev().enumerate() {
        if c.is_whitespace() {
            break;
        }
        if count == LONGEST_CHANT_WORD {
            return (None, "");
        }
        start = i;
    }
    let rest = &text[..start];
    // The separator: one whitespace character, as `rsplit` takes it.
    let rest = rest.char_indices().next_back().map_or(rest, |(i, _)| &rest[..i]);
    (Some(text[start..].to_lowercase()), rest)
}

/// At most this many words make a quotation alone on its line a subhead or pull quote.
const PULL_QUOTE_MAX_WORDS: usize = 8;

/// The quote fills its line, but for closing punctuation.
///
/// Read outward from the quote only as far as the frame goes: the line break,
/// or the first other character, whichever comes first. Searching for the line
/// break first read a whole single-paragraph article once per quote.
fn fills_its_line(text: &str, quote: TextRange) -> bool {
    // Dashes or bullets may frame a subhead ("– ‘Who cares?’ –.").
    let frame = |c: char| c.is_whitespace() || matches!(c, '–' | '—' | '-' | '•' | '*');
    text[..quote.start].chars().rev().take_while(|&c| c != '\n').all(frame)
        && text[quote.end..].chars().take_while(|&c| c != '\n').all(|c| frame(c) || matches!(c, '.' | ',' | ':' | '!' | '?'))
}

fn starts_capitalised(content: &str) -> bool {
    content.chars().find(|c| c.is_alphanumeric()).is_some_and(char::is_uppercase)
}

/// The text before a quote ends with a work noun ("her blockbuster film,") or a
/// capitalised possessive ("NBC’s", "Fox News Channel's").
fn names_a_work(v: &Vocabulary, before: &str) -> bool {
    let before = before.trim_end_matches([',', ':']).trim_end();
    let last = before.rsplit(|c: char| c.is_whitespace()).next().unwrap_or_default();
    let possessive = last.ends_with("’s") || last.ends_with("'s");
    (possessive && last.chars().next().is_some_and(char::is_uppercase)) || v.work_nouns.contains(&last.to_lowercase().as_str())
}

/// Words in title case (every word but the small ones capitalised), at most ten
/// of them, two or more: the name of a show, a book or a campaign ("Good
/// Morning America", "The Art of the Deal").
fn is_title(v: &Vocabulary, content: &str) -> bool {
    let words: Vec<&str> =
        content.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric())).filter(|w| !w.is_empty()).collect();
    let capitalised = |w: &str| w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    // A subtitle after a colon makes a title longer ("The Fixers: Eddie Mannix, …").
    let most = if content.contains(':') { 14 } else { 10 };
    (2..=most).contains(&words.len())
        && capitalised(words[0])
        && words.iter().all(|w| capitalised(w) || v.title_small_words.contains(&w.to_lowercase().as_str()))
}

/// The words of `text`, one or more, all capitalised except the small words: the
/// lead-in of a headline ("Trump:", "CNN President On Trump:").
///
/// Word by word, stopping at the first that is neither: the text before a quote
/// may be a whole sentence of thousands of quotations.
fn is_headline_case(v: &Vocabulary, text: &str) -> bool {
    let mut words = text.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric())).filter(|w| !w.is_empty()).peekable();
    let capitalised = |w: &str| w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    words.peek().is_some() && words.all(|w| capitalised(w) || v.title_small_words.contains(&w.to_lowercase().as_str()))
}

fn is_headline_case_or_empty(v: &Vocabulary, text: &str) -> bool {
    !text.chars().any(char::is_alphanumeric) || is_headline_case(v, text)
}

fn ends_like_sentence(content: &str) -> bool {
    content.trim_end_matches(['”', '"', '’', '\'']).ends_with(['.', '!', '?', ','])
}
