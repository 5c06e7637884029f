//! The labelling loop over the real server: an annotator labels a seed article
//! with code actions only, and the sidecar that results is clean; edits in the
//! editor move annotations; the server's own writes are atomic and merged.

use crate::lsp_client;

use std::path::PathBuf;

use lsp_client::{Encoding, LspClient, Position, Range, apply_change, corpus_copy, file_uri, position_of};
use serde_json::{Value, json};

const SEED: &str = "003_06a289d246a3710c.txt";

fn path_of_uri(uri: &str) -> PathBuf {
    PathBuf::from(uri.strip_prefix("file://").expect("file URI").replace("%20", " "))
}

/// Applies a WorkspaceEdit to the files on disk, as an editor does when it
/// applies an edit and saves.
fn apply_workspace_edit(edit: &Value) -> Vec<PathBuf> {
    let mut touched = Vec::new();
    for change in edit["documentChanges"].as_array().expect("documentChanges") {
        if change["kind"] == "create" {
            let path = path_of_uri(change["uri"].as_str().unwrap());
            if !path.exists() {
                std::fs::write(&path, "").unwrap();
            }
            continue;
        }
        let path = path_of_uri(change["textDocument"]["uri"].as_str().unwrap());
        let mut text = std::fs::read_to_string(&path).unwrap_or_default();
        for e in change["edits"].as_array().unwrap() {
            apply_change(&mut text, Range::from_json(&e["range"]), e["newText"].as_str().unwrap(), Encoding::Utf16);
        }
        std::fs::write(&path, &text).unwrap();
        touched.push(path);
    }
    touched
}

struct Session {
    client: LspClient,
    uri: String,
    text: String,
    version: i64,
    _corpus: tempfile::TempDir,
    article: PathBuf,
}

impl Session {
    fn open() -> Session {
        let corpus = corpus_copy();
        let article = corpus.path().join("articles").join(SEED);
        let mut client = LspClient::spawn_with_env(&[("MARGINALIA_ANNOTATOR", "tester")]);
        client.initialize(None, Some(corpus.path()));
        let text = std::fs::read_to_string(&article).unwrap();
        let uri = file_uri(&article);
        client.did_open(&uri, "plaintext", 1, &text);
        client.wait_for_diagnostics(&uri, 1);
        Session { client, uri, text, version: 1, _corpus: corpus, article }
    }

    fn sidecar(&self) -> PathBuf {
        self.article.with_file_name(SEED.replace(".txt", ".ann.jsonl"))
    }

    fn position(&self, needle: &str, nth: usize) -> Position {
        let offset = self.text.match_indices(needle).nth(nth).unwrap_or_else(|| panic!("{needle} in the article")).0;
        position_of(&self.text, offset, Encoding::Utf16)
    }

    fn actions_at(&mut self, range: Range) -> Vec<Value> {
        let result = self
            .client
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": self.uri}, "range": range.to_json(), "context": {"diagnostics": []}}),
            )
            .expect("code actions");
        result.as_array().cloned().unwrap_or_default()
    }

    /// Runs the code action whose title contains `title`, like an editor:
    /// applies its edit, saves, and tells the server the file changed.
    fn run_action(&mut self, range: Range, title: &str) {
        let actions = self.actions_at(range);
        let action = actions
            .iter()
            .find(|a| a["title"].as_str().unwrap_or("").contains(title))
            .unwrap_or_else(|| panic!("no action {title:?} in {:?}", actions.iter().map(|a| a["title"].clone()).collect::<Vec<_>>()));
        assert!(action.get("disabled").is_none(), "{action}");
        self.apply_action(&action.clone());
    }

    /// Applies a code action as an editor does: its edit to the files (then
    /// saved, and the server told), then its command on the server.
    fn apply_action(&mut self, action: &Value) {
        if action.get("edit").is_some() {
            let touched = apply_workspace_edit(&action["edit"]);
            let changes: Vec<Value> = touched.iter().map(|p| json!({"uri": file_uri(p), "type": 2})).collect();
            self.client.notify("workspace/didChangeWatchedFiles", json!({"changes": changes}));
        }
        if let Some(command) = action.get("command") {
            self.client
                .request("workspace/executeCommand", json!({"command": command["command"], "arguments": command["arguments"]}))
                .expect("the action's command runs");
        }
    }

    fn hover(&mut self, position: Position) -> String {
        let hover = self.client.hover(&self.uri, position).expect("hover");
        hover["contents"]["value"].as_str().unwrap_or_default().to_string()
    }

    fn sidecar_lines(&self) -> Vec<Value> {
        std::fs::read_to_string(self.sidecar()).unwrap().lines().map(|l| serde_json::from_str(l).expect("every line is JSON")).collect()
    }
}

fn cursor(position: Position) -> Range {
    Range::new(position, position)
}

