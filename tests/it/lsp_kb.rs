//! Knowledge-base features over the real server: live validation of a KB file
//! while it is typed, saving it updates every open article, the unknown-entity
//! fix, and corpus-wide navigation (definition, references, symbols, tokens).

use crate::lsp_client;

use std::path::PathBuf;

use lsp_client::{Encoding, LspClient, Position, Range, apply_change, corpus_copy, file_uri, position_of, range_of, repo_corpus};
use serde_json::{Value, json};

struct Doc {
    uri: String,
    text: String,
    version: i64,
    path: PathBuf,
}

fn open(client: &mut LspClient, path: PathBuf, language: &str) -> Doc {
    let text = std::fs::read_to_string(&path).unwrap();
    let uri = file_uri(&path);
    client.did_open(&uri, language, 1, &text);
    client.wait_for_diagnostics(&uri, 1);
    Doc { uri, text, version: 1, path }
}

fn at(doc: &Doc, needle: &str) -> Position {
    position_of(&doc.text, doc.text.find(needle).unwrap_or_else(|| panic!("{needle}")), Encoding::Utf16)
}

fn edit(client: &mut LspClient, doc: &mut Doc, needle: &str, replacement: &str) -> Vec<Value> {
    let start = doc.text.find(needle).unwrap_or_else(|| panic!("{needle}"));
    let range = range_of(&doc.text, start..start + needle.len(), Encoding::Utf16);
    doc.version += 1;
    client.did_change(&doc.uri, doc.version, range, replacement);
    apply_change(&mut doc.text, range, replacement, Encoding::Utf16);
    client.wait_for_diagnostics(&doc.uri, doc.version)
}

fn hover_text(client: &mut LspClient, doc: &Doc, position: Position) -> String {
    client.hover(&doc.uri, position).expect("hover")["contents"]["value"].as_str().unwrap_or_default().to_string()
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics.iter().map(|d| d["code"].as_str().unwrap_or_default().to_string()).collect()
}

#[test]
fn kb_is_validated_while_typed_and_saving_updates_open_articles() {
    let corpus = corpus_copy();
    let (mut client, _) = LspClient::start(None, Some(corpus.path()));
    let article = open(&mut client, corpus.path().join("articles/000_650f7ada08eebc05.txt"), "plaintext");
    let mut kb = open(&mut client, corpus.path().join("kb/entities.json"), "json");
    let lavrov = at(&article, "Lavrov");
    assert!(hover_text(&mut client, &article, lavrov).contains("Minister of Foreign Affairs of Russia *(on 2021-12-02"));

    // Half-typed: a broken value, a duplicate id, an unknown field, a bad date,
    // all reported at once with exact positions.
    let diagnostics = edit(&mut client, &mut kb, "\"id\": \"antony-blinken\"", "\"id\": \"sergey-lavrov\", \"colour\": ");
    let found = codes(&diagnostics);
    assert!(found.contains(&"duplicate-id".to_string()) && found.contains(&"unknown-field".to_string()), "{found:?}");
    let duplicate = diagnostics.iter().find(|d| d["code"] == "duplicate-id").unwrap();
    let range = Range::from_json(&duplicate["range"]);
    assert_eq!(lsp_client::slice_of(&kb.text, range, Encoding::Utf16), "\"sergey-lavrov\"");
    assert!(duplicate["relatedInformation"][0]["location"]["uri"].as_str().unwrap().ends_with("kb/entities.json"));
    let diagnostics = edit(&mut client, &mut kb, "\"start\": \"2004-03-09\"", "\"start\": \"2004-02-30\"");
    assert!(codes(&diagnostics).contains(&"invalid-date".to_string()));
    // The article still answers while the KB is broken.
    assert!(hover_text(&mut client, &article, lavrov).contains("Sergey Lavrov"));

    // Undo the damage, rename Lavrov's role, save: the open article's hover changes.
    edit(&mut client, &mut kb, "\"start\": \"2004-02-30\"", "\"start\": \"2004-03-09\"");
    edit(&mut client, &mut kb, "\"id\": \"sergey-lavrov\", \"colour\": ", "\"id\": \"antony-blinken\"");
    let clean = edit(&mut client, &mut kb, "\"Minister of Foreign Affairs of Russia\"", "\"Foreign Minister of the Russian Federation\"");
    assert_eq!(codes(&clean), Vec::<String>::new());
    std::fs::write(&kb.path, &kb.text).unwrap();
    client.notify("textDocument/didSave", json!({"textDocument": {"uri": kb.uri}}));
    let card = hover_text(&mut client, &article, lavrov);
    assert!(card.contains("Foreign Minister of the Russian Federation *(on 2021-12-02"), "{card}");
    client.shutdown_and_exit();
}

