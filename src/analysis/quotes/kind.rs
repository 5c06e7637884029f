//! Telling direct, partial and scare quotes apart.
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
//! The rules are tested in `tests/quotes.rs` (`scare_quotes_and_titles…`,
//! `naming_verb_after_a_common_noun…`, `partial_quote_inside…`,
//! `what_he_called_is_a_partial_quote`, `pull_quotes_and_subheads…`,
//! `quoted_term_as_the_subject…`, `title_case_name_given_by_a_speaker…`).

use super::QuoteKind;
use super::QuoteSpan;
use super::cues::CueIndex;
use super::sentences::Sentences;
use crate::article::Article;
use crate::text::TextRange;

/// At most this many words make a phrase short enough to be a scare quote.
const SCARE_MAX_WORDS: usize = 4;

pub fn classify(text: &str, article: &Article, sentences: &Sentences, cues: &CueIndex, quote: &QuoteSpan) -> QuoteKind {
    if is_dialogue_line(text, quote) {
        return QuoteKind::Direct;
    }
    let content = quote.content_range(text);
    let content_text = content.slice(text).trim();
    let word_count = article.words(text, content).len();
    let short = word_count <= SCARE_MAX_WORDS && !content_text.trim_end_matches(['.', ',']).contains(['.', '!', '?', ';']);
    // A lone letter ("for “R,” or “D,”") is a label, whoever is near.
    let lone_letter = content_text.trim_end_matches([',', '.']).chars().count() == 1;
    // "to chants of “Marco! Marco!”": a chant is spoken, whoever chants it.
    let chanted = after_a_chant(text, quote.range.start);
    let lang = cues.vocabulary().lang;
    if super::rules_de::title_or_name_after_noun(lang, text, quote.range, content_text, word_count, quote.speaker.is_some())
        || super::rules_de::interview_label(lang, text, quote.range)
    {
        return QuoteKind::Scare;
    }
    if short
        && (quote.speaker.is_none() && !chanted && !super::rules_de::lower_case_phrase_is_spoken(lang, text, quote.range, content_text)
            || lone_letter)
    {
        return QuoteKind::Scare;
    }
    if short && modifies_its_speaker(text, quote, content_text) {
        return QuoteKind::Scare;
    }
    // A line that is nothing but a short quotation in single marks or in
    // capitals is a subhead or pull quote ('A plan that works.'), not speech.
    if fills_its_line(text, quote.range) && word_count <= PULL_QUOTE_MAX_WORDS {
        let marked = quote.range.slice(text);
        let single = marked.starts_with(['‘', '\'']) && !marked.starts_with("''");
        let capitals = content_text.chars().any(char::is_alphabetic) && !content_text.chars().any(char::is_lowercase);
        // "Related:" alone on its line labels what follows.
        let label = word_count <= 2 && content_text.ends_with(':');
        if single || capitals || label {
            return QuoteKind::Scare;
        }
    }
    let sentence_start = sentences.at(quote.range.start).map_or(quote.range.start, |s| s.start.min(quote.range.start));
    let before = text[sentence_start..quote.range.start].trim_end();
    let paragraph_start = article.paragraph_at(quote.range.start).map(|p| article.paragraphs[p].range.start);
    // Markup before the quote (`<tweet …>`) is not part of the sentence.
    let opens_sentence = before.is_empty() || before.ends_with('>') || paragraph_start == Some(quote.range.start);
    // “Gridlock” is the mood of the week: a short phrase that opens its sentence
    // as the subject of a verb is a term talked about, not anybody's words.
    let subject_term = opens_sentence && short && !content_text.ends_with([',', '.', '!', '?']) && {
        // An aside may stand between ("“Refoulement” (forcible return) is…").
        let mut next = text[quote.range.end..].trim_start_matches(' ');
        if next.starts_with('(')
            && let Some(close) = next.find(')').filter(|&c| !next[..c].contains('\n'))
        {
            next = next[close + 1..].trim_start_matches(' ');
        }
        let next_word = next.split(|c: char| !c.is_alphanumeric()).next().unwrap_or_default();
        // A name of a word or two followed straight by its verb ("‘Stickerboy’
        // placed two stickers") is the subject too; a speech verb there makes it speech.
        let named_subject = word_count <= 2
            && next_word.chars().next().is_some_and(char::is_lowercase)
            && cues.any_cue_at(&[next_word], 0).is_none()
            && !NOT_NOUNS.contains(&next_word);
        !text[quote.range.end..].starts_with(['\n', ',']) && (TERM_VERBS.contains(&next_word) || named_subject)
    };
    // "“Opening Belle,” which will be in bookstores…": a title opening its
    // sentence, described by a relative clause, is talked about, not said.
    let described_title = opens_sentence && is_title(content_text) && text[quote.range.end..].trim_start().starts_with("which ");
    if subject_term || described_title {
        return QuoteKind::Scare;
    }
    // In a headline every word is capitalised: a quote there in title case is
    // just the headline's style ("Lavrov: ‘We Are Not Going Anywhere’") when someone speaks it.
    let in_headline = quote.speaker.is_some() && {
        let sentence_end = sentences.at(quote.range.end.saturating_sub(1)).map_or(quote.range.end, |s| s.end.max(quote.range.end));
        is_headline_case(before) && is_headline_case_or_empty(&text[quote.range.end..sentence_end])
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
            && !matches!(cue_words[0].to_lowercase().as_str(), "told" | "tell" | "tells" | "telling");
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
        let as_name = between_cue.len() <= 6 && between_cue.iter().rev().find(|w| !ARTICLES.contains(w)) == Some(&"as");
        !cue_words.is_empty() && (1..=3).contains(&between_cue.len()) && cues.naming_cue_at(&cue_words, 0).is_some() || as_name
    };
    if !opens_sentence && !in_headline && !object_of_cue && !named_by_speaker && !chanted && is_title(content_text) {
        return QuoteKind::Scare;
    }
    // “Good Morning America” host Jane Doe: a title used as a modifier, followed
    // straight by a lower-case noun, names a show, not anybody's words.
    let next_word =
        text[quote.range.end..].trim_start_matches(' ').split(|c: char| !c.is_alphanumeric() && c != '-').next().unwrap_or_default();
    let modifier = text[quote.range.end..].starts_with(' ')
        && next_word.chars().next().is_some_and(char::is_lowercase)
        && cues.any_cue_at(&[next_word], 0).is_none()
        && !NOT_NOUNS.contains(&next_word);
    // Unless a speaker names someone with it: "Trump called Rubio “Little Marco” often".
    let names_an_object = named_by_speaker && between_cue.iter().any(|w| !ARTICLES.contains(&w.to_lowercase().as_str()));
    if modifier && !in_headline && !object_of_cue && !names_an_object && is_title(content_text) {
        return QuoteKind::Scare;
    }
    // One capitalised word after a work noun or an organisation's possessive is
    // a title too ("her film “Trainwreck”", "NBC’s “Today”").
    if !opens_sentence && !object_of_cue && word_count == 1 && starts_capitalised(content_text) && names_a_work(before) {
        return QuoteKind::Scare;
    }
    let after_colon_or_cue_comma = before.ends_with(':')
        || (before.ends_with(',') && {
            let before_words: Vec<&str> =
                article.words(text, TextRange::new(sentence_start, quote.range.start)).into_iter().map(|w| w.1).collect();
            !before_words.is_empty() && cues.speech_cue_at(&before_words, before_words.len() - 1).is_some()
        });
    let starts_upper = content_text.chars().find(|c| c.is_alphanumeric()).is_some_and(char::is_uppercase);
    let whole_sentence = starts_upper && word_count > SCARE_MAX_WORDS && !quote.unclosed && ends_like_sentence(content_text);
    if opens_sentence || after_colon_or_cue_comma || whole_sentence { QuoteKind::Direct } else { QuoteKind::Partial }
}

