//! The optional header that may open an article: a `date YYYY-MM-DD` line,
//! alone on its line or glued to the first paragraph, and a `lang xx` line
//! alone on its line, in either order.

use chrono::NaiveDate;

use super::lang::Lang;
use crate::text::TextRange;

/// The header lines at an article's start: `date YYYY-MM-DD` and `lang xx`, either or both.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateHeader {
    /// From the start of the file through the header lines and the white space
    /// after them: the first paragraph begins at `range.end`.
    pub range: TextRange,
    /// The date token as written (an empty range at the header's start when
    /// only a `lang` line is there).
    pub date_range: TextRange,
    /// `None` when there is no date line, or the token has the shape of a date
    /// but is not a valid one (the caller reports it: see [`DateHeader::has_date`]).
    pub date: Option<NaiveDate>,
    /// The `lang` line's code as written, if there is one.
    pub lang_range: Option<TextRange>,
    /// The language of that code; `None` for a code marginalia does not know.
    pub lang: Option<Lang>,
}

impl DateHeader {
    /// The header has a `date` line (valid or not).
    pub fn has_date(&self) -> bool {
        !self.date_range.is_empty()
    }
}

/// The article header: a `date` line and a `lang` line, in either order, each
/// at most once. Prose that merely begins with the word "date" or "lang" is
/// left alone.
pub fn parse_date_header(text: &str) -> Option<DateHeader> {
    let lead = text.len() - text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}').len();
    let mut header: Option<DateHeader> = None;
    let mut at = lead;
    for _ in 0..2 {
        let found_lang = header.as_ref().is_some_and(|h| h.lang_range.is_some());
        let found_date = header.as_ref().is_some_and(DateHeader::has_date);
        if !found_lang && let Some((code, end)) = lang_line(text, at) {
            let h = header.get_or_insert(DateHeader {
                range: TextRange::new(0, end),
                date_range: TextRange::empty(lead),
                date: None,
                lang_range: None,
                lang: None,
            });
            h.range = TextRange::new(0, end);
            h.lang_range = Some(code);
            h.lang = Lang::from_code(code.slice(text));
            at = end;
            continue;
        }
        if !found_date && let Some(date) = date_line(text, at) {
            let glued = !text[..date.range.end].ends_with('\n') && text[date.range.end..].starts_with(|c: char| c != '\n' && c != '\r');
            let h = header.get_or_insert(DateHeader { lang_range: None, lang: None, ..date.clone() });
            h.range = date.range;
            h.date_range = date.date_range;
            h.date = date.date;
            at = date.range.end;
            if glued {
                break;
            }
            continue;
        }
        break;
    }
    // The white space after the last line belongs to the header.
    if let Some(h) = &mut header {
        let rest = &text[h.range.end..];
        let trailing = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        h.range = TextRange::new(0, h.range.end + trailing);
    }
    header
}

/// `lang xx` at `at`, alone on its line: the code's range and where the line
/// (with its line break) ends.
fn lang_line(text: &str, at: usize) -> Option<(TextRange, usize)> {
    let rest = &text[at..];
    let after_keyword = rest.strip_prefix("lang").or_else(|| rest.strip_prefix("Lang"))?;
    let after_colon = after_keyword.strip_prefix(':').unwrap_or(after_keyword);
    let token_rel = after_colon.len() - after_colon.trim_start_matches([' ', '\t']).len();
    if token_rel == 0 {
        return None;
    }
    let token = &after_colon[token_rel..];
    let token_len = token.find(|c: char| !(c.is_ascii_alphabetic() || c == '-' || c == '_')).unwrap_or(token.len());
    if !(2..=8).contains(&token_len) {
        return None;
    }
    let start = text.len() - token.len();
    let line_rest = &token[token_len..];
    let blank = line_rest.len() - line_rest.trim_start_matches([' ', '\t']).len();
    let after = &line_rest[blank..];
    // Alone on its line: "lang de is a code" is prose.
    let end = if after.is_empty() {
        text.len()
    } else if let Some(stripped) = after.strip_prefix("\r\n").or_else(|| after.strip_prefix('\n')) {
        text.len() - stripped.len()
    } else {
        return None;
    };
    Some((TextRange::new(start, start + token_len), end))
}

