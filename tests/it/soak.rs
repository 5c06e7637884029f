//! The soak harness of issue 14: several clients on one corpus, interleaved at
//! random (seeded, bounded), and after every step an oracle that checks no
//! annotation anyone wrote was lost, doubled or silently moved.
//!
//! Clients: alice's editor (incremental sync) and bob's editor (full-document
//! sync, sometimes an incremental change and a full replacement in one
//! notification) on their own articles; an import writing carol's annotations
//! into alice's sidecar behind her server's back; edits on disk to a closed
//! article; renames of it; knowledge-base edits; stale code actions (computed,
//! then applied after other steps). Edits never touch annotated words, so the
//! oracle knows where each annotation must be: re-anchored on its own words
//! (same place in the text as the oracle's own model), or reported as
//! orphaned, never on other words and never gone.
//!
//! `MARGINALIA_SOAK_STEPS` (default 1000) and `MARGINALIA_SOAK_SEED` set the run;
//! a long local run: `MARGINALIA_SOAK_STEPS=20000 cargo test --release --test it soak:: -- --nocapture`.
//! To look into a finding: `MARGINALIA_SOAK_TRACE=ID` prints every edit near
//! annotation ID and every check of it, and with `MARGINALIA_LOG=marginalia=debug`
//! the servers' logs (where each annotation was placed, and why) are written to
//! `soak-server-N.log` in the temporary folder when a check fails.

use crate::lsp_client;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lsp_client::{Encoding, LspClient, Position, Range, corpus_copy, file_uri, position_of};
use marginalia::annotations::{Anchor, Annotation, anchor_all, read_annotations, sidecar_path, update_annotations};
use serde_json::{Value, json};

/// One annotation the oracle expects somewhere: its article (by key), its
/// words, and where those words are now (byte range in the model text).
#[derive(Clone, Debug)]
struct Expected {
    article: usize,
    exact: String,
    range: std::ops::Range<usize>,
    /// Where else the last edit may rightly have put it: an edit known only by
    /// its result (a whole new text, a file changed on disk) that inserts or
    /// removes text repeating its neighbours ("Kyiv, b" before "b Kyiv,") is
    /// the same change at several places, and either side of an annotation.
    also: Vec<usize>,
}

/// An article as the oracle models it: path on disk and text (saved after
/// every editor step, so disk and buffer agree between steps).
struct Article {
    path: PathBuf,
    text: String,
    /// The editor that has it open (0 alice, 1 bob), with its document version.
    open_in: Option<(usize, i64)>,
}

struct Soak {
    rng: fastrand::Rng,
    corpus: tempfile::TempDir,
    editors: Vec<LspClient>,
    articles: Vec<Article>,
    expected: BTreeMap<String, Expected>,
    /// Code actions computed earlier and applied later: (editor, article, action, the id it removes).
    stale: Vec<(usize, usize, Value, String)>,
    next_id: usize,
    operations: BTreeMap<&'static str, usize>,
    checks: usize,
    orphaned_seen: usize,
    last_operation: &'static str,
    last_edit: String,
}

const ANNOTATORS: [&str; 2] = ["alice", "bob"];