/// "the “Avatar” star posted…": a phrase between a determiner and the speaker's
/// noun is part of the speaker's own name, so it cannot be what they said.
/// "— Мы ждём ответа.": only a part of a dialogue line starts with a dash
/// (marks never do), and it is direct speech.
fn is_dialogue_line(text: &str, quote: &QuoteSpan) -> bool {
    quote.range.slice(text).starts_with(['—', '–'])
}

fn modifies_its_speaker(text: &str, quote: &QuoteSpan, content: &str) -> bool {
    let Some(speaker) = &quote.speaker else { return false };
    let before = text[..quote.range.start].trim_end();
    let previous_word = before.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or_default();
    speaker.range.start >= quote.range.end
        && text[quote.range.end..speaker.range.start].trim().is_empty()
        && !content.ends_with([',', '.', '!', '?', ':', ';'])
        && matches!(previous_word.to_lowercase().as_str(), "the" | "a" | "an" | "this" | "its" | "his" | "her" | "their")
}

/// The text before `at` ends with a noun of chanting or shouting and maybe
/// "of" or "to" ("chants of", "cries of", "chanting").
fn after_a_chant(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end().trim_end_matches(',');
    let (last, rest) = last_short_word(before);
    let last = match last.as_deref() {
        Some("of" | "to") => last_short_word(rest).0,
        _ => last,
    };
    matches!(last.as_deref(), Some("chant" | "chants" | "chanting" | "chanted" | "cries" | "shouts" | "shouting" | "chorus" | "cheers"))
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

/// Articles, skipped between a cue and its quote ("called it a “mess”").
const ARTICLES: &[&str] = &["a", "an", "the"];

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

/// Verbs after a quoted term that is the subject of its sentence.
const TERM_VERBS: &[&str] = &["is", "was", "are", "were", "has", "have", "had", "means", "meant", "refers", "remains", "became", "becomes"];

/// Lower-case words after a quote that are no noun it could modify.
const NOT_NOUNS: &[&str] = &[
    "and", "or", "but", "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "should", "may", "might", "to",
    "of", "in", "on", "at", "for", "with", "by", "from", "as", "that", "which", "who", "when", "while", "if", "than", "because", "so",
    "he", "she", "they", "it", "we", "i", "you", "the", "a", "an", "this", "his", "her", "their", "its", "not", "also", "then", "now",
    "about", "into", "over", "after", "before", "until", "since", "during", "through", "again", "only", "just", "even", "still",
];

/// Nouns for works, shows and media that a title follows ("the film “Trainwreck”").
const WORK_NOUNS: &[&str] = &[
    "film",
    "movie",
    "show",
    "series",
    "program",
    "programme",
    "book",
    "novel",
    "memoir",
    "album",
    "song",
    "play",
    "musical",
    "documentary",
    "podcast",
    "column",
    "magazine",
    "newspaper",
    "sitcom",
    "drama",
    "comedy",
    "episode",
    "segment",
    "ad",
    "video",
    "hashtag",
    "slogan",
    "campaign",
    "initiative",
    "website",
    "blog",
    "newsletter",
    "poem",
    "painting",
    "opera",
    "miniseries",
    "report",
];

fn starts_capitalised(content: &str) -> bool {
    content.chars().find(|c| c.is_alphanumeric()).is_some_and(char::is_uppercase)
}

/// The text before a quote ends with a work noun ("her blockbuster film,") or a
/// capitalised possessive ("NBC’s", "Fox News Channel's").
fn names_a_work(before: &str) -> bool {
    let before = before.trim_end_matches([',', ':']).trim_end();
    let last = before.rsplit(|c: char| c.is_whitespace()).next().unwrap_or_default();
    let possessive = last.ends_with("’s") || last.ends_with("'s");
    (possessive && last.chars().next().is_some_and(char::is_uppercase)) || WORK_NOUNS.contains(&last.to_lowercase().as_str())
}

/// Small words a title leaves in lower case ("The Art of the Deal").
const TITLE_SMALL_WORDS: &[&str] =
    &["a", "an", "the", "and", "or", "nor", "but", "of", "in", "on", "at", "to", "for", "with", "by", "from", "as", "is", "vs"];

/// Words in title case (every word but the small ones capitalised), at most ten
/// of them, two or more: the name of a show, a book or a campaign ("Good
/// Morning America", "The Art of the Deal").
fn is_title(content: &str) -> bool {
    let words: Vec<&str> =
        content.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric())).filter(|w| !w.is_empty()).collect();
    let capitalised = |w: &str| w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    // A subtitle after a colon makes a title longer ("The Fixers: Eddie Mannix, …").
    let most = if content.contains(':') { 14 } else { 10 };
    (2..=most).contains(&words.len())
        && capitalised(words[0])
        && words.iter().all(|w| capitalised(w) || TITLE_SMALL_WORDS.contains(&w.to_lowercase().as_str()))
}

/// The words of `text`, one or more, all capitalised except the small words: the
/// lead-in of a headline ("Trump:", "CNN President On Trump:").
///
/// Word by word, stopping at the first that is neither: the text before a quote
/// may be a whole sentence of thousands of quotations.
fn is_headline_case(text: &str) -> bool {
    let mut words = text.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric())).filter(|w| !w.is_empty()).peekable();
    let capitalised = |w: &str| w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    words.peek().is_some() && words.all(|w| capitalised(w) || TITLE_SMALL_WORDS.contains(&w.to_lowercase().as_str()))
}

fn is_headline_case_or_empty(text: &str) -> bool {
    !text.chars().any(char::is_alphanumeric) || is_headline_case(text)
}

fn ends_like_sentence(content: &str) -> bool {
    content.trim_end_matches(['”', '"', '’', '\'']).ends_with(['.', '!', '?', ','])
}
