//! Quotation marks in article text: curly and straight, double and single, with
//! apostrophes inside words (it’s, Russia’s, don't) left out.

use crate::text::TextRange;

/// Double (“ ” „ " « ») or single (‘ ’ ‚ ' ‹ ›) quotation marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MarkShape {
    /// Double marks.
    Double,
    /// Single marks.
    Single,
}

/// What a mark looks like it does, from its glyph and its neighbours. Pairing marks
/// into quotations (which may overrule this) is the quotation analysis's job.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MarkRole {
    /// Opens a quotation.
    Opening,
    /// Closes a quotation.
    Closing,
    /// A straight mark with the same kind of character on both sides.
    Ambiguous,
}

/// One quotation mark in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuoteMark {
    /// Its bytes.
    pub range: TextRange,
    /// Double or single.
    pub shape: MarkShape,
    /// Opening, closing or either.
    pub role: MarkRole,
    /// Whether it is a straight mark (" or ').
    pub straight: bool,
    /// A closing single mark right after a letter ("allies’ ") reads as a plural
    /// possessive unless a single quotation is open.
    pub may_be_apostrophe: bool,
}

fn is_word_char(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

/// Characters after which a mark opens a quotation.
fn opens_after(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | '/' | '“' | '‘' | '"' | '\'' | '„' | '‚' | '«' | '»' | '‹' | '›')
        }
    }
}

/// Characters before which a mark closes a quotation.
fn closes_before(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '.' | ','
                        | ';'
                        | ':'
                        | '!'
                        | '?'
                        | ')'
                        | ']'
                        | '}'
                        | '—'
                        | '–'
                        | '-'
                        | '…'
                        | '”'
                        | '’'
                        | '"'
                        | '\''
                        | '“'
                        | '‘'
                        | '»'
                        | '«'
                        | '›'
                        | '‹'
                )
        }
    }
}

