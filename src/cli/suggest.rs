//! `marginalia kb suggest [CORPUS]`: what the knowledge base lacks, as a draft
//! KB file for review (`"draft": true`, by default `kb/suggested.json`). The
//! corpus's articles are analysed on every core; the suggestions come from
//! `ide/kb_suggest.rs`. A draft is replaced by the next run; any other file is
//! never written over.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;

use super::export::progress_bar;
use super::targets::display_path;
use crate::analysis::{Analysis, analyze};
use crate::ide::kb_suggest::{SuggestInput, describe, draft_kb_text, suggest};
use crate::kb::DRAFT_FIELD;
use crate::workspace::{CONFIG_FILE_NAME, Corpus, read_text_file};

pub struct SuggestOptions<'a> {
    pub corpus: Option<&'a Path>,
    pub out: Option<&'a Path>,
    pub min_mentions: usize,
}

pub fn run(options: SuggestOptions) -> ExitCode {
    match run_suggest(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run_suggest(options: &SuggestOptions) -> Result<(), String> {
    let root = super::corpus_root(options.corpus)?
        .ok_or_else(|| format!("no corpus here (no {CONFIG_FILE_NAME} in this folder, above it or in ./corpus); name one"))?;
    let corpus = Corpus::load(&root, &HashMap::new());
    let out: PathBuf = match options.out {
        Some(out) => out.to_path_buf(),
        None => corpus.root.join(corpus.config.corpus.kb.first().map_or("kb", String::as_str)).join("suggested.json"),
    };
    let shown_out = display_path(&out).display().to_string();
    if let Ok(existing) = std::fs::read_to_string(&out) {
        let is_draft = serde_json::from_str::<serde_json::Value>(&existing).is_ok_and(|v| v[DRAFT_FIELD] == true);
        if !is_draft {
            return Err(format!("{shown_out} exists and is not a draft (no \"{DRAFT_FIELD}\": true); name another file with --out"));
        }
    }

    let paths = corpus.article_paths();
    let progress = progress_bar(paths.len(), "analysing");
    let analysed: Vec<Result<(String, Analysis), String>> = paths
        .par_iter()
        .map(|path| {
            let text = read_text_file(path).map_err(|e| e.to_string())?;
            let analysis = analyze(&text, &corpus.kb, &corpus.analysis_config);
            progress.inc(1);
            Ok((text, analysis))
        })
        .collect();
    progress.finish_and_clear();
    let mut documents = Vec::new();
    for result in &analysed {
        match result {
            Ok(document) => documents.push(document),
            Err(message) => eprintln!("warning: {message}: left out"),
        }
    }
    let mentions: Vec<Vec<crate::analysis::Mention>> =
        documents.iter().map(|(_, a)| a.entities.iter().chain(&a.agreements).cloned().collect()).collect();
    let inputs: Vec<SuggestInput> = documents
        .iter()
        .zip(&mentions)
        .map(|((text, analysis), mentions)| SuggestInput { text, date: analysis.date(), unknown: &analysis.unknown_entities, mentions })
        .collect();
    let unknown_notes: usize = inputs.iter().map(|i| i.unknown.len()).sum();
    let all = suggest(&inputs, &corpus.kb, &corpus.analysis_config.speech_cues, 1);
    let kept: Vec<_> = all.iter().filter(|s| s.mentions >= options.min_mentions).cloned().collect();

    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut temporary = tempfile::NamedTempFile::new_in(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    std::io::Write::write_all(&mut temporary, draft_kb_text(&kept, &corpus.kb).as_bytes()).map_err(|e| format!("{shown_out}: {e}"))?;
    temporary.persist(&out).map_err(|e| format!("{shown_out}: {e}"))?;

    for s in &kept {
        println!("{:>5} mentions {:>4} docs  {:<12} {}  — {}", s.mentions, s.documents, s.kind.as_str(), s.name, describe(s));
    }
    eprintln!(
        "{} articles, {unknown_notes} unknown-entity notes: wrote {shown_out} (a draft): {} suggestions, {} more below --min-mentions {}",
        inputs.len(),
        kept.len(),
        all.len() - kept.len(),
        options.min_mentions
    );
    Ok(())
}