#[test]
fn labelling_a_seed_article_with_code_actions_only_writes_a_clean_sidecar() {
    let mut s = Session::open();
    // Link the first mention of Lavrov to the knowledge base.
    let lavrov = s.position("Lavrov", 1);
    s.run_action(cursor(lavrov), "Link to Sergey Lavrov");
    let card = s.hover(lavrov);
    assert!(card.contains("**Annotation** PERSON → `sergey-lavrov`"), "{card}");

    // Attribute the last quote (“Making our neighboring countries ...,” he said).
    let quote = s.position("“Making", 0);
    let inside = Position::new(quote.line, quote.character + 3);
    s.run_action(cursor(inside), "Attribute to Sergey Lavrov");
    let card = s.hover(inside);
    assert!(card.contains("*Found by:* manual annotation"), "{card}");

    // Let marginalia suggest the rest, then accept them all.
    s.run_action(cursor(lavrov), "Suggest ");
    let suggested = s.sidecar_lines().iter().filter(|a| a["status"] == "suggested").count();
    assert!(suggested > 20, "{suggested} suggestions");
    s.run_action(cursor(lavrov), "suggestions in this document");
    let lines = s.sidecar_lines();
    assert!(lines.iter().all(|a| a["status"] == "accepted"), "every suggestion accepted");

    // The sidecar is clean: sorted, one annotation a line, every span matching
    // the article in code points, every speaker pointing at an annotation.
    let text: Vec<char> = s.text.chars().collect();
    let ids: Vec<&str> = lines.iter().map(|a| a["id"].as_str().unwrap()).collect();
    for pair in lines.windows(2) {
        assert!((pair[0]["start"].as_u64(), pair[0]["id"].as_str()) <= (pair[1]["start"].as_u64(), pair[1]["id"].as_str()), "sorted");
    }
    for a in &lines {
        let (start, end) = (a["start"].as_u64().unwrap() as usize, a["end"].as_u64().unwrap() as usize);
        assert_eq!(text[start..end].iter().collect::<String>(), a["exact"].as_str().unwrap());
        if let Some(speaker) = a.get("speaker") {
            assert!(ids.contains(&speaker.as_str().unwrap()), "speaker {speaker} points at an annotation");
        }
    }
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(["check", "--format", "json"])
        .arg(s.article.parent().unwrap().parent().unwrap())
        .output()
        .unwrap();
    let problems: Vec<String> = String::from_utf8(check.stdout)
        .unwrap()
        .lines()
        .filter(|l| l.contains("annotation") || l.contains("label") || l.contains("speaker"))
        .map(String::from)
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    s.client.shutdown_and_exit();
}

#[test]
fn editing_the_article_moves_annotations_and_saving_writes_their_new_offsets() {
    let mut s = Session::open();
    let lavrov = s.position("Lavrov", 1);
    s.run_action(cursor(lavrov), "Link to Sergey Lavrov");
    let before = s.sidecar_lines()[0].clone();

    // Type a line at the very top, then save.
    let inserted = "UPDATED 😀\n";
    s.version += 1;
    s.client.did_change(&s.uri, s.version, cursor(Position::new(0, 0)), inserted);
    apply_change(&mut s.text, cursor(Position::new(0, 0)), inserted, Encoding::Utf16);
    std::fs::write(&s.article, &s.text).unwrap();
    // Hover follows the moved annotation before any save.
    let moved = s.position("Lavrov", 1);
    assert!(s.hover(moved).contains("**Annotation** PERSON"), "annotation follows the edit");
    s.client.notify("textDocument/didSave", json!({"textDocument": {"uri": s.uri}}));
    s.client.wait_for_diagnostics(&s.uri, s.version);
    // A request after the save sees its effect (same queue).
    s.hover(moved);
    let after = s.sidecar_lines()[0].clone();
    assert_eq!(after["id"], before["id"]);
    assert_eq!(after["start"].as_u64().unwrap(), before["start"].as_u64().unwrap() + inserted.chars().count() as u64);
    assert_eq!(after["exact"], before["exact"]);
    s.client.shutdown_and_exit();
}

#[test]
fn server_side_writes_merge_with_changes_made_meanwhile() {
    let mut s = Session::open();
    let lavrov = s.position("Lavrov", 1);
    s.run_action(cursor(lavrov), "Link to Sergey Lavrov");
    // Another annotator's tool appends a line behind the server's back.
    let mut other = s.sidecar_lines()[0].clone();
    other["id"] = json!("other-annotator-1");
    other["annotator"] = json!("bob");
    other["label"] = json!("PERSON");
    let mut content = std::fs::read_to_string(s.sidecar()).unwrap();
    content.push_str(&format!("{other}\n"));
    std::fs::write(s.sidecar(), content).unwrap();
    // The server removes its own annotation through the command path.
    let own = s.sidecar_lines()[0]["id"].clone();
    let result = s
        .client
        .request(
            "workspace/executeCommand",
            json!({"command": "marginalia.applyAnnotationOps", "arguments": [{"uri": s.uri, "ops": [{"op": "remove", "id": own}]}]}),
        )
        .expect("command runs");
    assert_eq!(result["annotations"], 1);
    let lines = s.sidecar_lines();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["id"], "other-annotator-1", "bob's line survives the server's write");
    // Bob's annotation is not the server annotator's to remove.
    let error = s
        .client
        .request("workspace/executeCommand", json!({"command": "marginalia.applyAnnotationOps", "arguments": [{"uri": s.uri, "ops": [{"op": "remove", "id": "other-annotator-1"}]}]}))
        .expect_err("refused");
    assert!(error["message"].as_str().unwrap().contains("only a curator"), "{error}");
    assert_eq!(s.sidecar_lines().len(), 1);
    s.client.shutdown_and_exit();
}

#[test]
fn a_broken_sidecar_is_reported_and_never_overwritten() {
    let mut s = Session::open();
    std::fs::write(s.sidecar(), "{\"id\": \"x\", oops\n").unwrap();
    s.client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": file_uri(&s.sidecar()), "type": 2}]}));
    let lavrov = s.position("Lavrov", 1);
    let actions = s.actions_at(cursor(lavrov));
    let link = actions.iter().find(|a| a["title"].as_str().unwrap().starts_with("Link to")).expect("link action");
    assert!(link["disabled"]["reason"].as_str().unwrap().contains("malformed"), "{link}");
    assert_eq!(std::fs::read_to_string(s.sidecar()).unwrap(), "{\"id\": \"x\", oops\n");
    s.client.shutdown_and_exit();
}

