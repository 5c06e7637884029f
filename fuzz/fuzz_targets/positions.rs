//! Position conversions in every encoding (UTF-8, UTF-16, UTF-32) over a rope:
//! any position maps to a character boundary inside the text, and every
//! character boundary round-trips through its position (except the middle of a
//! CRLF, which is the end of its line's content).
#![no_main]

use libfuzzer_sys::fuzz_target;
use marginalia::lsp::{PositionEncoding, offset_to_position, position_to_offset};
use ropey::Rope;
use tower_lsp_server::ls_types::Position;

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let line = u32::from_le_bytes([data[0], data[1], 0, 0]) % 64;
    let character = u32::from_le_bytes([data[2], data[3], data[4], 0]);
    let character = if data[5] & 1 == 1 { character % 64 } else { character };
    let text = String::from_utf8_lossy(&data[6..]);
    let rope = Rope::from_str(&text);
    for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
        let offset = position_to_offset(&rope, Position::new(line, character), encoding);
        assert!(text.is_char_boundary(offset), "{encoding:?}: ({line},{character}) -> {offset} not a boundary");
        let back = offset_to_position(&rope, offset, encoding);
        assert_eq!(position_to_offset(&rope, back, encoding), offset, "{encoding:?}: {offset} does not round-trip");
        for (at, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
            if text[..at].ends_with('\r') && text[at..].starts_with('\n') {
                continue;
            }
            let position = offset_to_position(&rope, at, encoding);
            assert_eq!(position_to_offset(&rope, position, encoding), at, "{encoding:?}: {at} -> {position:?}");
        }
    }
});
