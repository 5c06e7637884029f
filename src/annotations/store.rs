//! Reading and writing sidecar files safely: every write goes to a temporary file
//! that is synced and renamed over the old one (a crash leaves the old file or
//! the new one, never a torn one), and every update re-reads the file under an
//! exclusive lock, so two annotators writing at once lose nothing.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::file::BYTE_ORDER_MARK;
use super::{Annotation, AnnotationFile, parse_annotation_file, serialize_annotations};
use crate::text_file::{FileError, read_text_file};

/// Why a sidecar was not written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The sidecar could not be read.
    #[error(transparent)]
    Read(#[from] FileError),
    /// Writing, syncing or renaming failed.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        /// The file written.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The sidecar has a malformed line: it is never rewritten until fixed.
    #[error("{}: line {line} is malformed ({message}); fix it before marginalia rewrites the file, so that nothing is lost", path.display())]
    Malformed {
        /// The sidecar.
        path: PathBuf,
        /// The first malformed line, 1-based.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
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

/// The one temporary file a sidecar's writes go through,
/// `.marginalia-NAME.ann.jsonl.tmp` beside it. Only the writer holding the
/// sidecar's lock uses it, so a fixed name is enough — and when a writer dies
/// mid-write (`kill -9`, power loss), the next one finds what it left under
/// the same name and replaces it: leftovers never accumulate (finding F6).
fn temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".marginalia-{name}.tmp"))
}

/// Replaces the sidecar's annotations with `annotations`, atomically (see
/// [`update_annotations`], which re-reads the file first: prefer it).
pub fn write_annotations_atomically(path: &Path, annotations: &[Annotation]) -> Result<(), StoreError> {
    with_lock(path, || write_under_lock(path, annotations))
}

/// Temp file in the same folder, fsync, rename over `path`, fsync the folder.
/// Only under the sidecar's lock: no live writer of this sidecar can then be
/// holding the temporary file, so whatever is found under its name was left by
/// a writer that died, and is removed — unlinked, so that a symlink planted
/// there is never followed.
fn write_under_lock(path: &Path, annotations: &[Annotation]) -> Result<(), StoreError> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let temp_path = temp_path(path);
    match std::fs::remove_file(&temp_path) {
        Ok(()) => tracing::info!(temp = %temp_path.display(), "removed a temporary file left by an interrupted write"),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(write_error(path)(error)),
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut temp = options.open(&temp_path).map_err(write_error(path))?;
    let written = (|| {
        // A file that began with a byte-order mark keeps it: its editor wrote it.
        if starts_with_byte_order_mark(path) {
            temp.write_all(BYTE_ORDER_MARK.encode_utf8(&mut [0; 3]).as_bytes())?;
        }
        temp.write_all(serialize_annotations(annotations).as_bytes())?;
        temp.sync_all()?;
        drop(temp);
        std::fs::rename(&temp_path, path)
    })();
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temp_path);
        return Err(write_error(path)(error));
    }
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

/// Runs `work` holding the sidecar's exclusive lock.
/// Whether the file at `path` starts with a UTF-8 byte-order mark (a missing
/// or unreadable file does not).
fn starts_with_byte_order_mark(path: &Path) -> bool {
    let mut first = [0; 3];
    File::open(path).and_then(|mut file| std::io::Read::read_exact(&mut file, &mut first)).is_ok()
        && first == *BYTE_ORDER_MARK.encode_utf8(&mut [0; 3]).as_bytes()
}

fn with_lock<R>(path: &Path, work: impl FnOnce() -> Result<R, StoreError>) -> Result<R, StoreError> {
    let lock = OpenOptions::new().create(true).truncate(false).write(true).open(lock_path(path)).map_err(write_error(path))?;
    lock.lock().map_err(write_error(path))?;
    let outcome = work();
    let _ = lock.unlock();
    outcome
}

/// Applies `change` to the annotations as they are on disk *now*, under an
/// exclusive lock, and writes the result atomically. Returns what `change`
/// returned and the annotations written.
pub fn update_annotations<R>(path: &Path, change: impl FnOnce(&mut Vec<Annotation>) -> R) -> Result<(R, Vec<Annotation>), StoreError> {
    try_update_annotations::<R, StoreError>(path, |annotations| Ok(change(annotations)))
}

