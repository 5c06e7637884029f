//! Rules of German news writing, one small function each, hooked into `kind`
//! and `attribution` with one call: German capitalises every noun and puts the
//! finite verb second, so the English readings of case and word order mislead.
//!
//! The word lists are data in `vocabulary/de.rs`. Each rule has a fixture in
//! `tests/quotes.rs` (`german_…`) that fails without it. Measured on the uhh-lt
//! German train data with `cargo run --release --example eval -- PATH --categories`.

use super::vocabulary::Vocabulary;
use super::vocabulary::de;
use crate::article::Lang;
use crate::text::TextRange;

/// Most words a quoted name or title has for [`title_or_name_after_noun`].
const TITLE_MAX_WORDS: usize = 4;

/// A short capitalised quote right after a noun, a definite article or a
/// preposition names something (a title, a newspaper, a motto, a project): a
/// scare quote, whoever speaks in the sentence. Quoted speech that short
/// after an article starts with an adjective, in lower case.
///
/// ```text
/// meldet die Nachrichtenagentur „Xinhua“      → a name (after a noun)
/// nach einem „Gesetz zur Bekämpfung …“        → a title (nobody speaks it)
/// wurde gestern im „Standard“ als …           → a name (after a preposition)
/// in ihrem Roman „Atemschaukel“               → a title
/// sprach von einem „vertrauensvollen Dialog“  → not this rule (lower case)
/// ```
///
/// A longer one too when nobody is found to speak it (a book, a law, an
/// organisation: „Gesetz zur Bekämpfung finanzieller Unterstützung des
/// Terrors“), and one in a list of them („A“, „B“ oder „C“).
pub(super) fn title_or_name_after_noun(lang: Lang, text: &str, quote: TextRange, content: &str, word_count: usize, spoken: bool) -> bool {
    if lang != Lang::De || (word_count > TITLE_MAX_WORDS && spoken) || content.trim_end_matches(['“', '«']).ends_with(['.', '!', '?']) {
        return false;
    }
    // „A“, „B“ …: the next one in a list of titles.
    let in_list = text[..quote.start].trim_end().strip_suffix(',').is_some_and(|b| b.trim_end().ends_with(['“', '«']));
    if in_list && !spoken && content.chars().next().is_some_and(char::is_uppercase) {
        return true;
    }
    if !content.chars().find(|c| c.is_alphanumeric()).is_some_and(char::is_uppercase) {
        return false;
    }
    let before = &text[..quote.start];
    // Only a space between the word and the mark, on the same line.
    let Some(head) = before.strip_suffix(' ') else { return false };
    let previous = head.rsplit(|c: char| !c.is_alphanumeric() && c != '-').next().unwrap_or_default();
    if previous.is_empty() || head.len() > previous.len() && !head[..head.len() - previous.len()].ends_with([' ', '-']) {
        return false;
    }
    // A capitalised word opening its sentence is no noun the name stands beside.
    let opens_sentence = head[..head.len() - previous.len()].trim_end().is_empty()
        || head[..head.len() - previous.len()].trim_end().ends_with(['.', '!', '?', ':', '\n']);
    let noun = previous.chars().next().is_some_and(char::is_uppercase) && !opens_sentence;
    noun || de::TITLE_LEADERS.contains(&previous)
}

/// German capitalises nouns, so a short quote in lower case is an adjective or
/// a verb phrase: someone's evaluation, quoted ("nannte die Bewerbung „sehr
/// respektabel“", "Sie sei „vollkommen geschockt“"), not a label. It stays a
/// partial quote even when no speaker is found for it (and is then flagged).
///
/// ```text
/// Der Verband nannte sie „fahrlässig“.   → spoken (a partial quote)
/// die „Wikimedia Foundation“             → not this rule (capitalised)
/// ```
///
/// Not a name in lower case ("iPod nano", "montagsdemo.net": a capital in
/// the first word, or a period), nor a word
/// after "so genannte", nor a modifier of the noun after it ("Diese
/// „beeinträchtigten“ Schnecken").
pub(super) fn lower_case_phrase_is_spoken(lang: Lang, text: &str, quote: TextRange, content: &str) -> bool {
    let first_word = content.split_whitespace().next().unwrap_or_default();
    if lang != Lang::De || first_word.chars().any(char::is_uppercase) || content.trim_end_matches(['.', ',']).contains('.') {
        return false;
    }
    let previous = text[..quote.start].trim_end().rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or_default();
    let named = previous.ends_with("genannte") || previous.ends_with("genannten") || previous.ends_with("genannt");
    let next = &text[quote.end..];
    let modifies_a_noun = next.strip_prefix(' ').is_some_and(|n| n.chars().next().is_some_and(char::is_uppercase));
    content.chars().any(char::is_alphabetic) && !named && !modifies_a_noun
}

