//! Reading and writing sidecar files safely: every write goes to a temporary file
//! that is synced and renamed over the old one (a crash leaves the old file or
//! the new one, never a torn one), and every update re-reads the file under an
//! exclusive lock, so two annotators writing at once lose nothing.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Annotation, AnnotationFile, parse_annotation_file, serialize_annotations};
use crate::workspace::{FileError, read_text_file};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Read(#[from] FileError),
    #[error("{}: cannot write: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{}: line {line} is malformed ({message}); fix it before marginalia rewrites the file, so that nothing is lost", path.display())]
    Malformed { path: PathBuf, line: usize, message: String },
}

/// The sidecar's annotations; a missing file is an empty one.
pub fn read_annotations(path: &Path) -> Result<AnnotationFile, FileError> {
    match read_text_file(path) {
        Ok(text) => Ok(parse_annotation_file(&text)),
        Err(FileError::NotFound(_)) => Ok(AnnotationFile::default()),
        Err(error) => Err(error),
    }
}

fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Write { path: path.to_path_buf(), source }
}

/// Temp file in the same folder, fsync, rename over `path`, fsync the folder.
pub fn write_annotations_atomically(path: &Path, annotations: &[Annotation]) -> Result<(), StoreError> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new().prefix(".marginalia-").suffix(".tmp").tempfile_in(folder).map_err(write_error(path))?;
    temp.write_all(serialize_annotations(annotations).as_bytes()).map_err(write_error(path))?;
    temp.as_file().sync_all().map_err(write_error(path))?;
    temp.persist(path).map_err(|e| StoreError::Write { path: path.to_path_buf(), source: e.error })?;
    // The rename itself is durable only once the folder entry is on disk.
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// The lock file guarding a sidecar. It is never deleted: removing a lock file
/// while another process waits on it would let two writers in.
fn lock_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.lock"))
}

/// Applies `change` to the annotations as they are on disk *now*, under an
/// exclusive lock, and writes the result atomically. Returns what `change`
/// returned and the annotations written.
pub fn update_annotations<R>(path: &Path, change: impl FnOnce(&mut Vec<Annotation>) -> R) -> Result<(R, Vec<Annotation>), StoreError> {
    let lock = OpenOptions::new().create(true).truncate(false).write(true).open(lock_path(path)).map_err(write_error(path))?;
    lock.lock().map_err(write_error(path))?;
    let outcome = (|| {
        let file = read_annotations(path)?;
        if let Some(bad) = file.diagnostics.first() {
            let text = read_text_file(path)?;
            let line = text[..bad.range.start].matches('\n').count() + 1;
            return Err(StoreError::Malformed { path: path.to_path_buf(), line, message: bad.message.clone() });
        }
        let mut annotations = file.annotations;
        let result = change(&mut annotations);
        write_annotations_atomically(path, &annotations)?;
        Ok((result, annotations))
    })();
    let _ = lock.unlock();
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::{AnnotationKind, Status};

    fn sample(id: &str, start: usize) -> Annotation {
        Annotation {
            id: id.into(),
            kind: AnnotationKind::Entity,
            label: "PERSON".into(),
            start,
            end: start + 6,
            exact: "Lavrov".into(),
            prefix: String::new(),
            suffix: String::new(),
            entity: None,
            speaker: None,
            annotator: "t".into(),
            created: "2026-01-01T00:00:00Z".into(),
            status: Status::Suggested,
            extra: Default::default(),
        }
    }

    #[test]
    fn updates_from_many_threads_all_land() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ann.jsonl");
        std::thread::scope(|scope| {
            for t in 0..8 {
                let path = &path;
                scope.spawn(move || {
                    for i in 0..10 {
                        update_annotations(path, |all| all.push(sample(&format!("t{t}-{i}"), t * 100 + i))).unwrap();
                    }
                });
            }
        });
        let file = read_annotations(&path).unwrap();
        assert_eq!(file.annotations.len(), 80);
    }

    #[test]
    fn malformed_file_is_never_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ann.jsonl");
        std::fs::write(&path, "{not json\n").unwrap();
        let error = update_annotations(&path, |all| all.clear()).unwrap_err();
        assert!(error.to_string().contains("line 1 is malformed"), "{error}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{not json\n");
    }
}