#[test]
fn unknown_name_gets_an_add_to_kb_fix_that_writes_a_valid_entry() {
    let corpus = corpus_copy();
    let path = corpus.path().join("articles/new.txt");
    std::fs::write(&path, "date 2022-02-01 Analyst Tatiana Volkova-Smirnova said the talks had stalled.\n").unwrap();
    let (mut client, _) = LspClient::start(None, Some(corpus.path()));
    let article = open(&mut client, path, "plaintext");
    let diagnostics = client.wait_for_diagnostics(&article.uri, 1);
    let unknown = diagnostics.iter().find(|d| d["code"] == "unknown-entity").expect("unknown-entity reported").clone();
    assert_eq!(lsp_client::slice_of(&article.text, Range::from_json(&unknown["range"]), Encoding::Utf16), "Tatiana Volkova-Smirnova");
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": article.uri}, "range": unknown["range"], "context": {"diagnostics": [unknown]}}),
        )
        .unwrap();
    let fix =
        actions.as_array().unwrap().iter().find(|a| a["isPreferred"] == true && a["kind"] == "quickfix").expect("preferred fix").clone();
    assert_eq!(fix["title"], "Add \"Tatiana Volkova-Smirnova\" to knowledge base as person");
    let (kb_uri, edits) = fix["edit"]["changes"].as_object().unwrap().iter().next().unwrap();
    assert!(kb_uri.ends_with("kb/entities.json"));
    let kb_path = corpus.path().join("kb/entities.json");
    let mut kb = std::fs::read_to_string(&kb_path).unwrap();
    for e in edits.as_array().unwrap() {
        apply_change(&mut kb, Range::from_json(&e["range"]), e["newText"].as_str().unwrap(), Encoding::Utf16);
    }
    let parsed: Value = serde_json::from_str(&kb).expect("still valid JSON");
    let added = parsed["entities"].as_array().unwrap().iter().find(|e| e["id"] == "tatiana-volkova-smirnova").expect("entry added");
    assert_eq!(added["kind"], "person");
    std::fs::write(&kb_path, &kb).unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": file_uri(&kb_path), "type": 2}]}));
    let card = hover_text(&mut client, &article, at(&article, "Volkova"));
    assert!(card.starts_with("**Tatiana Volkova-Smirnova** · person"), "{card}");
    client.shutdown_and_exit();
}