/// Moves a sidecar to `to` (its article was renamed) under the sidecar's lock,
/// so that no write of it is halfway through; a file already at `to` is never
/// replaced.
pub fn move_sidecar(from: &Path, to: &Path) -> Result<(), StoreError> {
    with_lock(from, || {
        if to.exists() {
            let taken = std::io::Error::new(std::io::ErrorKind::AlreadyExists, format!("{} already exists", to.display()));
            return Err(write_error(from)(taken));
        }
        std::fs::rename(from, to).map_err(write_error(from))
    })
}

/// Like [`update_annotations`], but `change` may refuse: then nothing is
/// written and its error is returned.
pub fn try_update_annotations<R, E: From<StoreError>>(
    path: &Path,
    change: impl FnOnce(&mut Vec<Annotation>) -> Result<R, E>,
) -> Result<(R, Vec<Annotation>), E> {
    let mut refused = None;
    let outcome = with_lock(path, || {
        let file = read_annotations(path)?;
        if let Some(bad) = file.diagnostics.first() {
            let text = read_text_file(path)?;
            let line = text[..bad.range.start].matches('\n').count() + 1;
            return Err(StoreError::Malformed { path: path.to_path_buf(), line, message: bad.message.clone() });
        }
        let mut annotations = file.annotations;
        match change(&mut annotations) {
            Ok(result) => {
                write_under_lock(path, &annotations)?;
                Ok(Some((result, annotations)))
            }
            Err(error) => {
                refused = Some(error);
                Ok(None)
            }
        }
    })?;
    match (outcome, refused) {
        (Some(done), _) => Ok(done),
        (None, Some(error)) => Err(error),
        (None, None) => unreachable!("a refusal always carries its error"),
    }
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

    /// Issue 14 C: a sidecar that began with a byte-order mark keeps it.
    #[test]
    fn a_byte_order_mark_survives_a_rewrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ann.jsonl");
        update_annotations(&path, |all| all.push(sample("first", 0))).unwrap();
        let plain = std::fs::read_to_string(&path).unwrap();
        assert!(!plain.starts_with(BYTE_ORDER_MARK), "none is added");
        std::fs::write(&path, format!("{BYTE_ORDER_MARK}{plain}")).unwrap();
        update_annotations(&path, |all| all.push(sample("second", 10))).unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(written.starts_with(&format!("{BYTE_ORDER_MARK}{plain}")), "{written:?}");
        assert_eq!(read_annotations(&path).unwrap().annotations.len(), 2);
    }

    /// F6: a writer killed mid-write leaves its temporary file; the next write
    /// of the same sidecar (under the lock, so that file cannot be a live
    /// writer's) replaces it, and nothing else in the folder is touched.
    #[test]
    fn a_temporary_file_left_by_a_killed_writer_is_replaced_not_accumulated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ann.jsonl");
        update_annotations(&path, |all| all.push(sample("first", 0))).unwrap();
        let leftover = dir.path().join(".marginalia-a.ann.jsonl.tmp");
        std::fs::write(&leftover, "{\"id\": \"half-writ").unwrap();
        let others = [".marginalia-b.ann.jsonl.tmp", ".marginalia-Xy12Zq.tmp", "b.ann.jsonl", "notes.tmp"];
        for other in others {
            std::fs::write(dir.path().join(other), "kept").unwrap();
        }
        for i in 0..3 {
            update_annotations(&path, |all| all.push(sample(&format!("more-{i}"), 10 * i + 10))).unwrap();
            assert!(!leftover.exists(), "no temporary file after a completed write");
        }
        assert_eq!(read_annotations(&path).unwrap().annotations.len(), 4);
        for other in others {
            assert_eq!(std::fs::read_to_string(dir.path().join(other)).unwrap(), "kept", "{other} is not this sidecar's");
        }
    }

    /// A symlink planted at the temporary file's name is removed, never
    /// written through.
    #[cfg(unix)]
    #[test]
    fn a_symlink_at_the_temporary_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("victim.txt");
        std::fs::write(&target, "untouched").unwrap();
        let path = dir.path().join("a.ann.jsonl");
        std::os::unix::fs::symlink(&target, dir.path().join(".marginalia-a.ann.jsonl.tmp")).unwrap();
        update_annotations(&path, |all| all.push(sample("x", 0))).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "untouched");
        assert_eq!(read_annotations(&path).unwrap().annotations.len(), 1);
        assert!(!std::fs::symlink_metadata(&path).unwrap().file_type().is_symlink());
    }
}
