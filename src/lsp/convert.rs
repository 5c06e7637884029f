//! Conversions between the core's byte offsets and LSP positions in the
//! negotiated encoding (UTF-8, UTF-16 or UTF-32), over a ropey rope.

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

use crate::text::TextRange;

/// What an LSP position's `character` counts, as negotiated at `initialize`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PositionEncoding {
    /// UTF-8 bytes.
    Utf8,
    /// UTF-16 code units (the protocol's default).
    #[default]
    Utf16,
    /// Unicode code points.
    Utf32,
}

impl PositionEncoding {
    /// The client's preference, in its own order; UTF-16 when it states none (the
    /// protocol's mandatory default).
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> PositionEncoding {
        let Some(offered) = offered else { return PositionEncoding::Utf16 };
        offered
            .iter()
            .find_map(|kind| match kind.as_str() {
                "utf-8" => Some(PositionEncoding::Utf8),
                "utf-16" => Some(PositionEncoding::Utf16),
                "utf-32" => Some(PositionEncoding::Utf32),
                _ => None,
            })
            .unwrap_or(PositionEncoding::Utf16)
    }

    /// The protocol's name of this encoding.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
            PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
            PositionEncoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }
}

/// Length of a line's content, in chars, without its line break.
fn line_content_chars(rope: &Rope, line: usize) -> usize {
    let slice = rope.line(line);
    let mut len = slice.len_chars();
    if len > 0 && slice.char(len - 1) == '\n' {
        len -= 1;
    }
    if len > 0 && slice.char(len - 1) == '\r' {
        len -= 1;
    }
    len
}

/// The position of byte `offset` of the text (clamped to its end; inside a
/// character, the character's start).
pub fn offset_to_position(rope: &Rope, offset: usize, encoding: PositionEncoding) -> Position {
    let offset = offset.min(rope.len_bytes());
    let char_index = rope.byte_to_char(offset);
    let line = rope.char_to_line(char_index);
    let line_char = rope.line_to_char(line);
    let column = match encoding {
        PositionEncoding::Utf8 => rope.char_to_byte(char_index) - rope.line_to_byte(line),
        PositionEncoding::Utf16 => rope.char_to_utf16_cu(char_index) - rope.char_to_utf16_cu(line_char),
        PositionEncoding::Utf32 => char_index - line_char,
    };
    Position::new(line as u32, column as u32)
}

pub fn range_to_lsp(rope: &Rope, range: TextRange, encoding: PositionEncoding) -> Range {
    Range::new(offset_to_position(rope, range.start, encoding), offset_to_position(rope, range.end, encoding))
}

/// The byte offset of an LSP position. Positions past the end of a line clamp to
/// the line's end and positions past the last line to the document's end, as the
/// protocol asks; a column inside a character (a UTF-8 continuation byte, the
/// second half of a surrogate pair) snaps to that character's start.
pub fn position_to_offset(rope: &Rope, position: Position, encoding: PositionEncoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_char = rope.line_to_char(line);
    let content_chars = line_content_chars(rope, line);
    let column = position.character as usize;
    let char_in_line = match encoding {
        PositionEncoding::Utf8 => {
            let line_byte = rope.line_to_byte(line);
            let content_bytes = rope.char_to_byte(line_char + content_chars) - line_byte;
            rope.byte_to_char(line_byte + column.min(content_bytes)) - line_char
        }
        PositionEncoding::Utf16 => {
            let line_cu = rope.char_to_utf16_cu(line_char);
            let content_cu = rope.char_to_utf16_cu(line_char + content_chars) - line_cu;
            rope.utf16_cu_to_char(line_cu + column.min(content_cu)) - line_char
        }
        PositionEncoding::Utf32 => column.min(content_chars),
    };
    rope.char_to_byte(line_char + char_in_line)
}

pub fn range_from_lsp(rope: &Rope, range: Range, encoding: PositionEncoding) -> TextRange {
    let a = position_to_offset(rope, range.start, encoding);
    let b = position_to_offset(rope, range.end, encoding);
    // An inverted range is taken as the span it covers rather than rejected.
    TextRange::new(a.min(b), a.max(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "a😀“b”\r\nsecond é line\rthird";

    #[test]
    fn round_trips_every_char_boundary_in_every_encoding() {
        let rope = Rope::from_str(TEXT);
        for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
            for (offset, _) in TEXT.char_indices().chain(std::iter::once((TEXT.len(), ' '))) {
                let position = offset_to_position(&rope, offset, encoding);
                if TEXT[offset..].starts_with('\n') {
                    continue; // inside CRLF: maps to the end of the line content
                }
                assert_eq!(position_to_offset(&rope, position, encoding), offset, "{encoding:?} at {offset}");
            }
        }
    }

    #[test]
    fn astral_characters_take_two_utf16_units() {
        let rope = Rope::from_str(TEXT);
        let b = TEXT.find('b').unwrap();
        assert_eq!(offset_to_position(&rope, b, PositionEncoding::Utf16), Position::new(0, 4));
        assert_eq!(offset_to_position(&rope, b, PositionEncoding::Utf32), Position::new(0, 3));
        assert_eq!(offset_to_position(&rope, b, PositionEncoding::Utf8), Position::new(0, 8));
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let rope = Rope::from_str(TEXT);
        assert_eq!(offset_to_position(&rope, TEXT.find("second").unwrap(), PositionEncoding::Utf16), Position::new(1, 0));
        assert_eq!(offset_to_position(&rope, TEXT.find("third").unwrap(), PositionEncoding::Utf16), Position::new(2, 0));
    }

    #[test]
    fn out_of_range_positions_clamp_and_split_characters_snap() {
        let rope = Rope::from_str(TEXT);
        let line_end = TEXT.find('\r').unwrap();
        assert_eq!(position_to_offset(&rope, Position::new(0, 99), PositionEncoding::Utf16), line_end);
        assert_eq!(position_to_offset(&rope, Position::new(99, 0), PositionEncoding::Utf16), TEXT.len());
        // Column 2 in UTF-16 is the middle of the emoji's surrogate pair.
        assert_eq!(position_to_offset(&rope, Position::new(0, 2), PositionEncoding::Utf16), 1);
        // Byte 2 is inside the emoji's four UTF-8 bytes.
        assert_eq!(position_to_offset(&rope, Position::new(0, 2), PositionEncoding::Utf8), 1);
    }
}
