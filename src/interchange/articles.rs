//! Articles brought in from news datasets and scrapers (`marginalia ingest`):
//! one record of JSON lines or CSV becomes one article file, `ID.txt`, opening
//! with the `date YYYY-MM-DD` header the analysis reads roles by.
//!
//! A record such as
//!
//! ```json
//! {"id": "nyt/2016-10-02/1", "date": "2016-10-02T14:03:00Z", "title": "A Curious Plan", "text": "First paragraph.\n\nSecond."}
//! ```
//!
//! becomes `nyt_2016-10-02_1.txt`:
//!
//! ```text
//! date 2016-10-02
//!
//! A Curious Plan
//!
//! First paragraph.
//!
//! Second.
//! ```
//!
//! Pure: records in, file names and article text out; `cli/ingest.rs` reads the
//! inputs and writes the files.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde_json::Value;

/// Which field of a record holds what (`--text-field`, `--date-field`, …).
/// A name with dots (`meta.published`) looks inside nested JSON objects.
#[derive(Clone, Debug)]
pub struct FieldNames {
    /// The field holding the article's text.
    pub text: String,
    /// The field holding its date.
    pub date: String,
    /// The field holding its id (the file name comes from it).
    pub id: String,
    /// The field holding its title (the first line of the file).
    pub title: String,
}

impl Default for FieldNames {
    fn default() -> FieldNames {
        FieldNames { text: "text".into(), date: "date".into(), id: "id".into(), title: "title".into() }
    }
}

/// One article as read from a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncomingArticle {
    /// Its id, as given.
    pub id: String,
    /// Its date, when the date field held one.
    pub date: Option<NaiveDate>,
    /// Its title, if any.
    pub title: Option<String>,
    /// Its text.
    pub text: String,
}

impl IncomingArticle {
    /// The article file's name: the id made safe, then `.txt`.
    pub fn file_name(&self) -> String {
        format!("{}.txt", safe_file_stem(&self.id))
    }

    /// The article file's text: the date header, the title, the text, each a
    /// paragraph of its own; line endings made `\n`.
    pub fn file_text(&self) -> String {
        let mut out = String::new();
        if let Some(date) = self.date {
            out.push_str(&format!("date {date}\n\n"));
        }
        if let Some(title) = self.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            out.push_str(&title.replace("\r\n", " ").replace(['\n', '\r'], " "));
            out.push_str("\n\n");
        }
        out.push_str(self.text.replace("\r\n", "\n").replace('\r', "\n").trim());
        out.push('\n');
        out
    }
}

/// The article of one JSON record, or what is wrong with it.
pub fn article_from_json(record: &Value, fields: &FieldNames) -> Result<IncomingArticle, String> {
    if !record.is_object() {
        return Err(format!("a record must be a JSON object, found {}", json_type(record)));
    }
    let get = |name: &str| -> Result<Option<String>, String> {
        let mut value = record;
        for part in name.split('.') {
            match value.get(part) {
                Some(inner) => value = inner,
                None => return Ok(None),
            }
        }
        match value {
            Value::String(s) => Ok(Some(s.clone())),
            Value::Number(n) => Ok(Some(n.to_string())),
            Value::Null => Ok(None),
            other => Err(format!("field `{name}` must be a string, found {}", json_type(other))),
        }
    };
    build(get(&fields.id)?, get(&fields.date)?, get(&fields.title)?, get(&fields.text)?, fields)
}

/// The article of one CSV row (`headers` from the file's first row).
pub fn article_from_row(headers: &[String], row: &[String], fields: &FieldNames) -> Result<IncomingArticle, String> {
    let get = |name: &str| headers.iter().position(|h| h == name).and_then(|i| row.get(i)).filter(|v| !v.is_empty()).cloned();
    build(get(&fields.id), get(&fields.date), get(&fields.title), get(&fields.text), fields)
}

fn build(
    id: Option<String>,
    date: Option<String>,
    title: Option<String>,
    text: Option<String>,
    fields: &FieldNames,
) -> Result<IncomingArticle, String> {
    let missing = |what: &str, flag: &str| format!("no `{what}` field (the {flag} is given by --{flag}-field)");
    let id = id.map(|i| i.trim().to_string()).filter(|i| !i.is_empty()).ok_or_else(|| missing(&fields.id, "id"))?;
    let text = text.ok_or_else(|| missing(&fields.text, "text"))?;
    let date_text = date.ok_or_else(|| missing(&fields.date, "date"))?;
    let date = parse_article_date(&date_text).ok_or_else(|| {
        format!("`{}` is {date_text:?}, not a date (YYYY-MM-DD, an ISO 8601 / RFC 3339 or an RFC 2822 timestamp)", fields.date)
    })?;
    Ok(IncomingArticle { id, date: Some(date), title, text })
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Object(_) => "an object",
        Value::Array(_) => "an array",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
    }
}