/// "Sie sei „vollkommen geschockt“ über das Geschehen, sagte die britische
/// Königin": a German speech verb right after a comma comes before its
/// subject, whatever capitalised noun stands before the comma.
///
/// ```text
/// …, sagte die Ministerin   → the subject follows
/// …, die Ministerin sagte   → not this rule
/// ```
pub(super) fn verb_after_comma_precedes_its_subject(lang: Lang, before_verb: &str) -> bool {
    lang == Lang::De && before_verb.trim_end().ends_with(',')
}

/// "Der Geschäftsführer fragte: „Was spricht dagegen?“ Greenpeace fordert …":
/// a quote introduced by a colon has its cue before it, even when it ends
/// with a question or exclamation mark that in English would send the search
/// to a cue after it.
///
/// ```text
/// Er fragte: „Warum?“ Greenpeace fordert …  → the cue before ("fragte")
/// „Warum?“, fragte er                        → not this rule
/// ```
pub(super) fn introduced_by_colon(lang: Lang, lead_in: &str) -> bool {
    lang == Lang::De && lead_in.ends_with(':')
}

/// "''Pau'': Mir sind keinerlei Gründe bekannt": in an interview the name
/// opening a line before a colon labels who speaks next (Wikinews writes it
/// in the wiki's `''` emphasis marks); it is no quotation.
///
/// ```text
/// ''Wikinews'': Ist die Ausweitung … → a label
/// ```
pub(super) fn interview_label(lang: Lang, text: &str, quote: TextRange) -> bool {
    lang == Lang::De
        && text[quote.end..].starts_with(':')
        && text[..quote.start].chars().rev().take_while(|&c| c != '\n').all(char::is_whitespace)
}

/// A German sentence opening with an adverb, a prepositional phrase or an
/// object ("Angesichts solcher Alternativen nannte Reinhard Jung …"): the
/// subject follows the verb.
pub(super) fn opens_with_fronted_phrase(lang: Lang, first_word: &str) -> bool {
    lang == Lang::De && de::FRONTED_NON_SUBJECTS.contains(&first_word.to_lowercase().as_str())
}

/// Where the subject of a German clause starts, when the clause opens with a
/// phrase that is no subject (an adverb, a prepositional phrase, an object in
/// the oblique case): the finite verb stands second and the subject right
/// after it. `words` are the clause's words up to the speech cue (or its
/// colon); the index returned is the subject's first word.
///
/// ```text
/// So hatte der ehemalige Bundesinnenminister Otto Schily … zugesichert:  → 2 ("der …")
/// Den Unmut … brachte die Sprecherin … zum Ausdruck:                     → 6 ("die Sprecherin")
/// Der Bundespräsident konstatierte …                                     → None (subject first)
/// ```
pub(super) fn subject_after_fronted_phrase(v: &Vocabulary, words: &[&str]) -> Option<usize> {
    if v.lang != Lang::De || !words.first().is_some_and(|w| de::FRONTED_NON_SUBJECTS.contains(&w.to_lowercase().as_str())) {
        return None;
    }
    // The finite verb: the first lower-case word that is no article,
    // preposition or other function word (but auxiliaries are verbs).
    // A lower-case word after an article or preposition is an adjective
    // ("Im vergangenen Jahr"), except right after the opening word ("So hatte").
    let verb = (1..words.len().min(14)).find(|&k| {
        let w = words[k];
        let lower = w.to_lowercase();
        let adjective = k > 1 && v.stop_words.contains(&words[k - 1].to_lowercase().as_str()) && !de::AUXILIARIES.contains(&lower.as_str());
        !w.chars().next().is_some_and(char::is_uppercase)
            && !adjective
            && w.chars().all(char::is_alphabetic)
            && (de::AUXILIARIES.contains(&lower.as_str())
                || matches!(lower.as_str(), "sagte" | "sagt")
                || !v.stop_words.contains(&lower.as_str()))
            && !de::FRONTED_NON_SUBJECTS.contains(&lower.as_str())
            && (de::AUXILIARIES.contains(&lower.as_str()) || !v.skipped_before_verb.contains(&lower.as_str()))
    })?;
    subject_from(v, words, verb + 1)
}

