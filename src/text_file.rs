//! Reading text files: UTF-8 only, with a precise error (file and byte) for
//! anything else. At the bottom of the layers, so that every module that reads
//! a file (the corpus, sidecars) says what went wrong the same way.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::text::TextRange;

/// Why a file's text could not be read; the message names the file.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// There is no file at this path.
    #[error("{}: file not found", .0.display())]
    NotFound(PathBuf),
    /// The file exists but reading it failed.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The file is not UTF-8: the first bad byte, where it is.
    #[error("{}: not valid UTF-8: invalid byte 0x{byte:02x} at byte offset {offset} (line {line})", path.display())]
    InvalidUtf8 {
        /// The file.
        path: PathBuf,
        /// Byte offset of the first invalid byte (the valid prefix's length).
        offset: usize,
        /// That byte.
        byte: u8,
        /// Its 1-based line.
        line: usize,
    },
}

impl FileError {
    /// The error as a diagnostic at the offending spot (byte offsets of the valid prefix).
    pub fn diagnostic(&self) -> Diagnostic {
        match self {
            FileError::InvalidUtf8 { offset, .. } => {
                Diagnostic::error(DiagnosticCode::InvalidUtf8, TextRange::empty(*offset), self.to_string())
            }
            _ => Diagnostic::error(DiagnosticCode::ReadError, TextRange::empty(0), self.to_string()),
        }
    }
}

/// The file's text, or why it cannot be had (missing, unreadable, not UTF-8).
pub fn read_text_file(path: &Path) -> Result<String, FileError> {
    let bytes = std::fs::read(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => FileError::NotFound(path.to_path_buf()),
        _ => FileError::Io { path: path.to_path_buf(), source },
    })?;
    decode_utf8(path, bytes)
}

/// `bytes` read from `path` as UTF-8 text, or the first invalid byte's place.
pub fn decode_utf8(path: &Path, bytes: Vec<u8>) -> Result<String, FileError> {
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        FileError::InvalidUtf8 { path: path.to_path_buf(), offset, byte: bytes[offset], line }
    })
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