// ---------------------------------------------------------------------------
// Issue 14: annotations are never lost or misplaced

/// An add op for an annotation by `annotator` on the `nth` occurrence of
/// `exact` in `text` (offsets in code points, as stored).
fn add_op_on(text: &str, exact: &str, nth: usize, id: &str, annotator: &str) -> Value {
    let at = text.match_indices(exact).nth(nth).unwrap_or_else(|| panic!("{exact} in the text")).0;
    let start = text[..at].chars().count();
    json!({"op": "add", "annotation": {
        "id": id, "kind": "entity", "label": "PERSON", "start": start, "end": start + exact.chars().count(),
        "exact": exact, "prefix": "", "suffix": "", "entity": "sergey-lavrov", "annotator": annotator,
        "created": "2026-12-03T00:00:00Z", "status": "accepted"
    }})
}

fn run_command(s: &mut Session, ops: Vec<Value>) -> Result<Value, Value> {
    s.client
        .request("workspace/executeCommand", json!({"command": "marginalia.applyAnnotationOps", "arguments": [{"uri": s.uri, "ops": ops}]}))
}

/// `marginalia check --format json` over a corpus: (code, message) of each diagnostic.
fn check_codes(corpus: &std::path::Path) -> Vec<(String, String)> {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(["check", "--format", "json"])
        .arg(corpus)
        .output()
        .expect("running `marginalia check`");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .map(|d| (d["code"].as_str().unwrap_or_default().to_string(), d["message"].as_str().unwrap_or_default().to_string()))
        .collect()
}

/// Sends one didChange holding an incremental change followed by a full
/// replacement (the spec allows it), writes the article and saves it.
fn replace_whole_text_and_save(s: &mut Session, new_text: &str) -> Vec<Value> {
    s.version += 1;
    let changes = json!([
        {"range": Range::new(Position::new(0, 0), Position::new(0, 0)).to_json(), "text": "Z"},
        {"text": new_text},
    ]);
    s.client.notify("textDocument/didChange", json!({"textDocument": {"uri": s.uri, "version": s.version}, "contentChanges": changes}));
    s.text = new_text.to_string();
    std::fs::write(&s.article, new_text).unwrap();
    s.client.notify("textDocument/didSave", json!({"textDocument": {"uri": s.uri}}));
    s.client.wait_for_diagnostics(&s.uri, s.version)
}

/// Issue 14, case 1: a full-text didChange left the annotation's old offsets in
/// place, so after the save the sidecar line sat on other words ("ockhol"),
/// still linked to sergey-lavrov, and `check` said nothing.
#[test]
fn full_text_did_change_moves_annotations_with_their_words() {
    let mut s = Session::open();
    let original = s.text.clone();
    run_command(&mut s, vec![add_op_on(&original, "Lavrov", 1, "lavrov-1", "tester")]).expect("added");
    let breaking = format!("Breaking: {original}");
    replace_whole_text_and_save(&mut s, &breaking);
    // A request after the save sees its effect (same queue).
    s.hover(s.position("Lavrov", 1));
    let line = s.sidecar_lines()[0].clone();
    assert_eq!(line["exact"], "Lavrov", "{line}");
    let expected = breaking[..breaking.match_indices("Lavrov").nth(1).unwrap().0].chars().count();
    assert_eq!(line["start"].as_u64().unwrap() as usize, expected, "{line}");
    let stored: String = breaking.chars().skip(expected).take(6).collect();
    assert_eq!(stored, "Lavrov");
    assert!(check_codes(s._corpus.path()).iter().all(|(code, _)| code != "orphaned-annotation"));
    s.client.shutdown_and_exit();
}

/// Soak finding S3 (seed 106, step 1188): a whole-text change sent after an
/// incremental one in the same notification was followed from the
/// intermediate text. With the "Z" put at 0:0 and text added at the end,
/// nothing was a common prefix or suffix any more, every annotation was looked
/// for again by its context, and one inside repeated words ("Kyiv, Kyiv, …",
/// the same context at several copies) was orphaned, to be placed on another
/// copy later. The change is now followed from the text before the
/// notification: the annotation stays where it is.
#[test]
fn soak_s3_an_incremental_change_before_a_whole_text_keeps_annotations_on_repeated_words() {
    let mut s = Session::open();
    let with_repeats = format!("{}\n\n{}\n", s.text.trim_end(), "Kyiv, ".repeat(20).trim_end());
    replace_whole_text_and_save(&mut s, &with_repeats);
    let text = s.text.clone();
    let tenth = text.match_indices("Kyiv").count() - 10;
    run_command(&mut s, vec![add_op_on(&text, "Kyiv", tenth, "kyiv-10", "tester")]).expect("added");
    let before = s.sidecar_lines()[0].clone();
    let diagnostics = replace_whole_text_and_save(&mut s, &format!("{text}Lavrov said so.\n"));
    assert!(diagnostics.iter().all(|d| d["code"] != "orphaned-annotation"), "{diagnostics:?}");
    s.hover(s.position("Lavrov", 1));
    let after = s.sidecar_lines()[0].clone();
    assert_eq!((&after["start"], &after["exact"]), (&before["start"], &before["exact"]), "{after}");
    s.client.shutdown_and_exit();
}

