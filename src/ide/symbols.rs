//! The outline of an article (header, paragraphs, their quotes) and workspace
//! symbols (knowledge-base entries by name).

use crate::analysis::Analysis;
use crate::kb::{KbEntry, KnowledgeBase};
use crate::text::TextRange;

/// What an outline item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutlineKind {
    /// The `date`/`lang` header.
    Header,
    /// A paragraph (named by its first words).
    Paragraph,
    /// A quotation inside a paragraph.
    Quote,
}

/// One item of an article's outline, with the items inside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutlineItem {
    /// What the outline shows.
    pub name: String,
    /// More about it (the language of the header, a quote's speaker).
    pub detail: Option<String>,
    /// What it is.
    pub kind: OutlineKind,
    /// All of it, in bytes.
    pub range: TextRange,
    /// The part selected when the item is chosen.
    pub selection_range: TextRange,
    /// Items inside (a paragraph's quotes).
    pub children: Vec<OutlineItem>,
}

fn excerpt(text: &str, words: usize) -> String {
    let mut out: Vec<&str> = text.split_whitespace().take(words + 1).collect();
    let more = out.len() > words;
    out.truncate(words);
    let mut joined = out.join(" ");
    if more {
        joined.push('…');
    }
    joined
}

/// The outline of an article: its header, then each paragraph with its quotes.
pub fn document_outline(text: &str, analysis: &Analysis) -> Vec<OutlineItem> {
    let mut items = Vec::new();
    if let Some(header) = &analysis.article.header {
        let name = if header.has_date() { format!("date {}", header.date_range.slice(text)) } else { "header".to_string() };
        items.push(OutlineItem {
            name,
            detail: Some(format!("{} ({})", analysis.language.name(), analysis.language_source.describe())),
            kind: OutlineKind::Header,
            range: header.range,
            selection_range: if header.has_date() { header.date_range } else { header.lang_range.unwrap_or(header.date_range) },
            children: Vec::new(),
        });
    }
    for (number, paragraph) in analysis.article.paragraphs.iter().enumerate() {
        let children = analysis
            .quotes
            .iter()
            .filter(|q| paragraph.range.contains_range(q.range))
            .map(|q| OutlineItem {
                name: excerpt(q.range.slice(text), 8),
                detail: Some(match &q.speaker {
                    Some(s) => format!("{} — {}", q.kind.as_str(), s.range.slice(text)),
                    None => format!("{} — no speaker", q.kind.as_str()),
                }),
                kind: OutlineKind::Quote,
                range: q.range,
                selection_range: q.range,
                children: Vec::new(),
            })
            .collect();
        items.push(OutlineItem {
            name: format!("¶{} {}", number + 1, excerpt(paragraph.range.slice(text), 6)),
            detail: None,
            kind: OutlineKind::Paragraph,
            range: paragraph.range,
            selection_range: TextRange::new(paragraph.range.start, paragraph.range.start),
            children,
        });
    }
    items
}

/// Entries whose name or an alias contains `query` (ignoring case), names first.
pub fn workspace_symbols<'a>(kb: &'a KnowledgeBase, query: &str) -> Vec<&'a KbEntry> {
    let query = query.to_lowercase();
    let mut matched: Vec<(bool, &KbEntry)> = kb
        .entries()
        .iter()
        .filter_map(|e| {
            let by_name = e.name.to_lowercase().contains(&query) || e.id.contains(&query);
            let by_alias = e.aliases.iter().any(|a| a.to_lowercase().contains(&query));
            (by_name || by_alias).then_some((!by_name, e))
        })
        .collect();
    matched.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));
    matched.into_iter().map(|(_, e)| e).collect()
}