impl Soak {
    fn new(seed: u64) -> Soak {
        let corpus = corpus_copy();
        let names: Vec<PathBuf> = {
            let mut names: Vec<PathBuf> = std::fs::read_dir(corpus.path().join("articles"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect();
            names.sort();
            names
        };
        let articles: Vec<Article> =
            names.into_iter().take(3).map(|path| Article { text: std::fs::read_to_string(&path).unwrap(), path, open_in: None }).collect();
        let mut editors = Vec::new();
        for name in ANNOTATORS {
            let mut client = LspClient::spawn_with_env(&[("MARGINALIA_ANNOTATOR", name)]);
            client.initialize(None, Some(corpus.path()));
            editors.push(client);
        }
        let mut soak = Soak {
            rng: fastrand::Rng::with_seed(seed),
            corpus,
            editors,
            articles,
            expected: BTreeMap::new(),
            stale: Vec::new(),
            next_id: 0,
            operations: BTreeMap::new(),
            checks: 0,
            orphaned_seen: 0,
            last_operation: "",
            last_edit: String::new(),
        };
        // Alice edits article 0, bob article 1; article 2 stays closed.
        for (editor, article) in [(0, 0), (1, 1)] {
            let (uri, text) = (file_uri(&soak.articles[article].path), soak.articles[article].text.clone());
            soak.editors[editor].did_open(&uri, "plaintext", 1, &text);
            soak.editors[editor].wait_for_diagnostics(&uri, 1);
            soak.articles[article].open_in = Some((editor, 1));
        }
        soak
    }

    fn count(&mut self, operation: &'static str) {
        self.last_operation = operation;
        *self.operations.entry(operation).or_default() += 1;
    }

    /// Byte ranges of capitalised words in the article that no annotation
    /// covers: the words annotators label.
    fn free_words(&self, article: usize) -> Vec<std::ops::Range<usize>> {
        let text = &self.articles[article].text;
        let taken: Vec<&std::ops::Range<usize>> = self.expected.values().filter(|e| e.article == article).map(|e| &e.range).collect();
        let mut words = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
            match (start, c.is_alphanumeric()) {
                (None, true) => start = Some(i),
                (Some(s), false) => {
                    if text[s..].starts_with(char::is_uppercase) && i - s > 2 && !taken.iter().any(|t| t.start < i && s < t.end) {
                        words.push(s..i);
                    }
                    start = None;
                }
                _ => {}
            }
        }
        words
    }

    /// A byte offset at a space that no annotation touches (edits go there).
    fn edit_point(&mut self, article: usize) -> Option<usize> {
        let text = &self.articles[article].text;
        let spaces: Vec<usize> = text
            .match_indices(' ')
            .map(|(i, _)| i)
            .filter(|&i| !self.expected.values().any(|e| e.article == article && e.range.start <= i + 1 && i <= e.range.end))
            .collect();
        (!spaces.is_empty()).then(|| spaces[self.rng.usize(..spaces.len())])
    }

    /// Applies an edit to the model: text and the expected ranges after it.
    /// `seen_whole` marks an edit the server knows only by its result, where
    /// the same change at another place (a slide through repeated text) is an
    /// equally right reading.
    fn model_edit(&mut self, article: usize, at: usize, removed: usize, inserted: &str, seen_whole: bool) {
        let old = self.articles[article].text.clone();
        self.last_edit = format!("at {at} removed {:?} inserted {inserted:?}", &old[at..at + removed]);
        self.articles[article].text.replace_range(at..at + removed, inserted);
        let new = &self.articles[article].text;
        if let Ok(traced) = std::env::var("MARGINALIA_SOAK_TRACE")
            && let Some(e) = self.expected.get(&traced)
            && e.article == article
        {
            eprintln!(
                "edit {}: {} (annotation at {}: {:?})",
                self.last_operation,
                self.last_edit,
                e.range.start,
                &old[e.range.start.saturating_sub(20)..(e.range.end + 20).min(old.len())]
            );
        }
        // The places p where old[..p] + X + old[p + removed..] == new.
        let prefix = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
        let suffix = old.bytes().rev().zip(new.bytes().rev()).take_while(|(a, b)| a == b).count();
        let slide = (old.len() - removed).saturating_sub(suffix)..=prefix.min(old.len() - removed);
        let shift = |start: usize| start - removed + inserted.len();
        for e in self.expected.values_mut().filter(|e| e.article == article) {
            let len = e.range.len();
            let literal = if e.range.start >= at + removed { shift(e.range.start) } else { e.range.start };
            e.also.clear();
            if seen_whole {
                if *slide.start() + removed <= e.range.start {
                    e.also.push(shift(e.range.start));
                }
                if *slide.end() >= e.range.end {
                    e.also.push(e.range.start);
                }
            }
            e.range = literal..literal + len;
        }
    }

    /// Text to insert or a stretch to remove at a free space.
    fn random_edit(&mut self, article: usize) -> Option<(usize, usize, String)> {
        let at = self.edit_point(article)?;
        let text = &self.articles[article].text;
        if self.rng.bool() {
            let words = ["Lavrov", "“said", "NATO”", "Kyiv,", "the", "“", "”", "😀", "Blinken", "\n\n", "said."];
            let inserted: Vec<&str> = (0..self.rng.usize(1..4)).map(|_| words[self.rng.usize(..words.len())]).collect();
            Some((at, 0, format!(" {}", inserted.join(" "))))
        } else {
            // Remove up to the next free space, a few words on, if no annotation lies between.
            let end = text[at + 1..].match_indices(' ').nth(self.rng.usize(0..3)).map(|(i, _)| at + 1 + i)?;
            let touches = self.expected.values().any(|e| e.article == article && e.range.start <= end && at <= e.range.end);
            (!touches).then(|| (at, end - at, String::new()))
        }
    }

    fn uri(&self, article: usize) -> String {
        file_uri(&self.articles[article].path)
    }

    /// Writes the model text to disk and saves in the editor that has it open.
    fn save(&mut self, article: usize) {
        std::fs::write(&self.articles[article].path, &self.articles[article].text).unwrap();
        if let Some((editor, version)) = self.articles[article].open_in {
            let uri = self.uri(article);
            self.editors[editor].notify("textDocument/didSave", json!({"textDocument": {"uri": uri}}));
            // A request after the save sees its effect (same queue).
            self.editors[editor].wait_for_diagnostics(&uri, version);
            self.editors[editor].hover(&uri, Position::new(0, 0)).ok();
        }
    }

    fn step(&mut self) {
        match self.rng.usize(..9) {
            0 | 1 => self.annotate(),
            2 => self.editor_edit(),
            3 => self.full_sync_edit(),
            4 => self.import_behind_the_servers_back(),
            5 => self.edit_closed_article_on_disk(),
            6 => self.rename_closed_article(),
            7 => self.stale_action(),
            _ => self.edit_knowledge_base(),
        }
    }

    /// An editor labels a free word through the annotation command.
    fn annotate(&mut self) {
        let editor = self.rng.usize(..2);
        let article = editor;
        let words = self.free_words(article);
        if words.is_empty() {
            return;
        }
        let word = words[self.rng.usize(..words.len())].clone();
        let text = &self.articles[article].text;
        let start = text[..word.start].chars().count();
        let exact = text[word.clone()].to_string();
        self.next_id += 1;
        let id = format!("{}-{}", ANNOTATORS[editor], self.next_id);
        let op = json!({"op": "add", "annotation": {
            "id": id, "kind": "entity", "label": "PERSON", "start": start, "end": start + exact.chars().count(),
            "exact": exact, "annotator": ANNOTATORS[editor], "created": "2026-12-03T00:00:00Z", "status": "accepted"}});
        let uri = self.uri(article);
        self.editors[editor]
            .request(
                "workspace/executeCommand",
                json!({"command": "marginalia.applyAnnotationOps", "arguments": [{"uri": uri, "ops": [op]}]}),
            )
            .unwrap_or_else(|e| panic!("adding {id}: {e}"));
        self.expected.insert(id, Expected { article, exact, range: word, also: Vec::new() });
        self.count("annotate (command)");
    }

    /// Alice types (incremental sync) and saves.
    fn editor_edit(&mut self) {
        let Some((at, removed, inserted)) = self.random_edit(0) else { return };
        let text = self.articles[0].text.clone();
        let range = Range::new(position_of(&text, at, Encoding::Utf16), position_of(&text, at + removed, Encoding::Utf16));
        let (editor, version) = self.articles[0].open_in.unwrap();
        let uri = self.uri(0);
        self.editors[editor].did_change(&uri, version + 1, range, &inserted);
        self.articles[0].open_in = Some((editor, version + 1));
        self.model_edit(0, at, removed, &inserted, false);
        self.save(0);
        self.count("incremental edit + save");
    }

    /// Bob's editor sends the whole text (sometimes after an incremental change
    /// in the same notification) and saves.
    fn full_sync_edit(&mut self) {
        let Some((at, removed, inserted)) = self.random_edit(1) else { return };
        self.model_edit(1, at, removed, &inserted, true);
        let (editor, version) = self.articles[1].open_in.unwrap();
        let mut changes = Vec::new();
        if self.rng.bool() {
            changes.push(json!({"range": Range::new(Position::new(0, 0), Position::new(0, 0)).to_json(), "text": "Z"}));
        }
        changes.push(json!({"text": self.articles[1].text}));
        let uri = self.uri(1);
        self.editors[editor]
            .notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": version + 1}, "contentChanges": changes}));
        self.articles[1].open_in = Some((editor, version + 1));
        self.save(1);
        self.count("full-document edit + save");
    }

    /// Carol's annotations arrive through the store's locked merge (what
    /// `marginalia import` calls) into alice's sidecar; alice's server hears of
    /// it from the file watcher.
    fn import_behind_the_servers_back(&mut self) {
        let article = if self.rng.bool() { 0 } else { 2 };
        let words = self.free_words(article);
        if words.is_empty() {
            return;
        }
        let word = words[self.rng.usize(..words.len())].clone();
        let text = &self.articles[article].text;
        let by = marginalia::annotations::Authorship {
            annotator: "carol",
            created: "2026-12-03T00:00:00Z",
            status: marginalia::annotations::Status::Accepted,
        };
        let index = marginalia::text::LineIndex::new(text);
        let span = marginalia::text::TextRange::new(word.start, word.end);
        self.next_id += 1;
        let id = format!("carol-{}", self.next_id);
        let annotation = Annotation {
            id: id.clone(),
            ..Annotation::on_span(text, &index, span, marginalia::annotations::AnnotationKind::Entity, "PERSON", by)
        };
        let exact = annotation.exact.clone();
        update_annotations(&sidecar_path(&self.articles[article].path), |all| all.push(annotation)).unwrap();
        let sidecar_uri = file_uri(&sidecar_path(&self.articles[article].path));
        let probe = self.uri(0);
        for editor in &mut self.editors {
            editor.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": sidecar_uri, "type": 2}]}));
            editor.hover(&probe, Position::new(0, 0)).ok();
        }
        self.expected.insert(id, Expected { article, exact, range: word, also: Vec::new() });
        self.count("import (locked merge)");
    }

    /// Someone edits the closed article outside the editors.
    fn edit_closed_article_on_disk(&mut self) {
        let Some((at, removed, inserted)) = self.random_edit(2) else { return };
        self.model_edit(2, at, removed, &inserted, true);
        std::fs::write(&self.articles[2].path, &self.articles[2].text).unwrap();
        let uri = self.uri(2);
        let probe = self.uri(0);
        for editor in &mut self.editors {
            editor.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri, "type": 2}]}));
            // A request after the notification sees its effect (same queue).
            editor.hover(&probe, Position::new(0, 0)).ok();
        }
        self.count("outside edit of a closed article");
    }

    /// The closed article is renamed in alice's editor (willRename, the move,
    /// didRename), or by a client that only says so afterwards.
    fn rename_closed_article(&mut self) {
        let old = self.articles[2].path.clone();
        let new = old.with_file_name(format!("renamed-{}.txt", self.next_id));
        self.next_id += 1;
        let files = json!({"files": [{"oldUri": file_uri(&old), "newUri": file_uri(&new)}]});
        if self.rng.bool() {
            let edit = self.editors[0].request("workspace/willRenameFiles", files.clone()).expect("willRenameFiles");
            for change in edit["documentChanges"].as_array().into_iter().flatten() {
                let path = |key: &str| PathBuf::from(change[key].as_str().unwrap().strip_prefix("file://").unwrap());
                std::fs::rename(path("oldUri"), path("newUri")).unwrap();
            }
            self.count("rename (willRename + didRename)");
        } else {
            self.count("rename (didRename only)");
        }
        std::fs::rename(&old, &new).unwrap();
        self.editors[0].notify("workspace/didRenameFiles", files);
        self.editors[0].hover(&file_uri(&self.articles[0].path), Position::new(0, 0)).ok();
        // Bob's server sees the same files go and come through its watcher.
        let (old_sidecar, new_sidecar) = (sidecar_path(&old), sidecar_path(&new));
        let changes: Vec<Value> = [(&old, 3), (&old_sidecar, 3), (&new, 1), (&new_sidecar, 1)]
            .iter()
            .map(|(path, kind)| json!({"uri": file_uri(path), "type": kind}))
            .collect();
        self.editors[1].notify("workspace/didChangeWatchedFiles", json!({"changes": changes}));
        self.editors[1].hover(&file_uri(&self.articles[1].path), Position::new(0, 0)).ok();
        self.articles[2].path = new;
    }

    /// A "Remove annotation" action is computed now and applied a few steps
    /// later, after whatever changed the sidecar meanwhile.
    fn stale_action(&mut self) {
        if let Some(index) = (!self.stale.is_empty() && self.rng.bool()).then(|| self.rng.usize(..self.stale.len())) {
            let (editor, article, action, id) = self.stale.remove(index);
            if !self.expected.contains_key(&id) {
                return;
            }
            if let Some(command) = action.get("command") {
                self.editors[editor]
                    .request("workspace/executeCommand", json!({"command": command["command"], "arguments": command["arguments"]}))
                    .expect("the stale action's command");
            } else {
                apply_edit_to_disk(&action["edit"]);
                let uri = file_uri(&sidecar_path(&self.articles[article].path));
                self.editors[editor].notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri, "type": 2}]}));
            }
            self.expected.remove(&id);
            self.count("stale remove applied");
            return;
        }
        let editor = self.rng.usize(..2);
        let article = editor;
        let own: Vec<(String, Expected)> = self
            .expected
            .iter()
            .filter(|(id, e)| e.article == article && id.starts_with(ANNOTATORS[editor]) && !self.stale.iter().any(|s| &s.3 == *id))
            .map(|(id, e)| (id.clone(), e.clone()))
            .collect();
        if own.is_empty() {
            return;
        }
        let (id, e) = own[self.rng.usize(..own.len())].clone();
        let text = &self.articles[article].text;
        let at = position_of(text, e.range.start + 1, Encoding::Utf16);
        let uri = self.uri(article);
        let actions = self.editors[editor]
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri}, "range": Range::new(at, at).to_json(), "context": {"diagnostics": []}}),
            )
            .expect("code actions");
        let remove =
            actions.as_array().into_iter().flatten().find(|a| {
                a["title"].as_str().unwrap_or("").starts_with("Remove annotation") && a.to_string().contains(&format!("\"{id}\""))
            });
        if let Some(remove) = remove {
            self.stale.push((editor, article, remove.clone(), id));
            self.count("stale remove computed");
        }
    }

    /// A knowledge-base entry is added on disk.
    fn edit_knowledge_base(&mut self) {
        let path = self.corpus.path().join("kb/entities.json");
        let text = std::fs::read_to_string(&path).unwrap();
        let Some(last) = text.rfind(']') else { return };
        self.next_id += 1;
        let entry = format!(",\n  {{\"id\": \"soak-{n}\", \"kind\": \"person\", \"name\": \"Soak Person {n}\"}}\n", n = self.next_id);
        let mut new = text.clone();
        new.insert_str(text[..last].trim_end().len(), &entry);
        std::fs::write(&path, new).unwrap();
        let uri = file_uri(&path);
        for editor in &mut self.editors {
            editor.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri, "type": 2}]}));
        }
        self.count("knowledge-base edit");
    }

    /// The oracle: every expected annotation is in its article's sidecar once,
    /// and anchors on its own words at the model's place, or is orphaned
    /// (reported); nothing removed is still there.
    fn check(&mut self, step: usize) {
        for (key, article) in self.articles.iter().enumerate() {
            let sidecar = sidecar_path(&article.path);
            let file = read_annotations(&sidecar).unwrap();
            assert!(file.diagnostics.is_empty(), "step {step}: {} has malformed lines: {:?}", sidecar.display(), file.diagnostics);
            let disk = std::fs::read_to_string(&article.path).unwrap();
            assert_eq!(disk, article.text, "step {step}: the article on disk is the model's");
            let anchored = anchor_all(&disk, &file.annotations);
            for (id, expected) in self.expected.iter_mut().filter(|(_, e)| e.article == key) {
                let found: Vec<_> = anchored.iter().filter(|a| &a.annotation.id == id).collect();
                assert_eq!(found.len(), 1, "step {step}: annotation {id} is in {} {} times", sidecar.display(), found.len());
                let found = found[0];
                match found.range {
                    None => {
                        assert_eq!(found.anchor, Anchor::Orphaned);
                        self.orphaned_seen += 1;
                    }
                    Some(range) if range.slice(&disk) == expected.exact && expected.also.contains(&range.start) => {
                        if std::env::var("MARGINALIA_SOAK_TRACE").is_ok_and(|t| &t == id) {
                            eprintln!(
                                "step {step}: {id} adopted {} (model {}), also {:?}, after {}",
                                range.start, expected.range.start, expected.also, self.last_edit
                            );
                        }
                        // The other right reading of an edit seen whole: the
                        // server's; later edits build on it.
                        expected.range = range.start..range.end;
                    }
                    Some(range) => {
                        if (range.start, range.slice(&disk)) != (expected.range.start, expected.exact.as_str()) {
                            for (n, editor) in self.editors.iter().enumerate() {
                                let log = std::env::temp_dir().join(format!("soak-server-{n}.log"));
                                std::fs::write(&log, editor.stderr()).ok();
                                eprintln!("server {n}'s log: {}", log.display());
                            }
                        }
                        assert_eq!(
                            (range.start, range.slice(&disk)),
                            (expected.range.start, expected.exact.as_str()),
                            "step {step} ({}, {}): annotation {id} ({:?}) silently moved in {}: found at {:?}, expected at {:?} ({:?}; stored {:?})",
                            self.last_operation,
                            self.last_edit,
                            expected.exact,
                            article.path.display(),
                            around(&disk, range.start),
                            around(&disk, expected.range.start),
                            found.anchor,
                            (found.annotation.start, &found.annotation.prefix, &found.annotation.suffix),
                        );
                    }
                }
                // An edit's other readings count at the check right after it only.
                expected.also.clear();
                self.checks += 1;
            }
            for a in &file.annotations {
                assert!(self.expected.contains_key(&a.id), "step {step}: {} holds {} which was removed", sidecar.display(), a.id);
            }
        }
    }
}

