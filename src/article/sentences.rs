//! UAX #29 sentence boundaries for the characters of Latin-script news text,
//! without table lookups: the same rules (SB1–SB11) as `unicode-segmentation`,
//! for text whose every character's sentence-break class is known here.
//! Anything else goes through the crate, which looks each character up in its
//! tables (a binary search per character: a seventh of an article's analysis).

/// The sentence-break classes (UAX #29, table 4) of the characters known here.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Cr,
    Lf,
    Sp,
    Lower,
    Upper,
    Numeric,
    /// '.'
    ATerm,
    /// '!', '?'
    STerm,
    /// Brackets and quotation marks, straight and curly.
    Close,
    /// ',', '-', ':', ';', '–', '—'
    SContinue,
    /// Everything else known here: other punctuation, symbols, '…'.
    Other,
}

/// The class of `c` (as in the crate's tables for Unicode 16), or `None` where the tables are needed (other scripts,
/// Latin Extended letters, format and extending characters, other separators).
fn class(c: char) -> Option<Class> {
    Some(match c {
        '\r' => Class::Cr,
        '\n' => Class::Lf,
        '\t' | '\u{b}' | '\u{c}' | ' ' | '\u{a0}' => Class::Sp,
        'a'..='z' | 'ª' | 'µ' | 'º' | '\u{df}'..='\u{f6}' | '\u{f8}'..='\u{ff}' => Class::Lower,
        'A'..='Z' | '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{de}' => Class::Upper,
        '0'..='9' => Class::Numeric,
        '.' => Class::ATerm,
        '!' | '?' => Class::STerm,
        '"' | '\'' | '(' | ')' | '[' | ']' | '{' | '}' | '«' | '»' | '\u{2018}'..='\u{201f}' => Class::Close,
        ',' | '-' | ':' | ';' | '–' | '—' => Class::SContinue,
        c if c.is_ascii() => Class::Other,
        '…' | '€' | '£' | '°' | '×' | '÷' | '§' | '©' | '®' | '•' | '′' | '″' => Class::Other,
        _ => return None,
    })
}

/// Byte ranges of the sentences of `text` (including their trailing spaces and
/// line breaks, as the crate's `split_sentence_bound_indices`), or `None` when
/// a character of `text` needs the tables.
///
/// Only two places can hold a boundary: after a line break (SB4) and after a
/// run `SATerm Close* Sp*` (SB11, unless SB6–SB10 keep the sentence going), so
/// the scan jumps from one line break or full stop to the next.
pub fn latin_sentences(text: &str) -> Option<Vec<(usize, usize)>> {
    if !text.is_ascii() && !text.chars().all(|c| class(c).is_some()) {
        return None;
    }
    let bytes = text.as_bytes();
    let mut bounds = Vec::new();
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        let boundary = match bytes[at] {
            // SB3: CR × LF; SB4: ParaSep ÷.
            b'\r' if bytes.get(at + 1) == Some(&b'\n') => Some(at + 2),
            b'\r' | b'\n' => Some(at + 1),
            b'.' | b'!' | b'?' => {
                let (run_end, breaks) = after_terminator(text, at);
                at = run_end;
                breaks.then_some(run_end)
            }
            // Other ASCII bytes and the bytes of other characters (all >= 0x80).
            _ => {
                at += 1;
                continue;
            }
        };
        if let Some(boundary) = boundary {
            at = boundary;
            if boundary < text.len() {
                bounds.push((start, boundary));
                start = boundary;
            }
        }
    }
    if !text.is_empty() {
        bounds.push((start, text.len()));
    }
    Some(bounds)
}

/// The class of the character at byte `at` (a character boundary before the end).
fn class_at(text: &str, at: usize) -> Option<(Class, usize)> {
    let c = text[at..].chars().next()?;
    Some((class(c)?, c.len_utf8()))
}