#[test]
fn navigation_spans_the_corpus() {
    let (mut client, _) = LspClient::start(None, Some(&repo_corpus()));
    let article = open(&mut client, repo_corpus().join("articles/004_a2fe9243e21dc331.txt"), "plaintext");
    let minsk = at(&article, "Minsk agreements");
    let definition =
        client.request("textDocument/definition", json!({"textDocument": {"uri": article.uri}, "position": minsk.to_json()})).unwrap();
    let target = &definition[0];
    assert!(target["targetUri"].as_str().unwrap().ends_with("kb/agreements.json"));
    let kb_text = std::fs::read_to_string(repo_corpus().join("kb/agreements.json")).unwrap();
    let line = kb_text.lines().nth(target["targetRange"]["start"]["line"].as_u64().unwrap() as usize).unwrap();
    assert!(line.contains("\"id\": \"minsk-agreements\""), "{line}");

    let references = client
        .request("textDocument/references", json!({"textDocument": {"uri": article.uri}, "position": at(&article, "Lavrov").to_json(), "context": {"includeDeclaration": false}}))
        .unwrap();
    let files: std::collections::BTreeSet<String> =
        references.as_array().unwrap().iter().map(|r| r["uri"].as_str().unwrap().rsplit('/').next().unwrap().to_string()).collect();
    assert_eq!(
        files.len(),
        8,
        "Lavrov is mentioned in all five English seeds and the French, Russian and German ones, open or not: {files:?}"
    );
    // Positions come from the index (no file read): each must cover a Lavrov alias.
    let corpus = marginalia::workspace::Corpus::load(&repo_corpus(), &Default::default());
    for reference in references.as_array().unwrap() {
        let path = PathBuf::from(reference["uri"].as_str().unwrap().strip_prefix("file://").unwrap());
        let text = std::fs::read_to_string(&path).unwrap();
        let words = lsp_client::slice_of(&text, Range::from_json(&reference["range"]), Encoding::Utf16);
        let named = corpus
            .kb
            .lookup_alias(words)
            .map(|e| e.id.as_str())
            .or_else(|| (words == "Lavrov" || words == "lavrov").then_some("sergey-lavrov"));
        assert_eq!(named, Some("sergey-lavrov"), "{words:?} in {}", path.display());
    }

    let symbols = client.request("workspace/symbol", json!({"query": "helsinki"})).unwrap();
    assert!(symbols.as_array().unwrap().iter().any(|s| s["name"] == "Helsinki Final Act"), "{symbols}");
    let outline = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": article.uri}})).unwrap();
    assert_eq!(outline[0]["name"], "date 2022-01-27");
    assert!(outline.as_array().unwrap().iter().any(|p| !p["children"].as_array().unwrap().is_empty()), "paragraphs hold their quotes");
    let highlights = client
        .request(
            "textDocument/documentHighlight",
            json!({"textDocument": {"uri": article.uri}, "position": at(&article, "Peskov").to_json()}),
        )
        .unwrap();
    assert!(highlights.as_array().unwrap().len() >= 2);

    // Semantic tokens decode to the right words and kinds.
    let tokens = client.request("textDocument/semanticTokens/full", json!({"textDocument": {"uri": article.uri}})).unwrap();
    let data: Vec<u64> = tokens["data"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    let (mut line, mut start) = (0u32, 0u32);
    let mut decoded = Vec::new();
    for t in data.chunks(5) {
        line += t[0] as u32;
        start = if t[0] == 0 { start + t[1] as u32 } else { t[1] as u32 };
        let range = Range::new(Position::new(line, start), Position::new(line, start + t[2] as u32));
        decoded.push((lsp_client::slice_of(&article.text, range, Encoding::Utf16).to_string(), t[3]));
    }
    assert!(decoded.contains(&("Sergey Lavrov".to_string(), 0)), "person = type 0");
    assert!(decoded.contains(&("NATO".to_string(), 1)), "organization = type 1");
    assert!(decoded.contains(&("Minsk agreements".to_string(), 3)), "agreement = type 3");
    client.shutdown_and_exit();
}

/// The corpus index takes an open article's mentions when a request reads it,
/// not on each keystroke: references must still see every unsaved edit.
#[test]
fn references_follow_unsaved_edits_of_open_articles() {
    let (mut client, _) = LspClient::start(None, Some(&repo_corpus()));
    let mut article = open(&mut client, repo_corpus().join("articles/003_06a289d246a3710c.txt"), "plaintext");
    let lavrov_references = |client: &mut LspClient, article: &Doc| -> Vec<String> {
        let found = client
            .request("textDocument/references", json!({"textDocument": {"uri": article.uri}, "position": at(article, "Lavrov").to_json(), "context": {"includeDeclaration": false}}))
            .unwrap();
        found
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["uri"] == article.uri.as_str())
            .map(|r| lsp_client::slice_of(&article.text, Range::from_json(&r["range"]), Encoding::Utf16).to_string())
            .collect()
    };
    let before = lavrov_references(&mut client, &article);
    assert!(!before.is_empty());
    // Several keystrokes, then one request: it sees them all.
    let first_paragraph_end = article.text.find("\n\n").unwrap();
    let tail = article.text[..first_paragraph_end].chars().rev().take(3).collect::<String>().chars().rev().collect::<String>();
    edit(&mut client, &mut article, &tail, &format!("{tail} Sergei Lavrov"));
    edit(&mut client, &mut article, " Sergei Lavrov", " Sergei Lavrov agreed");
    let after = lavrov_references(&mut client, &article);
    assert_eq!(after.len(), before.len() + 1, "{before:?} -> {after:?}");
    assert!(after.contains(&"Sergei Lavrov".to_string()), "{after:?}");
    client.shutdown_and_exit();
}