/// Where the subject of a German clause starts when the speech verb stands
/// last, after an auxiliary ("Stoiber hatte besonders die Rolle … betont"):
/// the word before the verb is its object, not its subject. The subject opens
/// the clause, or follows the auxiliary when a fronted phrase opens it.
///
/// ```text
/// Stoiber hatte besonders die Rolle der Parteivorsitzenden betont  → 0 ("Stoiber")
/// Bereits im Mai hatte Merkel in einer Rede verkündet              → 4 ("Merkel")
/// Merkel betonte                                                   → None (no auxiliary)
/// ```
pub(super) fn subject_of_final_verb(v: &Vocabulary, words: &[&str]) -> Option<usize> {
    if v.lang != Lang::De {
        return None;
    }
    let auxiliary = (1..words.len().saturating_sub(1)).find(|&k| de::AUXILIARIES.contains(&words[k]))?;
    if let Some(subject) = subject_after_fronted_phrase(v, words) {
        return Some(subject);
    }
    let first = words[0];
    let nominal =
        first.chars().next().is_some_and(char::is_uppercase) && !de::FRONTED_NON_SUBJECTS.contains(&first.to_lowercase().as_str());
    (nominal && auxiliary <= 8).then_some(0)
}

/// The subject's first word at or after `at`, past "sich" and adverbs: a
/// nominative article, a pronoun or a capitalised word.
fn subject_from(v: &Vocabulary, words: &[&str], at: usize) -> Option<usize> {
    let skip = words.get(at..)?.iter().take(3).take_while(|w| **w == "sich" || v.skipped_before_verb.contains(w)).count();
    let first = *words.get(at + skip)?;
    let nominative = matches!(first, "der" | "die" | "das" | "ein" | "eine");
    (nominative || v.pronouns.contains(&first) || first.chars().next().is_some_and(char::is_uppercase)).then_some(at + skip)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::quotes::vocabulary::vocabulary;

    fn words(s: &str) -> Vec<&str> {
        s.split(|c: char| !c.is_alphanumeric() && c != '-').filter(|w| !w.is_empty()).collect()
    }

    #[test]
    fn fronted_phrases_put_the_subject_after_the_verb() {
        let de = vocabulary(Lang::De);
        let at = |s: &str| subject_after_fronted_phrase(de, &words(s));
        assert_eq!(at("So hatte der ehemalige Bundesinnenminister Otto Schily noch im Mai 2005 zugesichert"), Some(2));
        assert_eq!(at("Den Unmut über die Verhandlungen brachte die Sprecherin zum Ausdruck"), Some(6));
        assert_eq!(at("Der Bundespräsident konstatierte"), None);
        assert_eq!(subject_after_fronted_phrase(vocabulary(Lang::En), &words("So said the minister")), None);
    }

    #[test]
    fn a_final_speech_verb_takes_the_clause_subject() {
        let de = vocabulary(Lang::De);
        let at = |s: &str| subject_of_final_verb(de, &words(s));
        assert_eq!(at("Stoiber hatte besonders die Rolle der Parteivorsitzenden"), Some(0));
        assert_eq!(at("Bereits im Mai hatte Merkel in einer Rede"), Some(4));
        assert_eq!(at("Merkel betonte"), None);
    }

    #[test]
    fn short_capitalised_quotes_after_nouns_are_names() {
        let check = |text: &str| {
            let start = text.find('„').unwrap();
            let end = text.find('“').unwrap() + '“'.len_utf8();
            let content = &text[start + '„'.len_utf8()..end - '“'.len_utf8()];
            title_or_name_after_noun(Lang::De, text, TextRange::new(start, end), content, content.split_whitespace().count(), true)
        };
        assert!(check("meldet die Nachrichtenagentur „Xinhua“ am Montag"));
        assert!(check("wurde gestern im „Standard“ als Organisation bezeichnet"));
        assert!(!check("sprach von einem „vertrauensvollen Dialog“"));
        assert!(!check("Er sagte: „Nein“"));
        assert!(!check("sprach von einem „Gesetz zur Bekämpfung finanzieller Unterstützung des Terrors“"));
    }
}