/// The calendar date of a dataset's date field: `2016-10-02`, `2016-10-02T14:03:00Z`
/// (RFC 3339, any offset: the date as written), `2016-10-02 14:03:00`, or
/// `Sun, 02 Oct 2016 14:03:00 +0000` (RFC 2822, as RSS feeds write it).
///
/// ```
/// # use marginalia::interchange::articles::parse_article_date;
/// let day = chrono::NaiveDate::from_ymd_opt(2016, 10, 2);
/// assert_eq!(parse_article_date("2016-10-02T23:30:00-04:00"), day);
/// assert_eq!(parse_article_date("Sun, 02 Oct 2016 14:03:00 +0000"), day);
/// assert_eq!(parse_article_date("02/10/2016"), None, "day or month first? not guessed");
/// ```
pub fn parse_article_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if let Some(date) = text.get(..10).and_then(crate::article::parse_iso_date)
        && (text.len() == 10 || text[10..].starts_with(['T', 't', ' ']))
    {
        // The date as the source wrote it, whatever the time or offset after it.
        let rest = &text[10..];
        let time_ok = rest.is_empty()
            || DateTime::parse_from_rfc3339(text).is_ok()
            || NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
            || NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").is_ok()
            || NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").is_ok()
            || DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f%#z").is_ok();
        return time_ok.then_some(date);
    }
    DateTime::parse_from_rfc2822(text).ok().map(|d| d.date_naive())
}

/// A file stem from an article id: letters, digits, `-`, `_` and `.` kept,
/// every other run of characters one `_`, no leading or trailing `.` or `_`, at
/// most 120 bytes, never a name Windows reserves. So an id can never name a
/// file outside the articles folder (`../x`), a hidden file, or nothing.
///
/// ```
/// # use marginalia::interchange::articles::safe_file_stem;
/// assert_eq!(safe_file_stem("nyt/2016-10-02/a curious plan?"), "nyt_2016-10-02_a_curious_plan");
/// assert_eq!(safe_file_stem("../../etc/passwd"), "etc_passwd");
/// assert_eq!(safe_file_stem("Сводка №5"), "Сводка_5");
/// assert_eq!(safe_file_stem("///"), "article");
/// assert_eq!(safe_file_stem("con"), "con_");
/// ```
pub fn safe_file_stem(id: &str) -> String {
    const LONGEST: usize = 120;
    let mut stem = String::new();
    for c in id.chars() {
        if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
            stem.push(c);
        } else if !stem.ends_with('_') {
            stem.push('_');
        }
    }
    let mut stem = stem.trim_matches(['.', '_']).to_string();
    if stem.len() > LONGEST {
        let mut end = LONGEST;
        while !stem.is_char_boundary(end) {
            end -= 1;
        }
        stem.truncate(end);
        stem = stem.trim_end_matches(['.', '_']).to_string();
    }
    if stem.is_empty() {
        return "article".into();
    }
    let reserved = ["con", "prn", "aux", "nul"].contains(&stem.to_ascii_lowercase().as_str())
        || (stem.len() == 4 && ["com", "lpt"].contains(&stem[..3].to_ascii_lowercase().as_str()) && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        stem.push('_');
    }
    stem
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_json_record_becomes_an_article_with_its_date_header() {
        let record = json!({"id": 17, "meta": {"published": "2016-10-02T14:03:00Z"}, "headline": "Title", "body": "One.\r\n\r\nTwo.\n"});
        let fields = FieldNames { text: "body".into(), date: "meta.published".into(), id: "id".into(), title: "headline".into() };
        let article = article_from_json(&record, &fields).unwrap();
        assert_eq!(article.file_name(), "17.txt");
        assert_eq!(article.file_text(), "date 2016-10-02\n\nTitle\n\nOne.\n\nTwo.\n");
        let parsed = crate::article::Article::parse(&article.file_text());
        assert_eq!(parsed.date(), NaiveDate::from_ymd_opt(2016, 10, 2), "the analysis reads the header");
    }

    #[test]
    fn a_record_without_a_required_field_says_which_and_how_to_name_it() {
        let fields = FieldNames::default();
        assert_eq!(
            article_from_json(&json!({"id": "a", "text": "x"}), &fields),
            Err("no `date` field (the date is given by --date-field)".into())
        );
        assert_eq!(
            article_from_json(&json!({"id": "a", "date": "2016-13-01", "text": "x"}), &fields).unwrap_err(),
            "`date` is \"2016-13-01\", not a date (YYYY-MM-DD, an ISO 8601 / RFC 3339 or an RFC 2822 timestamp)"
        );
        assert_eq!(
            article_from_json(&json!({"id": ["a"], "date": "2016-01-01", "text": "x"}), &fields),
            Err("field `id` must be a string, found an array".into())
        );
        assert_eq!(article_from_json(&json!([1]), &fields), Err("a record must be a JSON object, found an array".into()));
        let headers = ["id".to_string(), "text".to_string()];
        assert_eq!(
            article_from_row(&headers, &["a".into(), "x".into()], &fields),
            Err("no `date` field (the date is given by --date-field)".into())
        );
    }
}