/// Regression (issue 16), in the editor: a comma deleted between two entries of
/// `entities.json` is one error, at the place of the comma, and once saved every
/// entry still resolves: no `unknown-entity` for the entry after the comma.
#[test]
fn regression_kb_missing_comma_in_the_editor_is_one_error_without_a_cascade() {
    let corpus = corpus_copy();
    let (mut client, _) = LspClient::start(None, Some(corpus.path()));
    let mut kb = open(&mut client, corpus.path().join("kb/entities.json"), "json");
    let needle = "},\n    {\n      \"id\": \"antony-blinken\"";
    let comma = kb.text.find(needle).unwrap() + 1;
    let diagnostics = edit(&mut client, &mut kb, needle, &needle.replacen(',', "", 1));
    assert_eq!(codes(&diagnostics), ["json-syntax"], "{diagnostics:?}");
    assert_eq!(diagnostics[0]["message"], "syntax error: missing `,` between two array items");
    let place = position_of(&kb.text, comma, Encoding::Utf16);
    assert_eq!(Range::from_json(&diagnostics[0]["range"]), Range::new(place, place), "where the comma belongs");

    std::fs::write(&kb.path, &kb.text).unwrap();
    client.notify("textDocument/didSave", json!({"textDocument": {"uri": kb.uri}}));
    let path = corpus.path().join("articles/zz_meeting.txt");
    std::fs::write(&path, "date 2022-01-27 Sergey Lavrov met Antony Blinken in Geneva.\n").unwrap();
    let article = open(&mut client, path, "plaintext");
    let diagnostics = client.wait_for_diagnostics(&article.uri, 1);
    assert!(!codes(&diagnostics).contains(&"unknown-entity".to_string()), "{diagnostics:?}");
    assert!(hover_text(&mut client, &article, at(&article, "Blinken")).starts_with("**Antony Blinken**"));
    assert!(hover_text(&mut client, &article, at(&article, "Lavrov")).starts_with("**Sergey Lavrov**"), "the entry before the comma too");
    client.shutdown_and_exit();
}

