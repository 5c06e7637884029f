//! What each stretch of an article is, for semantic colouring: entity mentions
//! by kind, agreement references, and quotations.

use crate::analysis::Analysis;
use crate::kb::EntryKind;
use crate::text::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Person,
    Organization,
    Place,
    Agreement,
    Quote,
}

impl TokenKind {
    pub const ALL: [TokenKind; 5] = [TokenKind::Person, TokenKind::Organization, TokenKind::Place, TokenKind::Agreement, TokenKind::Quote];

    fn of(kind: EntryKind) -> TokenKind {
        match kind {
            EntryKind::Person => TokenKind::Person,
            EntryKind::Organization => TokenKind::Organization,
            EntryKind::Place => TokenKind::Place,
            EntryKind::Agreement => TokenKind::Agreement,
        }
    }
}

/// Non-overlapping tokens in text order: a quote is split around the mentions
/// inside it, since protocol tokens may not overlap.
pub fn semantic_tokens(analysis: &Analysis) -> Vec<(TextRange, TokenKind)> {
    let mut mentions: Vec<(TextRange, TokenKind)> = analysis.mentions().map(|m| (m.range, TokenKind::of(m.kind))).collect();
    mentions.sort_by_key(|t| t.0.start);
    let mut tokens = Vec::with_capacity(mentions.len() + analysis.quotes.len());
    let mut next_mention = 0;
    for quote in &analysis.quotes {
        while next_mention < mentions.len() && mentions[next_mention].0.end <= quote.range.start {
            tokens.push(mentions[next_mention]);
            next_mention += 1;
        }
        let mut cursor = quote.range.start;
        while next_mention < mentions.len() && mentions[next_mention].0.start < quote.range.end {
            let mention = mentions[next_mention];
            if mention.0.start > cursor {
                tokens.push((TextRange::new(cursor, mention.0.start), TokenKind::Quote));
            }
            tokens.push(mention);
            cursor = cursor.max(mention.0.end);
            next_mention += 1;
        }
        if cursor < quote.range.end {
            tokens.push((TextRange::new(cursor, quote.range.end), TokenKind::Quote));
        }
    }
    tokens.extend_from_slice(&mentions[next_mention..]);
    tokens
}