/// Issue 14, case 1 with a shorter text: semantic tokens failed with a ropey
/// out-of-bounds error and the save panicked; now the annotation whose words
/// are gone is orphaned, reported, and kept on disk as it was.
#[test]
fn full_text_did_change_to_a_shorter_text_orphans_instead_of_panicking() {
    let mut s = Session::open();
    let original = s.text.clone();
    run_command(&mut s, vec![add_op_on(&original, "Lavrov", 1, "lavrov-1", "tester")]).expect("added");
    let before = s.sidecar_lines()[0].clone();
    let diagnostics = replace_whole_text_and_save(&mut s, "date 2021-12-02\n\nA short text.\n");
    let tokens = s.client.request("textDocument/semanticTokens/full", json!({"textDocument": {"uri": s.uri}}));
    assert!(tokens.is_ok(), "{tokens:?}");
    assert!(diagnostics.iter().any(|d| d["code"] == "orphaned-annotation"), "{diagnostics:?}");
    assert_eq!(s.sidecar_lines(), vec![before], "the record is kept as it was");
    assert!(check_codes(s._corpus.path()).iter().any(|(code, _)| code == "orphaned-annotation"));
    s.client.shutdown_and_exit();
}

/// Issue 14, case 4: a "Remove annotation" edit computed before an import
/// changed the sidecar, applied after it, deleted the imported line that had
/// taken the removed one's place. Now an edit that removes lines from a
/// sidecar the client has not open goes through the server's locked write,
/// which finds the record by id.
#[test]
fn a_stale_remove_action_never_deletes_a_line_written_meanwhile() {
    let mut s = Session::open();
    let lavrov = s.position("Lavrov", 1);
    s.run_action(cursor(lavrov), "Link to Sergey Lavrov");
    let own = s.sidecar_lines()[0].clone();
    let actions = s.actions_at(cursor(lavrov));
    let remove = actions.iter().find(|a| a["title"].as_str().unwrap().starts_with("Remove annotation")).expect("remove action").clone();
    // Meanwhile an import writes another annotator's annotation earlier in the
    // text: it takes the first line of the sidecar.
    let mut imported: marginalia::annotations::Annotation = serde_json::from_value(own.clone()).unwrap();
    imported.id = "imported-1".into();
    imported.annotator = "bob".into();
    imported.start = 0;
    imported.end = 4;
    imported.exact = s.text.chars().take(4).collect();
    marginalia::annotations::update_annotations(&s.sidecar(), |all| all.push(imported)).unwrap();
    s.client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": file_uri(&s.sidecar()), "type": 2}]}));
    s.apply_action(&remove);
    let lines = s.sidecar_lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["id"], "imported-1", "bob's imported line survives; the chosen one is gone");
    s.client.shutdown_and_exit();
}

/// Issue 14, case 4, with the sidecar open in the editor: the edit carries the
/// buffer's version, so a client refuses it once the buffer has changed.
#[test]
fn an_edit_to_an_open_sidecar_carries_its_version() {
    let mut s = Session::open();
    let lavrov = s.position("Lavrov", 1);
    s.run_action(cursor(lavrov), "Link to Sergey Lavrov");
    let sidecar_uri = file_uri(&s.sidecar());
    let sidecar_text = std::fs::read_to_string(s.sidecar()).unwrap();
    s.client.did_open(&sidecar_uri, "jsonl", 7, &sidecar_text);
    let actions = s.actions_at(cursor(lavrov));
    let remove = actions.iter().find(|a| a["title"].as_str().unwrap().starts_with("Remove annotation")).expect("remove action");
    let edit = &remove["edit"]["documentChanges"][0];
    assert_eq!(edit["textDocument"]["version"], 7, "{remove}");
    s.client.shutdown_and_exit();
}

/// Issue 14, case 6: the annotation command wrote whatever it was sent. Each
/// bad op now refuses the whole batch with a message naming it, and the
/// sidecar is not touched.
#[test]
fn the_annotation_command_refuses_bad_ops_naming_the_first() {
    let mut s = Session::open();
    let text = s.text.clone();
    let good = add_op_on(&text, "Lavrov", 1, "good-1", "tester");
    let with = |change: &dyn Fn(&mut Value)| {
        let mut op = add_op_on(&text, "Lavrov", 1, "bad-1", "tester");
        change(&mut op["annotation"]);
        op
    };
    let cases: Vec<(Value, &str)> = vec![
        (with(&|a| a["start"] = json!(a["end"].as_u64().unwrap() + 1)), "is after end"),
        (with(&|a| (a["start"], a["end"]) = (json!(1_000_000), json!(1_000_006))), "past the end of the article"),
        (with(&|a| a["id"] = json!("")), "empty"),
        (with(&|a| a["label"] = json!("WIZARD")), "unknown label `WIZARD`"),
        (with(&|a| a["entity"] = json!("nobody-at-all")), "not an id in the knowledge base"),
        (with(&|a| a["speaker"] = json!("ghost-annotation")), "speaker `ghost-annotation`"),
        (with(&|a| a["annotator"] = json!("mallory")), "records as `tester`"),
        (with(&|a| a["exact"] = json!("Putin!")), "the article has \"Lavrov\""),
    ];
    for (bad, expected) in cases {
        let error = run_command(&mut s, vec![good.clone(), bad.clone()]).expect_err("refused");
        let message = error["message"].as_str().unwrap();
        assert!(message.contains("op 2") && message.contains(expected), "{message} (wanted {expected:?}) for {bad}");
        assert!(!s.sidecar().exists(), "nothing written for {bad}");
    }
    // A colliding id: written once, refused the second time with other content.
    run_command(&mut s, vec![good.clone()]).expect("added");
    let mut colliding = add_op_on(&text, "Lavrov", 0, "good-1", "tester");
    colliding["annotation"]["label"] = json!("ORG");
    let error = run_command(&mut s, vec![colliding]).expect_err("refused");
    assert!(error["message"].as_str().unwrap().contains("already used"), "{error}");
    assert_eq!(s.sidecar_lines().len(), 1);
    // Knowledge-base and configuration files get no sidecar.
    let kb = s._corpus.path().join("kb/entities.json");
    let kb_uri = file_uri(&kb);
    s.client.did_open(&kb_uri, "json", 1, &std::fs::read_to_string(&kb).unwrap());
    let error = s
        .client
        .request(
            "workspace/executeCommand",
            json!({"command": "marginalia.applyAnnotationOps", "arguments": [{"uri": kb_uri, "ops": [good]}]}),
        )
        .expect_err("refused");
    assert!(error["message"].as_str().unwrap().contains("not an article"), "{error}");
    assert!(!kb.with_file_name("entities.ann.jsonl").exists());
    s.client.shutdown_and_exit();
}