/// Issue 16: on an entry of a draft KB file (`kb suggest`), "Accept" moves it
/// into the KB file with that section in one edit, and "Drop" removes it; both
/// leave valid JSON. The draft's entries are not used until accepted.
#[test]
fn draft_kb_entries_are_accepted_into_the_kb_or_dropped() {
    let corpus = corpus_copy();
    let draft_path = corpus.path().join("kb/suggested.json");
    let draft_text = r#"{
  "draft": true,
  "entities": [
    {
      "id": "annalena-baerbock",
      "name": "Annalena Baerbock",
      "kind": "person",
      "aliases": ["Baerbock"],
      "description": "Suggested from 2 mentions in 1 document.",
      "roles": [{"title": "German Foreign Minister", "start": "2022-01-27", "end": "2022-01-27"}],
      "sources": []
    },
    {
      "id": "baltic-energy-council",
      "name": "Baltic Energy Council",
      "kind": "organization",
      "aliases": [],
      "description": "",
      "sources": []
    }
  ]
}
"#;
    std::fs::write(&draft_path, draft_text).unwrap();
    let article_path = corpus.path().join("articles/zz_baerbock.txt");
    std::fs::write(&article_path, "date 2022-01-27 Annalena Baerbock met Lavrov.\n").unwrap();
    let (mut client, _) = LspClient::start(None, Some(corpus.path()));
    let draft = open(&mut client, draft_path.clone(), "json");
    let published = client.wait_for_diagnostics(&draft.uri, 1);
    assert_eq!(codes(&published), ["draft-kb"], "the draft is checked, its entries unused: {published:?}");
    let article = open(&mut client, article_path, "plaintext");
    assert!(codes(&client.wait_for_diagnostics(&article.uri, 1)).contains(&"unknown-entity".to_string()));

    let actions_at = |client: &mut LspClient, needle: &str| -> Vec<Value> {
        let position = at(&draft, needle);
        let range = json!({"start": position.to_json(), "end": position.to_json()});
        client
            .request("textDocument/codeAction", json!({"textDocument": {"uri": draft.uri}, "range": range, "context": {"diagnostics": []}}))
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    };
    // Drop the last entry: the draft keeps valid JSON without it.
    let drop = actions_at(&mut client, "\"Baltic Energy Council\"");
    let drop = drop.iter().find(|a| a["title"] == "Drop \"Baltic Energy Council\" from the draft").expect("drop offered");
    let mut dropped = draft_text.to_string();
    for e in drop["edit"]["changes"][file_uri(&draft_path)].as_array().unwrap() {
        apply_change(&mut dropped, Range::from_json(&e["range"]), e["newText"].as_str().unwrap(), Encoding::Utf16);
    }
    let after: Value = serde_json::from_str(&dropped).expect("valid JSON after a drop");
    assert_eq!(after["entities"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect::<Vec<_>>(), ["annalena-baerbock"]);

    let actions = actions_at(&mut client, "\"German Foreign Minister\"");
    let titles: Vec<&str> = actions.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Accept \"Annalena Baerbock\" into entities.json", "Drop \"Annalena Baerbock\" from the draft"]);
    let entities_path = corpus.path().join("kb/entities.json");
    let mut texts = std::collections::HashMap::from([
        (file_uri(&draft_path), draft_text.to_string()),
        (file_uri(&entities_path), std::fs::read_to_string(&entities_path).unwrap()),
    ]);
    for (uri, edits) in actions[0]["edit"]["changes"].as_object().unwrap() {
        let text = texts.get_mut(uri).unwrap_or_else(|| panic!("{uri}"));
        let mut edits = edits.as_array().unwrap().clone();
        edits.sort_by_key(|e| std::cmp::Reverse((e["range"]["start"]["line"].as_u64(), e["range"]["start"]["character"].as_u64())));
        for e in edits {
            apply_change(text, Range::from_json(&e["range"]), e["newText"].as_str().unwrap(), Encoding::Utf16);
        }
    }
    let draft_after: Value = serde_json::from_str(&texts[&file_uri(&draft_path)]).expect("the draft stays valid JSON");
    assert_eq!(draft_after["entities"].as_array().unwrap().len(), 1);
    assert_eq!(draft_after["entities"][0]["id"], "baltic-energy-council");
    let kb_after: Value = serde_json::from_str(&texts[&file_uri(&entities_path)]).expect("the KB stays valid JSON");
    let accepted = kb_after["entities"].as_array().unwrap().iter().find(|e| e["id"] == "annalena-baerbock").expect("accepted");
    assert_eq!(accepted["roles"][0]["title"], "German Foreign Minister");
    std::fs::write(&draft_path, &texts[&file_uri(&draft_path)]).unwrap();
    std::fs::write(&entities_path, &texts[&file_uri(&entities_path)]).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&draft_path), "type": 2}, {"uri": file_uri(&entities_path), "type": 2}]}),
    );
    let card = hover_text(&mut client, &article, at(&article, "Baerbock"));
    assert!(card.contains("German Foreign Minister *(on 2022-01-27"), "{card}");

    client.shutdown_and_exit();
}
