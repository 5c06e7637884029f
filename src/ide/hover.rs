//! Hover cards: entities with the role they held on the article's date,
//! agreements with date, parties and summary, quotes with speaker and cue.

use chrono::NaiveDate;

use crate::analysis::{Analysis, QuoteSpan};
use crate::annotations::AnchoredAnnotation;
use crate::kb::{EntryKind, KbEntry, KnowledgeBase};
use crate::text::TextRange;
use crate::workspace::MentionIndex;

/// Markdown card for a KB entry as seen from an article dated `date`.
pub fn entry_card(entry: &KbEntry, date: Option<NaiveDate>, mentions_in_corpus: Option<usize>) -> String {
    let mut card = format!("**{}** · {}\n", entry.name, entry.kind.as_str());
    if entry.kind == EntryKind::Person && !entry.roles.is_empty() {
        match date {
            Some(date) => {
                let roles = entry.roles_on(date);
                if roles.is_empty() {
                    card.push_str(&format!("\n*No recorded role on {date}*\n"));
                } else {
                    for role in roles {
                        card.push_str(&format!("\n{} *(on {date}; {})*\n", role.title, role_span(role)));
                    }
                }
            }
            None => {
                card.push_str("\n*No date header: all roles shown*\n");
                for role in &entry.roles {
                    card.push_str(&format!("\n{} *({})*\n", role.title, role_span(role)));
                }
            }
        }
    }
    if entry.kind == EntryKind::Agreement {
        if let Some(date) = entry.date {
            card.push_str(&format!("\n**Date:** {date}\n"));
        }
        if !entry.parties.is_empty() {
            card.push_str(&format!("\n**Parties:** {}\n", entry.parties.join(", ")));
        }
        if !entry.summary.is_empty() {
            card.push_str(&format!("\n{}\n", entry.summary));
        }
        if !entry.principles.is_empty() {
            card.push_str("\n**Principles:**\n");
            for principle in &entry.principles {
                card.push_str(&format!("- {principle}\n"));
            }
        }
    }
    if !entry.description.is_empty() {
        card.push_str(&format!("\n{}\n", entry.description));
    }
    if !entry.aliases.is_empty() {
        card.push_str(&format!("\n*Also:* {}\n", entry.aliases.join(", ")));
    }
    if let Some(qid) = &entry.wikidata {
        card.push_str(&format!("\n[Wikidata {qid}](https://www.wikidata.org/wiki/{qid})\n"));
    }
    if let Some(count) = mentions_in_corpus {
        card.push_str(&format!("\n{count} mention{} in the corpus\n", if count == 1 { "" } else { "s" }));
    }
    card
}

fn role_span(role: &crate::kb::Role) -> String {
    match (role.start, role.end) {
        (Some(s), Some(e)) => format!("{s} to {e}"),
        (Some(s), None) => format!("since {s}"),
        (None, Some(e)) => format!("until {e}"),
        (None, None) => "dates unknown".into(),
    }
}

/// The markdown card of a quote: kind, speaker, cue, the rule that attributed it.
pub fn quote_card(text: &str, quote: &QuoteSpan, kb: &KnowledgeBase) -> String {
    let mut card = format!("**Quote** · {}\n", quote.kind.as_str());
    match &quote.speaker {
        Some(speaker) => {
            let name = speaker.entity.as_deref().and_then(|id| kb.get(id)).map(|e| format!(" → {}", e.name)).unwrap_or_default();
            card.push_str(&format!("\n**Speaker:** {}{name}\n", speaker.range.slice(text)));
        }
        None => card.push_str("\n**Speaker:** none found\n"),
    }
    if let Some(cue) = quote.cue {
        card.push_str(&format!("\n**Cue:** {}\n", cue.slice(text)));
    }
    if let Some(via) = quote.via {
        let rule = quote.rule.map(|rule| format!(" (rule `{}`)", rule.name())).unwrap_or_default();
        card.push_str(&format!("\n*Found by:* {}{rule}\n", via.describe()));
    }
    card.push_str(&format!("\n*Kind by:* rule `{}`\n", quote.kind_rule.name()));
    if quote.unclosed {
        card.push_str("\n*The closing quotation mark is missing.*\n");
    }
    card
}

/// A hover: the range it describes and its Markdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoverCard {
    /// The bytes hovered (a mention, a quote).
    pub range: TextRange,
    /// The card, in Markdown.
    pub markdown: String,
}

/// The card for whatever lies at `offset`: a KB mention first, else a quote.
/// `index` supplies the corpus-wide mention count when the article is in a corpus.
pub fn hover(text: &str, analysis: &Analysis, kb: &KnowledgeBase, index: Option<&MentionIndex>, offset: usize) -> Option<HoverCard> {
    hover_annotated(text, analysis, kb, index, &[], offset)
}

/// [`hover`], with the annotations covering `offset` listed under the card.
pub fn hover_annotated(
    text: &str,
    analysis: &Analysis,
    kb: &KnowledgeBase,
    index: Option<&MentionIndex>,
    annotations: &[AnchoredAnnotation],
    offset: usize,
) -> Option<HoverCard> {
    let mut card = if let Some(mention) = analysis.mention_at(offset)
        && let Some(entry) = kb.get(&mention.id)
    {
        let count = index.map(|i| i.count(&entry.id));
        Some(HoverCard { range: mention.range, markdown: entry_card(entry, analysis.date(), count) })
    } else {
        analysis.quote_at(offset).map(|quote| HoverCard { range: quote.range, markdown: quote_card(text, quote, kb) })
    };
    // The language the article was read in, beside its date: which marks and
    // speech cues were used, and why.
    if let Some(card) = &mut card {
        card.markdown.push_str(&format!("\n*Article language:* {} ({})\n", analysis.language.name(), analysis.language_source.describe()));
    }
    let covering: Vec<&AnchoredAnnotation> = annotations.iter().filter(|a| a.range.is_some_and(|r| r.touches(offset))).collect();
    if covering.is_empty() {
        return card;
    }
    let mut lines = String::from("\n---\n");
    for a in &covering {
        let a = &a.annotation;
        let link = a.entity.as_deref().map(|id| format!(" → `{id}`")).unwrap_or_default();
        let speaker = a.speaker.as_deref().map(|id| format!(" · speaker `{id}`")).unwrap_or_default();
        lines.push_str(&format!("\n**Annotation** {}{link}{speaker} · *{}* by {}\n", a.label, a.status.as_str(), a.annotator));
    }
    match &mut card {
        Some(card) => card.markdown.push_str(&lines),
        None => {
            let range = covering[0].range.unwrap_or_default();
            card = Some(HoverCard { range, markdown: lines.trim_start_matches("\n---\n").to_string() });
        }
    }
    card
}
