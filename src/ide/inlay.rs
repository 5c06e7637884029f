//! Inlay hints: after each attributed quote, who said it ("— Lavrov").

use crate::analysis::{Analysis, QuoteKind};
use crate::kb::KnowledgeBase;
use crate::text::TextRange;

/// A hint shown after a quote: its speaker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    /// Byte offset the hint is shown at (just after the quote).
    pub offset: usize,
    /// The text shown (the speaker's name).
    pub label: String,
    /// Hover text on the hint.
    pub tooltip: String,
}

/// One hint per utterance, after its last part, for quotes in `range`. The label
/// is the KB name when the speaker resolves to an entry, else the words of the
/// text that name the speaker.
pub fn quote_speaker_hints(text: &str, analysis: &Analysis, kb: &KnowledgeBase, range: TextRange) -> Vec<InlayHint> {
    let mut hints: Vec<InlayHint> = Vec::new();
    for (i, quote) in analysis.quotes.iter().enumerate() {
        let last_part = analysis.quotes.get(i + 1).is_none_or(|next| next.utterance != quote.utterance);
        if !last_part || quote.kind == QuoteKind::Scare || !range.touches(quote.range.end) {
            continue;
        }
        let Some(speaker) = &quote.speaker else { continue };
        if names_itself_after(text, quote.range, speaker) {
            continue;
        }
        let entry = speaker.entity.as_deref().and_then(|id| kb.get(id));
        let name = match entry {
            Some(entry) if entry.kind == crate::kb::EntryKind::Person => entry.surname().unwrap_or(&entry.name).to_string(),
            Some(entry) => entry.name.clone(),
            None => speaker.range.slice(text).to_string(),
        };
        let how = quote.via.map(|v| v.describe()).unwrap_or("rules");
        hints.push(InlayHint {
            offset: quote.range.end,
            label: format!("— {name}"),
            tooltip: format!("speaker: {} ({how})", speaker.range.slice(text)),
        });
    }
    hints
}

/// The speaker's own name stands right after the quote, at most a cue word
/// between (`“…,” Baerbock said`, `“…,” said Baerbock`): a hint would only
/// repeat it ("— Baerbock Baerbock said", issue 17). A pronoun there ("he
/// said") keeps its hint, which says who "he" is.
fn names_itself_after(text: &str, quote: TextRange, speaker: &crate::analysis::SpeakerMention) -> bool {
    if speaker.antecedent.is_some() || speaker.range.start < quote.end {
        return false;
    }
    let between = &text[quote.end..speaker.range.start];
    between.len() <= 24 && !between.contains('\n') && between.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count() <= 1
}