/// Issue 14, case 5: renaming an article left its sidecar behind, silently
/// orphaned. The server answers `willRenameFiles` with the sidecar's move.
#[test]
fn renaming_an_article_moves_its_sidecar_with_it() {
    let mut s = Session::open();
    let lavrov = s.position("Lavrov", 1);
    s.run_action(cursor(lavrov), "Link to Sergey Lavrov");
    let written = std::fs::read_to_string(s.sidecar()).unwrap();
    let renamed = s.article.with_file_name("renamed.txt");
    let files = json!({"files": [{"oldUri": s.uri, "newUri": file_uri(&renamed)}]});
    let edit = s.client.request("workspace/willRenameFiles", files.clone()).expect("willRenameFiles");
    let moves = edit["documentChanges"].as_array().expect("a workspace edit");
    assert_eq!(moves.len(), 1, "{edit}");
    assert_eq!(moves[0]["kind"], "rename");
    assert_eq!(moves[0]["oldUri"], file_uri(&s.sidecar()));
    let new_sidecar = s.article.with_file_name("renamed.ann.jsonl");
    assert_eq!(moves[0]["newUri"], file_uri(&new_sidecar));
    // The client applies the edit and the rename, then tells the server.
    std::fs::rename(s.sidecar(), &new_sidecar).unwrap();
    std::fs::rename(&s.article, &renamed).unwrap();
    s.client.notify("workspace/didRenameFiles", files);
    s.hover(lavrov);
    assert_eq!(std::fs::read_to_string(&new_sidecar).unwrap(), written);
    s.client.shutdown_and_exit();
}

/// The same for a client that renames without asking first: the server moves
/// the sidecar when told of the rename; an occupied new name is never
/// overwritten.
#[test]
fn a_rename_the_server_only_hears_of_afterwards_still_moves_the_sidecar() {
    let mut s = Session::open();
    let lavrov = s.position("Lavrov", 1);
    s.run_action(cursor(lavrov), "Link to Sergey Lavrov");
    let written = std::fs::read_to_string(s.sidecar()).unwrap();
    let renamed = s.article.with_file_name("renamed.txt");
    std::fs::rename(&s.article, &renamed).unwrap();
    s.client.notify("workspace/didRenameFiles", json!({"files": [{"oldUri": s.uri, "newUri": file_uri(&renamed)}]}));
    s.hover(lavrov);
    assert_eq!(std::fs::read_to_string(renamed.with_file_name("renamed.ann.jsonl")).unwrap(), written);
    assert!(!s.sidecar().exists());

    // Back onto a name whose sidecar place is taken: nothing is overwritten.
    std::fs::write(s.sidecar(), "taken\n").unwrap();
    std::fs::rename(&renamed, &s.article).unwrap();
    s.client.notify("workspace/didRenameFiles", json!({"files": [{"oldUri": file_uri(&renamed), "newUri": s.uri}]}));
    s.hover(lavrov);
    assert_eq!(std::fs::read_to_string(s.sidecar()).unwrap(), "taken\n");
    assert_eq!(std::fs::read_to_string(renamed.with_file_name("renamed.ann.jsonl")).unwrap(), written);
    s.client.shutdown_and_exit();
}

/// One core decides a file's diagnostics for both edges (`ide::diagnostics`):
/// what `check` reports on an orphaned sidecar and a configuration naming a
/// missing folder, the editor shows too (it used to show neither).
#[test]
fn the_editor_reports_orphaned_sidecars_and_missing_folders_as_check_does() {
    let mut s = Session::open();
    let lavrov = s.position("Lavrov", 1);
    s.run_action(cursor(lavrov), "Link to Sergey Lavrov");
    let orphan = s.article.with_file_name("gone.ann.jsonl");
    std::fs::copy(s.sidecar(), &orphan).unwrap();
    let orphan_uri = file_uri(&orphan);
    s.client.did_open(&orphan_uri, "jsonl", 1, &std::fs::read_to_string(&orphan).unwrap());
    let diagnostics = s.client.wait_for_diagnostics(&orphan_uri, 1);
    assert!(diagnostics.iter().any(|d| d["code"] == "orphaned-sidecar"), "{diagnostics:?}");

    let config = s._corpus.path().join("marginalia.toml");
    let text = std::fs::read_to_string(&config).unwrap().replace("articles = [\"articles\"]", "articles = [\"artcles\"]");
    let config_uri = file_uri(&config);
    s.client.did_open(&config_uri, "toml", 1, &text);
    let diagnostics = s.client.wait_for_diagnostics(&config_uri, 1);
    assert!(diagnostics.iter().any(|d| d["code"] == "missing-folder"), "{diagnostics:?}");
    assert!(check_codes(s._corpus.path()).iter().any(|(code, _)| code == "orphaned-sidecar"));
    s.client.shutdown_and_exit();
}

