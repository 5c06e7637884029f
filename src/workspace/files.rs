//! Finding corpus files by extension (reading them is `crate::text_file`).

use std::path::{Path, PathBuf};

/// Files under `dir` (recursively) ending in `.extension`, skipping hidden folders.
pub fn files_with_extension(dir: &Path, extension: &str) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == extension))
        .map(|e| e.into_path())
        .collect()
}