/// A `date` line at `at` (the header's range runs from 0 through its line
/// break, or through the date when the first paragraph follows on its line).
fn date_line(text: &str, at: usize) -> Option<DateHeader> {
    let rest = &text[at..];
    let after_keyword = rest.strip_prefix("date").or_else(|| rest.strip_prefix("Date"))?;
    let after_colon = after_keyword.strip_prefix(':').unwrap_or(after_keyword);
    let token_rel = after_colon.len() - after_colon.trim_start_matches([' ', '\t']).len();
    if token_rel == 0 && after_colon.len() == after_keyword.len() {
        return None; // "dated", "datelines": the keyword must stand alone
    }
    let token_text = &after_colon[token_rel..];
    if !token_text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let token_len = token_text.find(char::is_whitespace).unwrap_or(token_text.len());
    let token_start = text.len() - token_text.len();
    let date_range = TextRange::new(token_start, token_start + token_len);
    let after_token = &text[date_range.end..];
    let trailing = after_token.len() - after_token.trim_start_matches([' ', '\t']).len();
    let mut end = date_range.end + trailing;
    // A line of its own: its line break too, so that a `lang` line may follow.
    if let Some(stripped) = text[end..].strip_prefix("\r\n").or_else(|| text[end..].strip_prefix('\n')) {
        let next = text.len() - stripped.len();
        if lang_line(text, next).is_some() {
            end = next;
        }
    }
    let date = parse_iso_date(date_range.slice(text));
    Some(DateHeader { range: TextRange::new(0, end), date_range, date, lang_range: None, lang: None })
}

/// Strict `YYYY-MM-DD` with a real calendar date.
pub fn parse_iso_date(token: &str) -> Option<NaiveDate> {
    let bytes = token.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shaped {
        return None;
    }
    NaiveDate::parse_from_str(token, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_alone_on_its_line_with_padding() {
        let text = " date 2021-12-02 \n\n\n\nSpeaking during";
        let header = parse_date_header(text).unwrap();
        assert_eq!(header.date.unwrap().to_string(), "2021-12-02");
        assert_eq!(header.date_range.slice(text), "2021-12-02");
        assert_eq!(&text[header.range.end..header.range.end + 1], "\n");
    }

    #[test]
    fn header_glued_to_paragraph() {
        let text = " date 2022-01-27 “There is";
        let header = parse_date_header(text).unwrap();
        assert_eq!(&text[header.range.end..], "“There is");
    }

    #[test]
    fn invalid_calendar_date_is_kept_for_reporting() {
        let header = parse_date_header("date 2021-02-30\nText").unwrap();
        assert_eq!(header.date, None);
        assert_eq!(parse_date_header("date 2021-2-3 x").unwrap().date, None);
    }

    #[test]
    fn lang_line_after_or_before_the_date() {
        let text = "date 2022-01-27\nlang de\n\n„Wir sind bereit“";
        let header = parse_date_header(text).unwrap();
        assert_eq!(header.lang, Some(Lang::De));
        assert_eq!(header.date.unwrap().to_string(), "2022-01-27");
        assert_eq!(header.lang_range.unwrap().slice(text), "de");
        assert_eq!(&text[header.range.end..], "\n„Wir sind bereit“");
        let text = "lang ru\ndate 2022-01-27\n«Мы готовы»";
        let header = parse_date_header(text).unwrap();
        assert_eq!((header.lang, header.date_range.slice(text)), (Some(Lang::Ru), "2022-01-27"));
        assert_eq!(&text[header.range.end..], "\n«Мы готовы»");
        let header = parse_date_header("lang xx\nText").unwrap();
        assert!(!header.has_date());
        assert_eq!((header.lang, header.lang_range.map(|r| r.start)), (None, Some(5)));
        assert!(parse_date_header("lang de is a code.").is_none());
        assert!(parse_date_header("language matters").is_none());
    }

    #[test]
    fn prose_starting_with_date_is_not_a_header() {
        assert!(parse_date_header("Date of the summit was moved.").is_none());
        assert!(parse_date_header("dated 2021-01-01").is_none());
        assert!(parse_date_header("Lavrov said.").is_none());
    }
}