/// Issue 17, item 6: with `USER` unset, annotations were recorded as
/// "anonymous" although the README says the login name. The operating
/// system's account name is used, and the editor is told once which name.
#[test]
fn without_user_set_annotations_are_recorded_under_the_account_name() {
    let account =
        String::from_utf8(std::process::Command::new("id").arg("-un").output().expect("id -un").stdout).unwrap().trim().to_string();
    let corpus = corpus_copy();
    let article = corpus.path().join("articles").join(SEED);
    let mut client = LspClient::spawn_with_env(&[("USER", ""), ("USERNAME", ""), ("MARGINALIA_ANNOTATOR", "")]);
    client.initialize(None, Some(corpus.path()));
    let text = std::fs::read_to_string(&article).unwrap();
    let uri = file_uri(&article);
    client.did_open(&uri, "plaintext", 1, &text);
    client.wait_for_diagnostics(&uri, 1);
    // The message is sent from `initialized` and may trail the first answers:
    // requests pump the incoming messages until it is there.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !client.messages_shown().iter().any(|m| m.contains("records your annotations as")) && std::time::Instant::now() < deadline {
        client.hover(&uri, Position::new(0, 0)).ok();
    }
    let said: Vec<String> = client.messages_shown().into_iter().filter(|m| m.contains("records your annotations as")).collect();
    assert_eq!(
        said,
        vec![format!(
            "marginalia records your annotations as `{account}` (from the operating system's account name); set marginalia.annotator in the editor or [annotators] annotator in marginalia.toml to change it"
        )]
    );
    let at = text.match_indices("Lavrov").nth(1).unwrap().0;
    let start = text[..at].chars().count();
    let op = json!({"op": "add", "annotation": {"id": "who-1", "kind": "entity", "label": "PERSON", "start": start, "end": start + 6,
        "exact": "Lavrov", "annotator": account, "created": "2026-12-03T00:00:00Z", "status": "accepted"}});
    client
        .request("workspace/executeCommand", json!({"command": "marginalia.applyAnnotationOps", "arguments": [{"uri": uri, "ops": [op]}]}))
        .expect("recorded under the account name");
    let sidecar = std::fs::read_to_string(article.with_file_name(SEED.replace(".txt", ".ann.jsonl"))).unwrap();
    assert!(sidecar.contains(&format!("\"annotator\":\"{account}\"")), "{sidecar}");
    client.shutdown_and_exit();
}

/// Issue 17, curation in the editor: where two annotators' accepted
/// annotations disagree, the article shows an `annotation-conflict` with each
/// version; a curator gets "Keep alice's: …", which writes a curated record
/// that settles the span; a non-curator sees the conflict and no such action.
#[test]
fn a_curator_settles_a_conflict_from_the_editor() {
    let corpus = corpus_copy();
    let config = corpus.path().join("marginalia.toml");
    let toml = std::fs::read_to_string(&config).unwrap().replace("curators = []", "curators = [\"carol\"]");
    std::fs::write(&config, toml).unwrap();
    let article = corpus.path().join("articles").join(SEED);
    let text = std::fs::read_to_string(&article).unwrap();
    let at = text.match_indices("Lavrov").nth(1).unwrap().0;
    let start = text[..at].chars().count();
    let record = |id: &str, who: &str, label: &str, entity: Option<&str>| {
        let mut value = json!({"id": id, "kind": "entity", "label": label, "start": start, "end": start + 6, "exact": "Lavrov",
            "annotator": who, "created": "2026-12-03T00:00:00Z", "status": "accepted"});
        if let Some(entity) = entity {
            value["entity"] = json!(entity);
        }
        value.to_string()
    };
    let sidecar = article.with_file_name(SEED.replace(".txt", ".ann.jsonl"));
    std::fs::write(&sidecar, format!("{}\n{}\n", record("a1", "alice", "PERSON", Some("sergey-lavrov")), record("b1", "bob", "ORG", None)))
        .unwrap();
    let uri = file_uri(&article);
    let position = position_of(&text, at + 1, Encoding::Utf16);
    let actions_for = |client: &mut LspClient| -> Vec<String> {
        let actions = client
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri}, "range": Range::new(position, position).to_json(), "context": {"diagnostics": []}}),
            )
            .expect("code actions");
        actions.as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap().to_string()).collect()
    };

    // bob is no curator: he sees the conflict, and cannot settle it.
    let mut bob = LspClient::spawn_with_env(&[("MARGINALIA_ANNOTATOR", "bob")]);
    bob.initialize(None, Some(corpus.path()));
    bob.did_open(&uri, "plaintext", 1, &text);
    let diagnostics = bob.wait_for_diagnostics(&uri, 1);
    let conflict = diagnostics.iter().find(|d| d["code"] == "annotation-conflict").expect("a conflict diagnostic");
    assert_eq!(conflict["message"], "annotators disagree: labels differ: PERSON / ORG");
    let versions: Vec<&str> = conflict["relatedInformation"].as_array().unwrap().iter().map(|r| r["message"].as_str().unwrap()).collect();
    assert_eq!(versions, vec!["alice's: PERSON sergey-lavrov", "bob's: ORG"]);
    assert!(actions_for(&mut bob).iter().all(|t| !t.starts_with("Keep ")));
    bob.shutdown_and_exit();

    // carol is: she keeps alice's version.
    let mut carol = LspClient::spawn_with_env(&[("MARGINALIA_ANNOTATOR", "carol")]);
    carol.initialize(None, Some(corpus.path()));
    carol.did_open(&uri, "plaintext", 1, &text);
    carol.wait_for_diagnostics(&uri, 1);
    let titles = actions_for(&mut carol);
    assert_eq!(&titles[..2], ["Keep alice's: PERSON sergey-lavrov", "Keep bob's: ORG"], "{titles:?}");
    let actions = carol
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": Range::new(position, position).to_json(), "context": {"diagnostics": []}}),
        )
        .unwrap();
    let keep = actions.as_array().unwrap().iter().find(|a| a["title"] == "Keep alice's: PERSON sergey-lavrov").unwrap().clone();
    // As an editor applies it: the edit, or (a sidecar rewritten, not only
    // added to) the command.
    if keep.get("edit").is_some() {
        apply_workspace_edit(&keep["edit"]);
        carol.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": file_uri(&sidecar), "type": 2}]}));
    } else {
        carol
            .request("workspace/executeCommand", json!({"command": keep["command"]["command"], "arguments": keep["command"]["arguments"]}))
            .expect("the curated record is written");
    }
    carol.hover(&uri, position).ok();
    let lines: Vec<Value> = std::fs::read_to_string(&sidecar).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let curated = lines.iter().find(|l| l["annotator"] == "carol").expect("a curated record");
    assert_eq!((curated["label"].as_str(), curated["entity"].as_str()), (Some("PERSON"), Some("sergey-lavrov")));
    assert_eq!(curated["settles"], json!(["a1", "b1"]));
    assert_eq!(lines.len(), 3, "alice's and bob's records stay");
    carol.did_change(&uri, 2, Range::new(Position::new(0, 0), Position::new(0, 0)), "");
    let diagnostics = carol.wait_for_diagnostics(&uri, 2);
    assert!(diagnostics.iter().all(|d| d["code"] != "annotation-conflict"), "settled: {diagnostics:?}");
    carol.shutdown_and_exit();
}