/// For the terminator at `at`: the end of its run `SATerm Close* Sp*` and
/// whether a sentence boundary falls there.
fn after_terminator(text: &str, at: usize) -> (usize, bool) {
    use Class::*;
    let terminator = if text.as_bytes()[at] == b'.' { ATerm } else { STerm };
    let after_letter = text[..at].chars().next_back().and_then(class).is_some_and(|c| matches!(c, Upper | Lower));
    let (mut closes, mut spaces) = (false, false);
    let mut end = at + 1;
    while let Some((class, len)) = class_at(text, end) {
        match class {
            Close if !spaces => closes = true,
            Sp => spaces = true,
            _ => break,
        }
        end += len;
    }
    // SB2: the end of the text is a boundary of its own.
    let Some((after, _)) = class_at(text, end) else {
        return (end, false);
    };
    let keeps_going =
        // SB9, SB10: SATerm Close* Sp* × ParaSep (the boundary comes after it, SB4).
        matches!(after, Cr | Lf)
        // SB6: ATerm × Numeric; SB7: (Upper | Lower) ATerm × Upper.
        || (terminator == ATerm && !closes && !spaces && (after == Numeric || (after == Upper && after_letter)))
        // SB8: ATerm Close* Sp* × ( ¬(OLetter | Upper | Lower | ParaSep | SATerm) )* Lower.
        || (terminator == ATerm && lower_follows(text, end))
        // SB8a: SATerm Close* Sp* × (SContinue | SATerm).
        || matches!(after, SContinue | ATerm | STerm);
    // SB11: SATerm Close* Sp* ÷.
    (end, !keeps_going)
}

/// SB8's look-ahead from `at`: a lower-case letter comes before any other letter,
/// line break or terminator. It stops at the next terminator, so looking ahead
/// from every full stop stays linear in the text.
fn lower_follows(text: &str, at: usize) -> bool {
    use Class::*;
    text[at..]
        .chars()
        .filter_map(class)
        .find(|next| matches!(next, Lower | Upper | Cr | Lf | ATerm | STerm))
        .is_some_and(|next| next == Lower)
}

#[cfg(test)]
mod tests {
    use unicode_segmentation::UnicodeSegmentation;

    use super::*;

    fn by_the_crate(text: &str) -> Vec<(usize, usize)> {
        text.split_sentence_bound_indices().map(|(i, s)| (i, i + s.len())).collect()
    }

    #[test]
    fn agrees_with_unicode_segmentation_on_news_text() {
        for text in [
            "Lavrov spoke. He left.\n\nPutin said “No.” Then he went.",
            "The U.S. Army met at 10.30 a.m. in St. Petersburg. “Really?!” he asked (twice.) Yes…",
            "He said: “We will not.” ‘Maybe,’ she said. etc. e.g. the 3.5% rise. A.B. Smith. Mr. Lavrov.\r\nNext.",
            "",
            " . ",
            "Zürich’s café. Élan — «quoted» – 5 € or £3, 40°.  Then?  No!\t'Yes.' \"Fine.\" [sic.] (ok.) ok",
        ] {
            assert_eq!(latin_sentences(text), Some(by_the_crate(text)), "{text:?}");
        }
    }

    #[test]
    fn agrees_with_unicode_segmentation_on_random_latin_text() {
        let alphabet: Vec<char> = "aZé9 .!?,;:-'’“”(\n\r\u{a0}—xÉ1\"…«)–µ×\t[".chars().collect();
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for length in [3, 8, 14, 24] {
            for _ in 0..25_000 {
                let mut text = String::new();
                for _ in 0..length {
                    // xorshift: deterministic and good enough to shuffle an alphabet.
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    text.push(alphabet[(state % alphabet.len() as u64) as usize]);
                }
                assert_eq!(latin_sentences(&text), Some(by_the_crate(&text)), "{text:?}");
            }
        }
    }

    #[test]
    fn long_runs_after_a_full_stop_take_linear_time() {
        // Looking back (or ahead) from every space of the run would be quadratic;
        // the crate itself is (its SB8 look-ahead), so it checks the short runs.
        for run in [1, 2, 50] {
            let text = format!("End.{}{}a B.{}C", " ".repeat(run), ")".repeat(run), "\u{a0}".repeat(run));
            assert_eq!(latin_sentences(&text), Some(by_the_crate(&text)), "{text:?}");
        }
        let text = format!("End.{}{}a B.{}C", " ".repeat(400_000), ")".repeat(10), " ".repeat(400_000));
        // "a" is lower case: no break after "End." (SB8); "C" starts a sentence.
        let end = text.len();
        assert_eq!(latin_sentences(&text), Some(vec![(0, end - 1), (end - 1, end)]));
    }

    #[test]
    fn other_scripts_are_left_to_the_tables() {
        assert_eq!(latin_sentences("Лавров сказал."), None);
        assert_eq!(latin_sentences("Ćwierć."), None);
    }
}
