//! Rendering diagnostics as rustc-style code frames (codespan-reporting).

use std::io::IsTerminal;

use codespan_reporting::diagnostic::{Diagnostic as Frame, Label, Severity as FrameSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{
    self, Config,
    termcolor::{ColorChoice, StandardStream},
};

use crate::diagnostic::{Diagnostic, Severity};

pub struct FrameRenderer {
    stream: StandardStream,
    config: Config,
}

impl FrameRenderer {
    pub fn stdout() -> FrameRenderer {
        let choice =
            if std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() { ColorChoice::Auto } else { ColorChoice::Never };
        FrameRenderer { stream: StandardStream::stdout(choice), config: Config::default() }
    }

    pub fn emit(&mut self, path: &str, text: &str, diagnostic: &Diagnostic) {
        let file = SimpleFile::new(path, text);
        let severity = match diagnostic.severity {
            Severity::Error => FrameSeverity::Error,
            Severity::Warning => FrameSeverity::Warning,
            Severity::Information => FrameSeverity::Note,
            Severity::Hint => FrameSeverity::Help,
        };
        let mut labels = vec![Label::primary((), clamp(text, diagnostic.range.start)..clamp(text, diagnostic.range.end))];
        for related in diagnostic.related.iter().filter(|r| r.file.is_none()) {
            labels.push(
                Label::secondary((), clamp(text, related.range.start)..clamp(text, related.range.end)).with_message(&related.message),
            );
        }
        let mut notes: Vec<String> = Vec::new();
        for related in diagnostic.related.iter().filter(|r| r.file.is_some()) {
            notes.push(format!("{}: {}", related.message, related.file.as_ref().unwrap().display()));
        }
        let frame = Frame::new(severity)
            .with_code(diagnostic.code.as_str())
            .with_message(&diagnostic.message)
            .with_labels(labels)
            .with_notes(notes);
        let mut lock = self.stream.lock();
        // A broken pipe (`| head`) is not worth a panic.
        let _ = term::emit_to_write_style(&mut lock, &self.config, &file, &frame);
    }
}

fn clamp(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
