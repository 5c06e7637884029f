//! Reading text files: UTF-8 only, with a precise error (file and byte) for
//! anything else. At the bottom of the layers, so that every module that reads
//! a file (the corpus, sidecars) says what went wrong the same way.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::text::TextRange;

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
            FileError::InvalidUtf8 { offset, .. } => {
                Diagnostic::error(DiagnosticCode::InvalidUtf8, TextRange::empty(*offset), self.to_string())
            }
            _ => Diagnostic::error(DiagnosticCode::ReadError, TextRange::empty(0), self.to_string()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_names_file_and_byte() {
        let error = decode_utf8(Path::new("a.txt"), b"ok\nbad \xff here".to_vec()).unwrap_err();
        assert_eq!(error.to_string(), "a.txt: not valid UTF-8: invalid byte 0xff at byte offset 7 (line 2)");
    }
}