/// A guillemet opens after white space or an opening bracket or mark and
/// closes before white space or punctuation; with neither clear, `«`/`‹` open
/// and `»`/`›` close (the French, Russian and Ukrainian way).
fn guillemet_role(c: char, prev: Option<char>, next: Option<char>) -> MarkRole {
    let glued_before = prev.is_some_and(|p| !opens_after(Some(p)));
    let free_after = next.is_none_or(|n| n.is_whitespace() || matches!(n, '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '—' | '–' | '…'));
    let opens_word = opens_after(prev) && next.is_some_and(|n| n.is_alphanumeric());
    match c {
        '«' | '‹' if glued_before && free_after => MarkRole::Closing,
        '»' | '›' if opens_word => MarkRole::Opening,
        '«' | '‹' => MarkRole::Opening,
        _ => MarkRole::Closing,
    }
}

/// Every quotation mark in `text[from..]`, in order.
pub fn find_quote_marks(text: &str, from: usize) -> Vec<QuoteMark> {
    find_quote_marks_in(text, TextRange::new(from, text.len()))
}

/// The quotation marks starting inside `span`, judged by their neighbours in the
/// whole `text`.
pub fn find_quote_marks_in(text: &str, span: TextRange) -> Vec<QuoteMark> {
    let from = span.start;
    let mut marks = Vec::new();
    let mut prev: Option<char> = text[..from].chars().next_back();
    let mut chars = text[from..].char_indices().peekable();
    while let Some((rel, c)) = chars.next() {
        let start = from + rel;
        if start >= span.end {
            break;
        }
        let next = chars.peek().map(|&(_, n)| n);
        let range = TextRange::new(start, start + c.len_utf8());
        let mark = match c {
            '“' | '„' => Some((MarkShape::Double, MarkRole::Opening, false, false)),
            '‚' => Some((MarkShape::Single, MarkRole::Opening, false, false)),
            // Guillemets point either way: «…» in French, Russian and Ukrainian,
            // »…« in German. Which way a mark faces follows from its neighbours.
            '«' | '»' | '‹' | '›' => {
                let shape = if matches!(c, '«' | '»') { MarkShape::Double } else { MarkShape::Single };
                Some((shape, guillemet_role(c, prev, next), false, false))
            }
            '”' => Some((MarkShape::Double, MarkRole::Closing, false, false)),
            '‘' if !(is_word_char(prev) && is_word_char(next)) => Some((MarkShape::Single, MarkRole::Opening, false, false)),
            '’' | '\'' if is_word_char(prev) && is_word_char(next) => None, // it’s, Russia’s
            '’' => Some((MarkShape::Single, MarkRole::Closing, false, is_word_char(prev))),
            '"' | '\'' => {
                let shape = if c == '"' { MarkShape::Double } else { MarkShape::Single };
                let role = match (
                    opens_after(prev) && next.is_some_and(|n| !n.is_whitespace()),
                    closes_before(next) && prev.is_some_and(|p| !p.is_whitespace()),
                ) {
                    (true, false) => MarkRole::Opening,
                    (false, true) => MarkRole::Closing,
                    _ => MarkRole::Ambiguous,
                };
                // '90s and rock 'n' roll style elisions open nothing; the second
                // mark of a typewriter double ''10 times…'' is no elision.
                if c == '\'' && role == MarkRole::Opening && next.is_some_and(|n| n.is_ascii_digit()) && prev != Some('\'') {
                    None
                } else {
                    Some((shape, role, true, c == '\'' && role == MarkRole::Closing && is_word_char(prev)))
                }
            }
            _ => None,
        };
        if let Some((shape, role, straight, may_be_apostrophe)) = mark {
            marks.push(QuoteMark { range, shape, role, straight, may_be_apostrophe });
        }
        prev = Some(c);
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(text: &str) -> Vec<(String, MarkRole)> {
        find_quote_marks(text, 0).iter().map(|m| (m.range.slice(text).to_string(), m.role)).collect()
    }

    #[test]
    fn guillemets_face_the_way_their_neighbours_say() {
        use MarkRole::*;
        assert_eq!(roles("«Да», — сказал он."), [("«".into(), Opening), ("»".into(), Closing)]);
        assert_eq!(roles("« Nous sommes prêts », a-t-il dit."), [("«".into(), Opening), ("»".into(), Closing)]);
        assert_eq!(roles("sagte: »Wir sind bereit«, so er."), [("»".into(), Opening), ("«".into(), Closing)]);
        assert_eq!(
            roles("„Das ‚Nein‘ gilt“"),
            [("„".into(), Opening), ("‚".into(), Opening), ("‘".into(), Opening), ("“".into(), Opening)]
        );
    }

    #[test]
    fn apostrophes_inside_words_are_not_marks() {
        assert!(roles("Russia’s plans, it’s clear, don't").is_empty());
    }

    #[test]
    fn curly_marks_have_fixed_roles() {
        use MarkRole::*;
        assert_eq!(roles("“a ‘b’ c”"), [("“".into(), Opening), ("‘".into(), Opening), ("’".into(), Closing), ("”".into(), Closing)]);
    }

    #[test]
    fn straight_marks_take_their_role_from_neighbours() {
        use MarkRole::*;
        assert_eq!(
            roles(r#"He said "no" to 'that'."#),
            [("\"".into(), Opening), ("\"".into(), Closing), ("'".into(), Opening), ("'".into(), Closing)]
        );
        assert_eq!(roles("a \" b")[0].1, Ambiguous);
    }

    #[test]
    fn plural_possessive_may_be_an_apostrophe() {
        let marks = find_quote_marks("the allies’ view", 0);
        assert!(marks[0].may_be_apostrophe);
        assert!(find_quote_marks("in the '90s", 0).is_empty());
    }

    /// Regression (PolNeAR train): the second mark of ''10 times…'' was taken
    /// for the elision in '90s, and the quote was lost.
    #[test]
    fn a_typewriter_double_mark_before_a_digit_is_two_marks() {
        assert_eq!(roles("is ''10 times'' more").len(), 4);
    }
}
