//! The optional `date YYYY-MM-DD` header that may open an article, either alone on
//! its line or glued to the first paragraph.

use chrono::NaiveDate;

use crate::text::TextRange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateHeader {
    /// From the start of the file through the date and the white space after it:
    /// the first paragraph begins at `range.end`.
    pub range: TextRange,
    /// The date token as written.
    pub date_range: TextRange,
    /// `None` when the token has the shape of a date but is not a valid one
    /// (the caller reports it).
    pub date: Option<NaiveDate>,
}

/// Recognises `date` followed by a token that starts with a digit. Prose that merely
/// begins with the word "date" is left alone.
pub fn parse_date_header(text: &str) -> Option<DateHeader> {
    let lead = text.len() - text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}').len();
    let rest = &text[lead..];
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
    let date = parse_iso_date(date_range.slice(text));
    Some(DateHeader { range: TextRange::new(0, date_range.end + trailing), date_range, date })
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
    fn prose_starting_with_date_is_not_a_header() {
        assert!(parse_date_header("Date of the summit was moved.").is_none());
        assert!(parse_date_header("dated 2021-01-01").is_none());
        assert!(parse_date_header("Lavrov said.").is_none());
    }
}
