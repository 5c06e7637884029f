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
pub fn latin_sentences(text: &str) -> Option<Vec<(usize, usize)>> {
    let classes: Vec<(usize, Class)> = text.char_indices().map(|(at, c)| class(c).map(|class| (at, class))).collect::<Option<_>>()?;
    let mut bounds = Vec::new();
    let mut start = 0;
    let mut state = State::default();
    for i in 1..classes.len() {
        state.advance(classes[i - 1].1, i.checked_sub(2).map(|k| classes[k].1));
        if state.breaks_before(&classes, i) {
            let at = classes[i].0;
            bounds.push((start, at));
            start = at;
        }
    }
    if !text.is_empty() {
        bounds.push((start, text.len()));
    }
    Some(bounds)
}

/// What the rules need to know of the text before a position: whether it ends
/// in `SATerm Close* Sp*` and, if so, the shape of that run. Kept going forward
/// so that long runs of spaces or brackets cost linear time.
#[derive(Default)]
struct State {
    previous: Option<Class>,
    terminator: Option<Terminator>,
}

struct Terminator {
    class: Class,
    /// The character before the terminator is a letter (SB7).
    after_letter: bool,
    closes: bool,
    spaces: bool,
    /// SB8's look-ahead, the same from anywhere in the run: computed once.
    lower_follows: Option<bool>,
}

impl State {
    /// Takes in the class of the character before the position (and of the one before that).
    fn advance(&mut self, class: Class, before: Option<Class>) {
        use Class::*;
        self.previous = Some(class);
        match (class, &mut self.terminator) {
            (ATerm | STerm, _) => {
                self.terminator = Some(Terminator {
                    class,
                    after_letter: matches!(before, Some(Upper | Lower)),
                    closes: false,
                    spaces: false,
                    lower_follows: None,
                })
            }
            (Close, Some(t)) if !t.spaces => t.closes = true,
            (Sp, Some(t)) => t.spaces = true,
            _ => self.terminator = None,
        }
    }

    /// Whether a sentence boundary falls before `classes[i]` (0 < i < len).
    fn breaks_before(&mut self, classes: &[(usize, Class)], i: usize) -> bool {
        use Class::*;
        let before = self.previous.expect("advanced past the first character");
        let after = classes[i].1;
        // SB3: CR × LF. SB4: ParaSep ÷.
        if before == Cr && after == Lf {
            return false;
        }
        if matches!(before, Cr | Lf) {
            return true;
        }
        let Some(t) = &mut self.terminator else {
            // SB998: no terminator, no break.
            return false;
        };
        if t.class == ATerm && !t.spaces && !t.closes {
            // SB6: ATerm × Numeric.
            if after == Numeric {
                return false;
            }
            // SB7: (Upper | Lower) ATerm × Upper.
            if after == Upper && t.after_letter {
                return false;
            }
        }
        // SB8: ATerm Close* Sp* × ( ¬(OLetter | Upper | Lower | ParaSep | SATerm) )* Lower.
        if t.class == ATerm {
            let lower_follows = *t.lower_follows.get_or_insert_with(|| {
                classes[i..]
                    .iter()
                    .map(|&(_, next)| next)
                    .find(|next| matches!(next, Lower | Upper | Cr | Lf | ATerm | STerm))
                    .is_some_and(|next| next == Lower)
            });
            if lower_follows {
                return false;
            }
        }
        // SB8a: SATerm Close* Sp* × (SContinue | SATerm).
        if matches!(after, SContinue | ATerm | STerm) {
            return false;
        }
        // SB9: SATerm Close* × (Close | Sp | ParaSep).
        if !t.spaces && matches!(after, Close | Sp | Cr | Lf) {
            return false;
        }
        // SB10: SATerm Close* Sp* × (Sp | ParaSep).
        if matches!(after, Sp | Cr | Lf) {
            return false;
        }
        // SB11: SATerm Close* Sp* ParaSep? ÷.
        true
    }
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
