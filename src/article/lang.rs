//! The language an article is written in: the quotation marks, speech cues and
//! pronouns its quotations are read with depend on it.
//!
//! An article says it with a `lang xx` header line (next to `date`); else the
//! corpus default (`[corpus] lang` in `marginalia.toml`) applies; else it is
//! detected from the text with `whatlang` (trigram profiles, no model files,
//! microseconds on the prefix read here); else English.

use serde::{Deserialize, Serialize};

/// The languages marginalia has quotation conventions and speech cues for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// German.
    De,
    /// French.
    Fr,
    /// Russian.
    Ru,
    /// Ukrainian.
    Uk,
}

impl Lang {
    /// Every language, in this order.
    pub const ALL: [Lang; 5] = [Lang::En, Lang::De, Lang::Fr, Lang::Ru, Lang::Uk];

    /// The ISO 639-1 code, as written in a `lang` header.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Ru => "ru",
            Lang::Uk => "uk",
        }
    }

    /// The language's English name, for hovers and the outline.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::De => "German",
            Lang::Fr => "French",
            Lang::Ru => "Russian",
            Lang::Uk => "Ukrainian",
        }
    }

    /// The language of an ISO 639-1 code (`de`) or 639-3 code (`deu`), any case.
    pub fn from_code(code: &str) -> Option<Lang> {
        Some(match code.to_ascii_lowercase().as_str() {
            "en" | "eng" => Lang::En,
            "de" | "deu" | "ger" => Lang::De,
            "fr" | "fra" | "fre" => Lang::Fr,
            "ru" | "rus" => Lang::Ru,
            "uk" | "ukr" => Lang::Uk,
            _ => return None,
        })
    }
}

/// Where the language of an article came from, shown with it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LangSource {
    /// The article's `lang` header line.
    Header,
    /// `[corpus] lang` in `marginalia.toml`.
    Corpus,
    /// Detected from the text.
    Detected,
    /// Nothing said or detected it: English, as marginalia has always read.
    #[default]
    Default,
}

impl LangSource {
    /// The source in words (`lang header`, `detected`, ...).
    pub fn describe(self) -> &'static str {
        match self {
            LangSource::Header => "lang header",
            LangSource::Corpus => "corpus default",
            LangSource::Detected => "detected",
            LangSource::Default => "default",
        }
    }
}

/// Bytes of text read for detection: a few paragraphs decide as well as the
/// whole text, and typing in a long article must not rerun detection over it.
const DETECTION_PREFIX: usize = 4096;

/// The language of `text` (from `from`), if `whatlang` is reliably sure and it
/// is one marginalia knows.
pub fn detect_lang(text: &str, from: usize) -> Option<Lang> {
    let mut end = (from + DETECTION_PREFIX).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[from.min(end)..end];
    // Letters decide: a sample of digits and marks says nothing.
    if sample.chars().filter(|c| c.is_alphabetic()).count() < 12 {
        return None;
    }
    let info = whatlang::detect(sample)?;
    // Short texts are often "unreliable" between Russian and Ukrainian only;
    // either reads Cyrillic news better than English would.
    let cyrillic = info.script() == whatlang::Script::Cyrillic;
    if !info.is_reliable() && !cyrillic {
        return None;
    }
    let lang = match info.lang() {
        whatlang::Lang::Eng => Lang::En,
        whatlang::Lang::Deu => Lang::De,
        whatlang::Lang::Fra => Lang::Fr,
        whatlang::Lang::Rus => Lang::Ru,
        whatlang::Lang::Ukr => Lang::Uk,
        _ => return None,
    };
    Some(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("DE"), Some(Lang::De));
        assert_eq!(Lang::from_code("xx"), None);
    }

    #[test]
    fn detects_the_languages_of_the_corpus() {
        let cases = [
            ("Der Außenminister sagte am Montag, die Gespräche mit der Regierung seien gescheitert.", Lang::De),
            ("Le ministre a déclaré lundi que les négociations avec le gouvernement avaient échoué.", Lang::Fr),
            ("Министр заявил в понедельник, что переговоры с правительством зашли в тупик.", Lang::Ru),
            ("Міністр заявив у понеділок, що переговори з урядом зайшли в глухий кут.", Lang::Uk),
            ("The minister said on Monday that the talks with the government had failed.", Lang::En),
        ];
        for (text, lang) in cases {
            assert_eq!(detect_lang(text, 0), Some(lang), "{text}");
        }
        assert_eq!(detect_lang("“…” 12 34", 0), None);
    }
}