/// Issue 17, "Keep both": where two annotators' versions can stand side by side
/// (here ORG on "Organization for Security and Cooperation in Europe", and on
/// the same with "(OSCE)": different spans, one label), a curator may keep both, which writes two curated
/// records settling the span; where they cannot (one span, two labels, as in
/// `a_curator_settles_a_conflict_from_the_editor`) no "Keep both" is offered.
#[test]
fn a_curator_keeps_both_versions_that_do_not_conflict() {
    let corpus = corpus_copy();
    let config = corpus.path().join("marginalia.toml");
    let toml = std::fs::read_to_string(&config).unwrap().replace("curators = []", "curators = [\"carol\"]");
    std::fs::write(&config, toml).unwrap();
    let article = corpus.path().join("articles").join(SEED);
    let text = std::fs::read_to_string(&article).unwrap();
    let at = text.find("Organization for Security and Cooperation in Europe (OSCE)").unwrap();
    let start = text[..at].chars().count();
    let record = |id: &str, who: &str, exact: &str, label: &str| {
        json!({"id": id, "kind": "entity", "label": label, "start": start, "end": start + exact.chars().count(), "exact": exact,
            "annotator": who, "created": "2026-12-03T00:00:00Z", "status": "accepted"})
        .to_string()
    };
    let sidecar = article.with_file_name(SEED.replace(".txt", ".ann.jsonl"));
    let write = |bob_label: &str| {
        let alice = record("a1", "alice", "Organization for Security and Cooperation in Europe", "ORG");
        let bob = record("b1", "bob", "Organization for Security and Cooperation in Europe (OSCE)", bob_label);
        std::fs::write(&sidecar, format!("{alice}\n{bob}\n")).unwrap();
    };
    let uri = file_uri(&article);
    let position = position_of(&text, at + 1, Encoding::Utf16);
    let actions_for = |client: &mut LspClient| -> Vec<Value> {
        let actions = client
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri}, "range": Range::new(position, position).to_json(), "context": {"diagnostics": []}}),
            )
            .expect("code actions");
        actions.as_array().unwrap().clone()
    };
    let keep_both = "Keep both: alice's ORG \"Organization for Security and Cooperation in Europe\" and bob's ORG \"Organization for Security and Cooperation in Europe (OSCE)\"";

    // Two labels on overlapping spans: only one version can win.
    write("PLACE");
    let mut carol = LspClient::spawn_with_env(&[("MARGINALIA_ANNOTATOR", "carol")]);
    carol.initialize(None, Some(corpus.path()));
    carol.did_open(&uri, "plaintext", 1, &text);
    carol.wait_for_diagnostics(&uri, 1);
    let titles: Vec<String> = actions_for(&mut carol).iter().map(|a| a["title"].as_str().unwrap().to_string()).collect();
    assert!(titles.iter().any(|t| t == "Keep bob's: PLACE"), "{titles:?}");
    assert!(titles.iter().all(|t| !t.starts_with("Keep both")), "{titles:?}");
    carol.shutdown_and_exit();

    // One label, nested spans: both can stay.
    write("ORG");
    let mut carol = LspClient::spawn_with_env(&[("MARGINALIA_ANNOTATOR", "carol")]);
    carol.initialize(None, Some(corpus.path()));
    carol.did_open(&uri, "plaintext", 1, &text);
    let diagnostics = carol.wait_for_diagnostics(&uri, 1);
    let conflict = diagnostics.iter().find(|d| d["code"] == "annotation-conflict").expect("a conflict diagnostic");
    assert_eq!(conflict["message"], "annotators disagree: boundaries differ");
    let actions = actions_for(&mut carol);
    let titles: Vec<&str> = actions.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(&titles[..3], ["Keep alice's: ORG", "Keep bob's: ORG", keep_both], "{titles:?}");
    let keep = actions.iter().find(|a| a["title"] == keep_both).unwrap();
    if keep.get("edit").is_some() {
        apply_workspace_edit(&keep["edit"]);
        carol.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": file_uri(&sidecar), "type": 2}]}));
    } else {
        carol
            .request("workspace/executeCommand", json!({"command": keep["command"]["command"], "arguments": keep["command"]["arguments"]}))
            .expect("the curated records are written");
    }
    carol.hover(&uri, position).ok();
    let lines: Vec<Value> = std::fs::read_to_string(&sidecar).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let mut curated: Vec<(&str, &str)> = lines
        .iter()
        .filter(|l| l["annotator"] == "carol")
        .inspect(|l| {
            assert_eq!(l["settles"], json!(["a1", "b1"]), "{l}");
            assert_eq!((l["label"].as_str(), l["status"].as_str()), (Some("ORG"), Some("accepted")), "{l}");
        })
        .map(|l| (l["exact"].as_str().unwrap(), l["id"].as_str().unwrap()))
        .collect();
    curated.sort();
    assert_eq!(
        curated.iter().map(|c| c.0).collect::<Vec<_>>(),
        ["Organization for Security and Cooperation in Europe", "Organization for Security and Cooperation in Europe (OSCE)"],
        "{lines:?}"
    );
    assert_ne!(curated[0].1, curated[1].1, "two records, two ids");
    assert_eq!(lines.len(), 4, "alice's and bob's records stay");
    carol.did_change(&uri, 2, Range::new(Position::new(0, 0), Position::new(0, 0)), "");
    let diagnostics = carol.wait_for_diagnostics(&uri, 2);
    assert!(diagnostics.iter().all(|d| d["code"] != "annotation-conflict"), "settled: {diagnostics:?}");
    carol.shutdown_and_exit();
    // What the curator kept passes `check` (no conflicting labels, nothing malformed).
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_marginalia")).arg("check").arg(corpus.path()).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
}