/// The text around byte `at`, for messages.
fn around(text: &str, at: usize) -> String {
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    format!("{}[{}", &text[floor(at.saturating_sub(40))..at], &text[at..floor((at + 40).min(text.len()))])
}

/// Applies a WorkspaceEdit's text edits to the files on disk (the sidecar is
/// not open in the editor: it applies the edit to the file).
fn apply_edit_to_disk(edit: &Value) {
    for change in edit["documentChanges"].as_array().into_iter().flatten() {
        let Some(uri) = change["textDocument"]["uri"].as_str() else { continue };
        let path = Path::new(uri.strip_prefix("file://").unwrap());
        let mut text = std::fs::read_to_string(path).unwrap_or_default();
        for e in change["edits"].as_array().unwrap() {
            lsp_client::apply_change(&mut text, Range::from_json(&e["range"]), e["newText"].as_str().unwrap(), Encoding::Utf16);
        }
        std::fs::write(path, text).unwrap();
    }
}

#[test]
fn soak_clients_interleaved_at_random_lose_and_misplace_no_annotation() {
    let steps: usize = std::env::var("MARGINALIA_SOAK_STEPS").ok().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let seed: u64 = std::env::var("MARGINALIA_SOAK_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(14);
    let started = std::time::Instant::now();
    let mut soak = Soak::new(seed);
    for step in 0..steps {
        soak.step();
        soak.check(step);
    }
    for editor in &mut soak.editors {
        editor.shutdown_and_exit();
    }
    let total: usize = soak.operations.values().sum();
    eprintln!(
        "soak: seed {seed}, {steps} steps, {total} operations, {} invariant checks, {} orphaned sightings, 0 findings, {:.1} s",
        soak.checks,
        soak.orphaned_seen,
        started.elapsed().as_secs_f64()
    );
    for (operation, n) in &soak.operations {
        eprintln!("  {n:>6} {operation}");
    }
}
