//! Reading corpus files: UTF-8 only, with a precise error (file and byte) for
//! anything else, and finding files by extension.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, DiagnosticCode};

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{}: file not found", .0.display())]
    NotFound(PathBuf),
    #[error("{}: cannot read: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: not valid UTF-8: invalid byte 0x{byte:02x} at byte offset {offset} (line {line})", path.display())]
    InvalidUtf8 { path: PathBuf, offset: usize, byte: u8, line: usize },
}

impl FileError {
    /// The error as a diagnostic at the offending spot (byte offsets of the valid prefix).
    pub fn diagnostic(&self) -> Diagnostic {
        match self {
            FileError::InvalidUtf8 { offset, .. } => super::file_diagnostic(DiagnosticCode::InvalidUtf8, self.to_string(), *offset),
            _ => super::file_diagnostic(DiagnosticCode::ReadError, self.to_string(), 0),
        }
    }
}

pub fn read_text_file(path: &Path) -> Result<String, FileError> {
    let bytes = std::fs::read(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => FileError::NotFound(path.to_path_buf()),
        _ => FileError::Io { path: path.to_path_buf(), source },
    })?;
    decode_utf8(path, bytes)
}

pub fn decode_utf8(path: &Path, bytes: Vec<u8>) -> Result<String, FileError> {
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        FileError::InvalidUtf8 { path: path.to_path_buf(), offset, byte: bytes[offset], line }
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_names_file_and_byte() {
        let error = decode_utf8(Path::new("a.txt"), b"ok\nbad \xff here".to_vec()).unwrap_err();
        assert_eq!(error.to_string(), "a.txt: not valid UTF-8: invalid byte 0xff at byte offset 7 (line 2)");
    }
}
