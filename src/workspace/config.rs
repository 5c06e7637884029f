//! `marginalia.toml`: where a corpus keeps its articles and knowledge base, its
//! label set and its extra speech cues.

use std::path::Path;

use serde::Deserialize;

use crate::analysis::{AnalysisConfig, SpeechCues};
use crate::article::Lang;
use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::text::TextRange;

/// The corpus configuration's file name; its folder is the corpus root.
pub const CONFIG_FILE_NAME: &str = "marginalia.toml";

/// `marginalia.toml`: every section has defaults, unknown keys are errors.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct CorpusConfig {
    /// `[corpus]`: where articles and the KB are, and the default language.
    pub corpus: CorpusFolders,
    /// `[labels]`: the entity labels annotators choose from.
    pub labels: Labels,
    /// `[quotes]`: speech and naming verbs added to the built-in lists.
    pub quotes: QuoteSettings,
    /// `[annotators]`: who annotates here, and the curators.
    pub annotators: AnnotatorSettings,
}

/// `[annotators]`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct AnnotatorSettings {
    /// Who annotates on this machine; wins over editor settings and the
    /// environment (leave unset in a shared corpus).
    pub annotator: Option<String>,
    /// Annotators who may change anyone's annotations.
    pub curators: Vec<String>,
}

/// `[corpus]`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct CorpusFolders {
    /// Folders (relative to the corpus root) holding `*.txt` articles.
    pub articles: Vec<String>,
    /// Folders or files holding the knowledge base's JSON.
    pub kb: Vec<String>,
    /// The language of articles without a `lang` header (`en`, `de`, `fr`,
    /// `ru`, `uk`); unset, it is detected from each article's text.
    pub lang: Option<Lang>,
}

/// `[labels]`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct Labels {
    /// Labels offered for entity spans.
    pub entity: Vec<String>,
}

/// `[quotes]`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct QuoteSettings {
    /// Speech verbs added to the built-in list.
    pub speech_verbs: Vec<String>,
    /// Naming verbs ("dubbed") added to the built-in list.
    pub naming_verbs: Vec<String>,
    /// Verbs for one language only (`[quotes.de]`, …).
    pub en: LangQuoteSettings,
    /// `[quotes.de]`: German.
    pub de: LangQuoteSettings,
    /// `[quotes.fr]`: French.
    pub fr: LangQuoteSettings,
    /// `[quotes.ru]`: Russian.
    pub ru: LangQuoteSettings,
    /// `[quotes.uk]`: Ukrainian.
    pub uk: LangQuoteSettings,
}

/// `[quotes.de]` and the like: speech and naming verbs of one language, every
/// inflection listed.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct LangQuoteSettings {
    /// Speech verbs of this language.
    pub speech_verbs: Vec<String>,
    /// Naming verbs of this language.
    pub naming_verbs: Vec<String>,
}

impl Default for CorpusFolders {
    fn default() -> Self {
        CorpusFolders { articles: vec!["articles".into()], kb: vec!["kb".into()], lang: None }
    }
}

impl Default for Labels {
    fn default() -> Self {
        Labels { entity: ["PERSON", "ORG", "PLACE", "AGREEMENT"].map(String::from).to_vec() }
    }
}

impl CorpusConfig {
    /// Parses the file; on error, the defaults and a positioned diagnostic.
    pub fn parse(text: &str) -> (CorpusConfig, Vec<Diagnostic>) {
        match toml::from_str::<CorpusConfig>(text) {
            Ok(config) => (config, Vec::new()),
            Err(error) => {
                let range = error.span().map_or(TextRange::empty(0), |s| TextRange::new(s.start, s.end));
                let message = format!("invalid {}: {}", CONFIG_FILE_NAME, error.message());
                (CorpusConfig::default(), vec![Diagnostic::error(DiagnosticCode::InvalidConfig, range, message)])
            }
        }
    }

    /// The annotator: this file's `annotator`, else the editor's setting, else
    /// `MARGINALIA_ANNOTATOR`, else the login name.
    pub fn annotator(&self, editor_setting: Option<&str>) -> crate::annotations::Annotator {
        self.annotator_and_source(editor_setting).0
    }

    /// Who annotates, and where the name came from (for the editor to say
    /// once): the configuration, the editor setting, `MARGINALIA_ANNOTATOR`, the
    /// login name (`USER`, `USERNAME`), the operating system's account name
    /// (issue 17: with `USER` unset, annotations were recorded as "anonymous"),
    /// and only then "anonymous".
    pub fn annotator_and_source(&self, editor_setting: Option<&str>) -> (crate::annotations::Annotator, &'static str) {
        let given = |name: Option<String>| name.filter(|n| !n.trim().is_empty());
        let (name, source) = if let Some(name) = given(self.annotators.annotator.clone()) {
            (name, "[annotators] annotator in marginalia.toml")
        } else if let Some(name) = given(editor_setting.map(str::to_string)) {
            (name, "the editor setting marginalia.annotator")
        } else if let Some(name) = given(std::env::var("MARGINALIA_ANNOTATOR").ok()) {
            (name, "MARGINALIA_ANNOTATOR")
        } else if let Some(name) = given(std::env::var("USER").ok().or_else(|| std::env::var("USERNAME").ok())) {
            (name, "the login name")
        } else if let Some(name) = given(whoami::username().ok()) {
            (name, "the operating system's account name")
        } else {
            ("anonymous".to_string(), "no name anywhere")
        };
        let curator = self.annotators.curators.iter().any(|c| c == &name);
        (crate::annotations::Annotator { name, curator }, source)
    }