/// Issue 17, friction 1: a client that asks for server writes
/// (`annotationWrites: "server"`, the Neovim plugin) gets every annotation
/// action as the `marginalia.applyAnnotationOps` command, also one that only
/// adds a line and one on a sidecar it has open unchanged; a sidecar it has
/// open with unsaved changes gets the edit of its buffer instead.
#[test]
fn a_client_asking_for_server_writes_gets_the_command() {
    let corpus = corpus_copy();
    let article = corpus.path().join("articles").join(SEED);
    let sidecar = article.with_file_name(SEED.replace(".txt", ".ann.jsonl"));
    let text = std::fs::read_to_string(&article).unwrap();
    let uri = file_uri(&article);
    let label_as_org = |client: &mut LspClient, needle: &str| -> Value {
        let at = text.find(needle).unwrap();
        let range = Range::new(position_of(&text, at, Encoding::Utf16), position_of(&text, at + needle.len(), Encoding::Utf16));
        let actions = client
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri}, "range": range.to_json(), "context": {"diagnostics": []}}),
            )
            .expect("code actions");
        actions.as_array().unwrap().iter().find(|a| a["title"] == "Label as ORG").expect("Label as ORG").clone()
    };

    // A plain client: adding a line to a sidecar it has not open is an edit.
    let mut plain = LspClient::spawn_with_env(&[("MARGINALIA_ANNOTATOR", "tester")]);
    plain.initialize(None, Some(corpus.path()));
    plain.did_open(&uri, "plaintext", 1, &text);
    plain.wait_for_diagnostics(&uri, 1);
    let action = label_as_org(&mut plain, "OSCE");
    assert!(action.get("edit").is_some() && action.get("command").is_none(), "{action}");
    plain.shutdown_and_exit();

    let mut nvim = LspClient::spawn_with_env(&[("MARGINALIA_ANNOTATOR", "tester")]);
    nvim.initialize_with_options(Some(corpus.path()), json!({"marginaliaProtocol": 1, "annotationWrites": "server"}));
    nvim.did_open(&uri, "plaintext", 1, &text);
    nvim.wait_for_diagnostics(&uri, 1);
    let action = label_as_org(&mut nvim, "OSCE");
    assert!(action.get("edit").is_none(), "no edit for a client that asked for server writes: {action}");
    assert_eq!(action["command"]["command"], "marginalia.applyAnnotationOps");
    let result = nvim
        .request("workspace/executeCommand", json!({"command": action["command"]["command"], "arguments": action["command"]["arguments"]}))
        .expect("the command writes the sidecar");
    assert_eq!(result["annotations"], 1);
    assert_eq!(result["sidecar"].as_str().map(PathBuf::from), Some(sidecar.clone()), "{result}");
    assert!(std::fs::read_to_string(&sidecar).unwrap().contains("\"exact\":\"OSCE\""));

    // The sidecar open in the editor, as on disk: still the command.
    let sidecar_uri = file_uri(&sidecar);
    let on_disk = std::fs::read_to_string(&sidecar).unwrap();
    nvim.did_open(&sidecar_uri, "jsonl", 1, &on_disk);
    let action = label_as_org(&mut nvim, "Stockholm");
    assert!(action.get("edit").is_none() && action.get("command").is_some(), "{action}");
    // Unsaved changes in that buffer: the action goes into the buffer, with its version.
    nvim.did_change(&sidecar_uri, 2, Range::new(Position::new(1, 0), Position::new(1, 0)), "\n");
    let action = label_as_org(&mut nvim, "Stockholm");
    assert!(action.get("command").is_none(), "{action}");
    let edit = &action["edit"]["documentChanges"][0];
    assert_eq!(
        (edit["textDocument"]["uri"].as_str(), edit["textDocument"]["version"].as_i64()),
        (Some(sidecar_uri.as_str()), Some(2)),
        "{action}"
    );
    nvim.shutdown_and_exit();
}
