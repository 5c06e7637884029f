//! A deterministic generator of realistic corpora for benchmarks: articles built
//! from the seed articles' paragraphs, shuffled, with speakers renamed and quotes
//! of every kind (direct, partial, scare, interrupted, multi-paragraph,
//! unclosed) added. The same seed always gives the same bytes.

#![allow(dead_code)] // Each bench and example uses part of it.

use std::path::Path;

/// Surnames swapped in for the seeds' speakers, so that the knowledge base does
/// not know every name (as in a real corpus).
const SURNAMES: &[&str] = &["Kovalenko", "Marchetti", "Okafor", "Lindqvist", "Haddad", "Novak", "Tanaka", "Moreau", "Petrov", "Quint"];
const FIRST_NAMES: &[&str] = &["Anna", "Boris", "Chiara", "Daniel", "Elena", "Farid", "Greta", "Hiro", "Irina", "Jonas"];
const VERBS: &[&str] = &["said", "told reporters", "added", "warned", "stressed", "mentioned", "wrote"];
const SCARE: &[&str] = &["red line", "special operation", "open door", "business approach", "nightmare scenario"];

pub struct Generator {
    paragraphs: Vec<String>,
    rng: fastrand::Rng,
    /// One paragraph in this many is a synthetic quotation (0: none, only the
    /// seeds' own paragraphs: real-looking prose).
    synthetic_every: u8,
}

impl Generator {
    /// Reads the seed articles' paragraphs from `articles` (the bundled corpus).
    pub fn from_seeds(articles: &Path, seed: u64) -> Generator {
        let mut paths: Vec<_> = std::fs::read_dir(articles)
            .expect("seed folder")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        paths.sort();
        let mut paragraphs = Vec::new();
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("seed text");
            for paragraph in text.split("\n\n") {
                let paragraph = paragraph.trim();
                // Drop the date header; keep real prose only.
                let paragraph = paragraph.strip_prefix("date ").map_or(paragraph, |rest| rest.get(11..).unwrap_or("").trim());
                if paragraph.split_whitespace().count() >= 6 {
                    paragraphs.push(paragraph.to_string());
                }
            }
        }
        Generator { paragraphs, rng: fastrand::Rng::with_seed(seed), synthetic_every: 4 }
    }

    /// Only the seeds' paragraphs, shuffled, no synthetic quotations: a corpus
    /// of real-looking prose (the other corpus of `check`'s throughput).
    pub fn prose_only(mut self) -> Generator {
        self.synthetic_every = 0;
        self
    }

    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.rng.usize(..items.len())]
    }

    fn name(&mut self) -> String {
        format!("{} {}", self.pick(FIRST_NAMES), self.pick(SURNAMES))
    }

    /// A paragraph of one synthetic quotation convention.
    fn synthetic_quote(&mut self) -> String {
        let speaker = self.name();
        let surname = speaker.rsplit(' ').next().unwrap_or("").to_string();
        let verb = self.pick(VERBS);
        match self.rng.u8(..6) {
            0 => format!("“We will not accept new threats on our borders,” {speaker} {verb}. “The talks must continue.”"),
            1 => format!("{speaker} {verb} that the proposals would affect the “fundamental interests” of the region."),
            2 => format!("Officials described the move as a “{}” in the dispute.", self.pick(SCARE)),
            3 => format!("{speaker} {verb}:\n\n“The first part of the statement runs on.\n\n“And it closes only here,” {surname} added."),
            4 => "“Nobody is said to have spoken this sentence,” the statement read, and “no one” confirmed it.".to_string(),
            _ => format!("“This quotation mark is never closed, {surname} {verb} as the paragraph ends."),
        }
    }

    /// One article of roughly `target_bytes`, with a date header.
    pub fn article(&mut self, target_bytes: usize) -> String {
        let year = 2020 + self.rng.u32(..4);
        let mut text = format!("date {year}-{:02}-{:02} ", self.rng.u32(1..13), self.rng.u32(1..29));
        let renamed = self.pick(SURNAMES).to_string();
        while text.len() < target_bytes {
            let paragraph = if self.synthetic_every > 0 && self.rng.u8(..self.synthetic_every) == 0 {
                self.synthetic_quote()
            } else {
                let p = &self.paragraphs[self.rng.usize(..self.paragraphs.len())];
                // Rename a speaker now and then.
                if self.rng.bool() { p.replace("Peskov", &renamed) } else { p.clone() }
            };
            text.push_str(&paragraph);
            text.push_str("\n\n");
        }
        text
    }

    /// Writes a corpus of `count` articles (about 3 KB each, like the seeds) into
    /// `out/articles`, with the bundled configuration and knowledge base.
    pub fn write_corpus(&mut self, bundled: &Path, out: &Path, count: usize) {
        std::fs::create_dir_all(out.join("articles")).expect("create articles");
        std::fs::create_dir_all(out.join("kb")).expect("create kb");
        std::fs::copy(bundled.join("marginalia.toml"), out.join("marginalia.toml")).expect("copy config");
        for name in ["entities.json", "agreements.json"] {
            std::fs::copy(bundled.join("kb").join(name), out.join("kb").join(name)).expect("copy kb");
        }
        for i in 0..count {
            let size = 1_500 + self.rng.usize(..4_000);
            let article = self.article(size);
            // Spread over folders so no folder holds 100,000 files.
            let dir = out.join("articles").join(format!("{:03}", i / 1_000));
            if i % 1_000 == 0 {
                std::fs::create_dir_all(&dir).expect("create folder");
            }
            std::fs::write(dir.join(format!("{i:06}.txt")), article).expect("write article");
        }
    }
}
