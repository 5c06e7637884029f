//! UAX #29 word boundaries for text in the Latin script, without table lookups:
//! the rules that matter for letters, digits, apostrophes and the punctuation of
//! news text (WB5–WB13b), for characters whose word-break class is known here.

/// The word-break classes that occur in Latin text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Digit,
    /// ':'
    MidLetter,
    /// '.', '‘', '’'
    MidNumLet,
    /// '\''
    SingleQuote,
    /// ',', ';'
    MidNum,
    /// '_'
    ExtendNumLet,
    Other,
}

fn class(c: char) -> Class {
    match c {
        'a'..='z' | 'A'..='Z' => Class::Letter,
        '0'..='9' => Class::Digit,
        ':' => Class::MidLetter,
        '.' | '‘' | '’' => Class::MidNumLet,
        '\'' => Class::SingleQuote,
        ',' | ';' => Class::MidNum,
        '_' => Class::ExtendNumLet,
        // Latin-1 Supplement and Latin Extended-A/B letters (× and ÷ are not).
        '\u{c0}'..='\u{24f}' if c != '×' && c != '÷' => Class::Letter,
        _ => Class::Other,
    }
}

/// [`class`] of every ASCII character, looked up rather than matched: the word
/// scanner classifies most characters of an article several times.
const ASCII_CLASSES: [Class; 128] = {
    let mut table = [Class::Other; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
            b'0'..=b'9' => Class::Digit,
            b':' => Class::MidLetter,
            b'.' => Class::MidNumLet,
            b'\'' => Class::SingleQuote,
            b',' | b';' => Class::MidNum,
            b'_' => Class::ExtendNumLet,
            _ => Class::Other,
        };
        b += 1;
    }
    table
};

/// Whether `c`'s word-break class is known here: ASCII, Latin letters, and the
/// quotation marks, dashes and spaces of news text. Other characters (combining
/// marks, soft hyphens, other scripts) go through the full algorithm.
fn is_known(c: char) -> bool {
    c.is_ascii() || matches!(c, '\u{c0}'..='\u{24f}' | '\u{a0}' | '‘' | '’' | '“' | '”' | '—' | '–' | '…' | '«' | '»' | '€' | '£' | '°')
}

/// The class of the character starting at byte `at` of `text`, and its length;
/// past the end, `Other`; `None` for a character whose class is not known here.
#[inline]
fn class_at(text: &str, at: usize) -> Option<(Class, usize)> {
    match text.as_bytes().get(at) {
        None => Some((Class::Other, 0)),
        Some(&b) if b.is_ascii() => Some((ASCII_CLASSES[b as usize], 1)),
        Some(_) => {
            let c = text[at..].chars().next()?;
            is_known(c).then(|| (class(c), c.len_utf8()))
        }
    }
}

/// Byte ranges of the words (segments starting with a letter or digit), or
/// `None` if `text` holds a character whose class is not known here.
pub fn latin_words(text: &str) -> Option<Vec<(usize, usize)>> {
    Some(latin_segments(text)?.into_iter().filter(|s| s.is_word).map(|s| (s.start, s.end)).collect())
}

/// A segment the word scanner takes whole: a word, or a run such as "_x" that
/// starts with a connector and is not a word but is not split either.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Start, in bytes from the paragraph's start.
    pub start: usize,
    /// End (exclusive), in bytes from the paragraph's start.
    pub end: usize,
    /// Whether the segment is a word (not spaces or punctuation).
    pub is_word: bool,
}

/// The segments of `text` that start with a letter, digit or connector, or
/// `None` if `text` holds a character whose class is not known here.
pub fn latin_segments(text: &str) -> Option<Vec<Segment>> {
    let mut found = Vec::with_capacity(text.len() / 6);
    let mut at = 0;
    while at < text.len() {
        let (first, first_len) = class_at(text, at)?;
        if !matches!(first, Class::Letter | Class::Digit | Class::ExtendNumLet) {
            at += first_len;
            continue;
        }
        let start = at;
        let mut previous = first;
        at += first_len;
        while at < text.len() {
            match class_at(text, at)? {
                // WB5, WB8, WB9, WB10, WB13a, WB13b
                (next @ (Class::Letter | Class::Digit | Class::ExtendNumLet), len) => {
                    previous = next;
                    at += len;
                }
                (middle @ (Class::MidLetter | Class::MidNumLet | Class::SingleQuote | Class::MidNum), len) => {
                    let (after, after_len) = class_at(text, at + len)?;
                    // WB6/7: letter (MidLetter | MidNumLet | Single_Quote) letter;
                    // WB11/12: digit (MidNum | MidNumLet | Single_Quote) digit.
                    let joins = matches!(
                        (previous, middle, after),
                        (Class::Letter, Class::MidLetter | Class::MidNumLet | Class::SingleQuote, Class::Letter)
                            | (Class::Digit, Class::MidNum | Class::MidNumLet | Class::SingleQuote, Class::Digit)
                    );
                    if !joins {
                        break;
                    }
                    previous = after;
                    at += len + after_len;
                }
                (_, _) => break,
            }
        }
        found.push(Segment { start, end: at, is_word: first != Class::ExtendNumLet });
    }
    Some(found)
}

#[cfg(test)]
mod tests {
    use unicode_segmentation::UnicodeSegmentation;

    use super::*;

    fn by_the_crate(text: &str) -> Vec<(usize, usize)> {
        text.split_word_bound_indices()
            .filter(|(_, w)| w.chars().next().is_some_and(char::is_alphanumeric))
            .map(|(i, w)| (i, i + w.len()))
            .collect()
    }

    #[test]
    fn agrees_with_unicode_segmentation_on_news_text() {
        for text in [
            "Russia’s top diplomat didn't say “no”: he said 1,000.5 times, e.g. U.S. co-operation at 10:30 — café Zürich_2 ‘quoted’ l’été…",
            "Lavrov said: “NATO’s 3.5% rise, 1;2, a:b, x'y, 9'9 and _under score_ 4_5.”\n\nNext para, ok-free.",
            "",
            "’’ '' ‘a’ a’ ’a 1’ ’1 a. .a 1. .1 __ _a a_",
        ] {
            assert_eq!(latin_words(text), Some(by_the_crate(text)), "{text}");
        }
    }

    #[test]
    fn other_scripts_are_left_to_the_tables() {
        assert_eq!(latin_words("Лавров"), None);
        assert_eq!(latin_words("a\u{301}"), None);
    }

    #[test]
    fn agrees_with_unicode_segmentation_on_random_latin_text() {
        let alphabet: Vec<char> = "aZé9 .,;:'’‘_“”—\n-x1".chars().collect();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..12 {
                // xorshift: deterministic and good enough to shuffle an alphabet.
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            assert_eq!(latin_words(&text), Some(by_the_crate(&text)), "{text:?}");
        }
    }
}