    /// The analysis settings this configuration gives (speech cues, default language).
    pub fn analysis_config(&self) -> AnalysisConfig {
        let q = &self.quotes;
        let mut cues = SpeechCues::default().extended(&q.speech_verbs, &q.naming_verbs);
        for (lang, extra) in [(Lang::En, &q.en), (Lang::De, &q.de), (Lang::Fr, &q.fr), (Lang::Ru, &q.ru), (Lang::Uk, &q.uk)] {
            if !extra.speech_verbs.is_empty() || !extra.naming_verbs.is_empty() {
                cues = cues.extended_for(Some(lang), &extra.speech_verbs, &extra.naming_verbs);
            }
        }
        AnalysisConfig { speech_cues: cues, language: self.corpus.lang }
    }
}

/// Just the `[corpus]` folder entries with their places in the file, read
/// leniently (the strict parse reports everything else).
#[derive(Default, Deserialize)]
#[serde(default)]
struct FolderEntries {
    corpus: FolderEntriesCorpus,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct FolderEntriesCorpus {
    articles: Option<Vec<toml::Spanned<String>>>,
    kb: Option<Vec<toml::Spanned<String>>>,
}

impl CorpusConfig {
    /// A diagnostic for each configured article or KB folder missing under
    /// `root`: a misspelt folder used to mean a corpus checked as empty, with
    /// success. An entry written in `text` (the file) is an error at that
    /// entry; a default the file does not override (`articles`, `kb`) is a
    /// warning at the start, since a corpus may lack one on purpose (`kb = []`
    /// says so).
    pub fn folder_diagnostics(&self, text: Option<&str>, root: &Path) -> Vec<Diagnostic> {
        let written = text.and_then(|t| toml::from_str::<FolderEntries>(t).ok()).unwrap_or_default().corpus;
        let mut diagnostics = Vec::new();
        for (key, configured, entries, without) in [
            ("articles", &self.corpus.articles, written.articles, "no articles are read from it"),
            ("kb", &self.corpus.kb, written.kb, "no knowledge base is read from it"),
        ] {
            match entries {
                Some(entries) => {
                    for entry in entries.iter().filter(|e| !root.join(e.get_ref()).exists()) {
                        let message = format!("`{}` (in [corpus] {key}) does not exist: {without}", entry.get_ref());
                        let span = entry.span();
                        diagnostics.push(Diagnostic::error(DiagnosticCode::MissingFolder, TextRange::new(span.start, span.end), message));
                    }
                }
                None => {
                    for folder in configured.iter().filter(|f| !root.join(f).exists()) {
                        let message = format!(
                            "`{folder}` (the default of [corpus] {key}, which {CONFIG_FILE_NAME} does not set) does not exist: {without}"
                        );
                        diagnostics.push(Diagnostic::warning(DiagnosticCode::MissingFolder, TextRange::empty(0), message));
                    }
                }
            }
        }
        diagnostics
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_reported_with_its_span() {
        let text = "[corpus]\narticles = [\"texts\"]\nknowledge = []\n";
        let (_, diagnostics) = CorpusConfig::parse(text);
        assert_eq!(diagnostics[0].range.slice(text), "knowledge");
    }

    /// Issue 14 B: a missing folder written in the file is an error at its
    /// entry; a missing default folder a warning.
    #[test]
    fn a_missing_configured_folder_is_reported_at_its_entry() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("texts")).unwrap();
        let text = "[corpus]\narticles = [\"texts\", \"artcles\"]\n";
        let (config, _) = CorpusConfig::parse(text);
        let diagnostics = config.folder_diagnostics(Some(text), root.path());
        let found: Vec<(&str, &str)> = diagnostics.iter().map(|d| (d.range.slice(text), d.severity.as_str())).collect();
        assert_eq!(found, [("\"artcles\"", "error"), ("", "warning")], "{diagnostics:?}");
        assert!(diagnostics[1].message.starts_with("`kb` (the default of [corpus] kb"), "{diagnostics:?}");
    }

    #[test]
    fn corpus_language_and_verbs_per_language() {
        let text = "[corpus]\nlang = \"de\"\n[quotes.de]\nspeech_verbs = [\"verkündete\"]\n";
        let (config, diagnostics) = CorpusConfig::parse(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let analysis = config.analysis_config();
        assert_eq!(analysis.language, Some(Lang::De));
        assert!(analysis.speech_cues.index_for(Lang::De).speech_cue_at(&["verkündete"], 0).is_some());
        assert!(analysis.speech_cues.index_for(Lang::En).speech_cue_at(&["verkündete"], 0).is_none());
        let (_, diagnostics) = CorpusConfig::parse("[corpus]\nlang = \"xx\"\n");
        assert_eq!(diagnostics.len(), 1, "an unknown language is an error at its value");
    }

    #[test]
    fn missing_sections_take_defaults() {
        let (config, diagnostics) = CorpusConfig::parse("[quotes]\nspeech_verbs = [\"opined\"]\n");
        assert!(diagnostics.is_empty());
        assert_eq!(config.corpus.articles, ["articles"]);
        assert!(config.analysis_config().speech_cues.verbs().contains(&"opined".to_string()));
    }
}
