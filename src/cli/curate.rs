//! `marginalia curate`: settles what annotators agree on and reports what is
//! left. For every span on which all listed annotators' accepted annotations
//! agree, a curated record by the curator is written (status accepted with
//! `--accept-agreed`, else suggested for the curator to confirm); the
//! conflicts are reported per document and per label. The annotators' own
//! records are never changed.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use super::export::{article_targets, relative_path, source_id};
use super::targets::display_path;
use crate::annotations::curation::{compare, is_curated, settle, settled_ids};
use crate::annotations::{Status, read_annotations, sidecar_path, update_annotations};

/// What `curate` is asked to do.
pub struct CurateOptions<'a> {
    pub annotators: &'a [String],
    pub accept_agreed: bool,
    pub dry_run: bool,
}

pub fn run(paths: &[PathBuf], options: CurateOptions) -> ExitCode {
    let mut annotators: Vec<String> = options.annotators.iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect();
    annotators.dedup();
    let distinct: std::collections::HashSet<&String> = annotators.iter().collect();
    if distinct.len() < 2 || distinct.len() != annotators.len() {
        eprintln!("error: --annotators needs two or more different annotators, A,B[,C]");
        return ExitCode::from(2);
    }
    let targets = match article_targets(paths) {
        Ok(targets) => targets,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let created = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let status = if options.accept_agreed { Status::Accepted } else { Status::Suggested };
    let (mut agreed_total, mut written_total, mut conflicts_total) = (0, 0, 0);
    let mut conflicts_by_label: BTreeMap<String, usize> = BTreeMap::new();
    for target in &targets {
        let Some(corpus) = &target.corpus else { continue };
        let curator = corpus.config.annotator(None);
        if !curator.curator {
            eprintln!(
                "error: `{}` is not a curator of {} (add the name to [annotators] curators in marginalia.toml); nothing was written",
                curator.name,
                display_path(&corpus.root).display()
            );
            return ExitCode::from(2);
        }
        let sidecar = sidecar_path(&target.path);
        let file = match read_annotations(&sidecar) {
            Ok(file) => file,
            Err(error) => {
                eprintln!("warning: {error}; skipped");
                continue;
            }
        };
        if !file.diagnostics.is_empty() {
            eprintln!("warning: {}: malformed lines; skipped (`marginalia check` shows them)", display_path(&sidecar).display());
            continue;
        }
        let clusters = compare(&file.annotations, &annotators);
        let agreed: Vec<_> = clusters.iter().filter(|c| c.agreed() && !c.settled).collect();
        let conflicts: Vec<_> = clusters.iter().filter(|c| !c.agreed() && !c.settled).collect();
        if clusters.is_empty() {
            continue;
        }
        let mut curated: Vec<_> = agreed.iter().map(|c| settle(c, c.records[0], &curator.name, &created, status)).collect();
        // A curated quote speaks through the curated record of its speaker's
        // span where there is one, so that the curated layer stands alone.
        let settled_by: Vec<(String, String)> = file
            .annotations
            .iter()
            .chain(curated.iter())
            .filter(|a| is_curated(a))
            .flat_map(|a| settled_ids(a).into_iter().map(|id| (id.to_string(), a.id.clone())).collect::<Vec<_>>())
            .collect();
        for record in &mut curated {
            if let Some(speaker) = &record.speaker
                && let Some((_, curated_id)) = settled_by.iter().find(|(settled, _)| settled == speaker)
            {
                record.speaker = Some(curated_id.clone());
            }
        }
        let written = if options.dry_run || curated.is_empty() {
            0
        } else {
            match update_annotations(&sidecar, |all| all.extend(curated.iter().cloned())) {
                Ok(_) => curated.len(),
                Err(error) => {
                    eprintln!("error: {error}");
                    return ExitCode::FAILURE;
                }
            }
        };
        let mut labels: BTreeMap<&str, usize> = BTreeMap::new();
        for conflict in &conflicts {
            *labels.entry(conflict.label()).or_default() += 1;
            *conflicts_by_label.entry(conflict.label().to_string()).or_default() += 1;
        }
        let per_label: Vec<String> = labels.iter().map(|(label, n)| format!("{label} {n}")).collect();
        println!(
            "{}: {} agreed ({}), {} conflicts{}",
            source_id(&relative_path(target)),
            agreed.len(),
            if options.dry_run { "dry run: nothing written".to_string() } else { format!("{written} curated records written") },
            conflicts.len(),
            if per_label.is_empty() { String::new() } else { format!(" ({})", per_label.join(", ")) }
        );
        for conflict in &conflicts {
            let (start, end) = conflict.span();
            println!("  conflict at {start}..{end} {}: {}", conflict.label(), conflict.conflict.as_deref().unwrap_or_default());
        }
        (agreed_total, written_total, conflicts_total) =
            (agreed_total + agreed.len(), written_total + written, conflicts_total + conflicts.len());
    }
    let per_label: Vec<String> = conflicts_by_label.iter().map(|(label, n)| format!("{label} {n}")).collect();
    println!(
        "curated {} documents: {agreed_total} agreed spans, {written_total} curated records written, {conflicts_total} conflicts left{}",
        targets.len(),
        if per_label.is_empty() { String::new() } else { format!(" ({})", per_label.join(", ")) }
    );
    ExitCode::SUCCESS
}
