//! Protocol-level tests: they drive the real `marginalia lsp` binary over its
//! stdio transport with a small LSP client (`tests/it/lsp_client`), and compare
//! what the server says with the test's own position arithmetic and with the
//! CLI's analysis of the same text.

use crate::lsp_client;

use std::path::{Path, PathBuf};

use lsp_client::{
    Encoding, INVALID_REQUEST, LspClient, METHOD_NOT_FOUND, Position, Range, SERVER_NOT_INITIALIZED, apply_change, cli_analyze,
    cli_diagnostics_as_lsp, file_uri, lsp_diagnostics, position_of, range_of, slice_of,
};
use serde_json::{Value, json};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn seed(name: &str) -> PathBuf {
    corpus_dir().join("articles").join(name)
}

const SEED_000: &str = "000_650f7ada08eebc05.txt";

/// A throwaway corpus with the bundled configuration and knowledge base and an
/// empty `articles/` folder.
fn temp_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(corpus_dir().join("marginalia.toml"), dir.path().join("marginalia.toml")).expect("copy config");
    std::fs::create_dir(dir.path().join("kb")).expect("kb dir");
    for entry in std::fs::read_dir(corpus_dir().join("kb")).expect("read kb") {
        let path = entry.expect("kb entry").path();
        std::fs::copy(&path, dir.path().join("kb").join(path.file_name().expect("file name"))).expect("copy kb file");
    }
    std::fs::create_dir(dir.path().join("articles")).expect("articles dir");
    dir
}

/// The CLI's report (`marginalia analyze --format json`) for `text` analysed
/// as an article of the corpus at `corpus`, or of no corpus.
fn cli_report_for_text(corpus: Option<&Path>, text: &str) -> Value {
    let scratch = tempfile::tempdir().expect("temp dir");
    let path = match corpus {
        Some(corpus) => corpus.join("articles").join("cli-reference.txt"),
        None => scratch.path().join("cli-reference.txt"),
    };
    std::fs::write(&path, text).expect("write reference file");
    let report = cli_analyze(&path);
    std::fs::remove_file(&path).expect("remove reference file");
    report
}

/// The CLI's diagnostics for `text` as (code, range in `encoding`).
fn cli_diagnostics_for_text(corpus: Option<&Path>, text: &str, encoding: Encoding) -> Vec<(String, Range)> {
    cli_diagnostics_as_lsp(&cli_report_for_text(corpus, text), text, encoding)
}

/// `marginalia/analyze` must be the CLI's report for the same text, apart
/// from the file path and the added `text` and `version`.
fn assert_same_analysis(server: &Value, cli: &Value) {
    let strip = |report: &Value| {
        let mut report = report.clone();
        let object = report.as_object_mut().expect("report object");
        for key in ["path", "text", "version"] {
            object.remove(key);
        }
        for diagnostic in object.get_mut("diagnostics").and_then(Value::as_array_mut).expect("diagnostics") {
            diagnostic.as_object_mut().expect("diagnostic object").remove("path");
        }
        report
    };
    assert_eq!(strip(server), strip(cli), "marginalia/analyze differs from `marginalia analyze --format json`");
}

fn byte_range_of(text: &str, needle: &str) -> std::ops::Range<usize> {
    let start = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in the text"));
    start..start + needle.len()
}

fn hover_markdown(hover: &Value) -> &str {
    assert_eq!(hover["contents"]["kind"], "markdown", "hover is Markdown: {hover}");
    hover["contents"]["value"].as_str().expect("hover text")
}

fn analyze_ok(client: &mut LspClient, uri: &str) -> Value {
    match client.analyze(uri) {
        Ok(value) if value.is_object() => value,
        other => panic!("marginalia/analyze on {uri} answered {other:?}"),
    }
}

fn hover_ok(client: &mut LspClient, uri: &str, position: Position) -> Value {
    match client.hover(uri, position) {
        Ok(value) if value.is_object() => value,
        other => panic!("hover at {position:?} in {uri} answered {other:?}"),
    }
}

#[test]
fn initialize_shutdown_exit_round_trip() {
    // Verbose logging must still go to stderr only; shutdown_and_exit checks
    // stdout held nothing but framed JSON-RPC.
    let mut client = LspClient::spawn_with_env(&[("MARGINALIA_LOG", "trace")]);
    let result = client.initialize(None, Some(&corpus_dir()));
    let capabilities = &result["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    let sync = &capabilities["textDocumentSync"];
    assert_eq!(sync["openClose"], true, "{sync}");
    assert_eq!(sync["change"], 2, "incremental sync: {sync}");
    assert_eq!(capabilities["hoverProvider"], true);
    assert_eq!(result["serverInfo"]["name"], "marginalia");
    let uri = file_uri(&seed(SEED_000));
    client.did_open(&uri, "plaintext", 1, &std::fs::read_to_string(seed(SEED_000)).expect("seed"));
    client.wait_for_diagnostics(&uri, 1);
    client.shutdown_and_exit();
}

#[test]
fn position_encoding_follows_the_clients_offer() {
    let cases: [(Option<&[&str]>, &str); 6] = [
        (Some(&["utf-8"]), "utf-8"),
        (Some(&["utf-32", "utf-16"]), "utf-32"),
        (Some(&["utf-16", "utf-8"]), "utf-16"),
        (Some(&["x-made-up", "utf-8"]), "utf-8"),
        (Some(&[]), "utf-16"),
        (None, "utf-16"),
    ];
    for (offered, expected) in cases {
        let (mut client, result) = LspClient::start(offered, None);
        assert_eq!(result["capabilities"]["positionEncoding"], expected, "offered {offered:?}");
        client.shutdown_and_exit();
    }
}

/// CRLF line breaks and astral characters before every interesting span.
const ENCODING_ARTICLE: &str = "date 2022-01-27\r\n\r\n😀 Lavrov said “We want peace.”\r\n\r\n🎉🎉 “Nobody 👍 will ever claim this sentence as theirs.” The end.\r\n\r\nBlinken replied 🙂 “Never closing the quote.\r\n";

#[test]
fn positions_are_right_in_every_negotiated_encoding() {
    for encoding in Encoding::ALL {
        let corpus = temp_corpus();
        let path = corpus.path().join("articles").join("encodings.txt");
        std::fs::write(&path, ENCODING_ARTICLE).expect("write article");
        let uri = file_uri(&path);
        let (mut client, result) = LspClient::start(Some(&[encoding.name()]), Some(corpus.path()));
        assert_eq!(result["capabilities"]["positionEncoding"], encoding.name());
        let mut text = ENCODING_ARTICLE.to_owned();
        client.did_open(&uri, "plaintext", 1, &text);

        // Diagnostics: exactly the CLI's, converted by the test to this encoding,
        // and each range covers the expected characters.
        let diagnostics = client.wait_for_diagnostics(&uri, 1);
        assert_eq!(
            lsp_diagnostics(&diagnostics),
            cli_diagnostics_for_text(Some(corpus.path()), &text, encoding),
            "{encoding:?}: {diagnostics:?}"
        );
        let covered = |code: &str| -> String {
            let diagnostic = diagnostics.iter().find(|d| d["code"] == code).unwrap_or_else(|| panic!("no {code} in {diagnostics:?}"));
            slice_of(&text, Range::from_json(&diagnostic["range"]), encoding).to_owned()
        };
        assert_eq!(covered("unattributed-quote"), "“Nobody 👍 will ever claim this sentence as theirs.”", "{encoding:?}");
        assert_eq!(covered("unclosed-quote"), "“", "{encoding:?}");
        // And at the column counted by hand: "Blinken replied " is 16 units in
        // every encoding, then 🙂 (4 bytes, 2 UTF-16 units, 1 code point) and a
        // space; “ is 3 bytes and one unit otherwise.
        let unclosed = diagnostics.iter().find(|d| d["code"] == "unclosed-quote").expect("unclosed-quote");
        let (start, end) = match encoding {
            Encoding::Utf8 => (21, 24),
            Encoding::Utf16 => (19, 20),
            Encoding::Utf32 => (18, 19),
        };
        assert_eq!(Range::from_json(&unclosed["range"]), Range::new(Position::new(6, start), Position::new(6, end)), "{encoding:?}");

        // Hover on "Lavrov" (after an emoji), at its first and at a middle character.
        let lavrov = byte_range_of(&text, "Lavrov");
        for offset in [lavrov.start, lavrov.start + 3] {
            let hover = hover_ok(&mut client, &uri, position_of(&text, offset, encoding));
            assert_eq!(slice_of(&text, Range::from_json(&hover["range"]), encoding), "Lavrov", "{encoding:?}: {hover}");
            assert!(hover_markdown(&hover).contains("Minister of Foreign Affairs"), "{encoding:?}: {hover}");
        }
        // Hover inside a quote that itself holds an emoji, on the line after two.
        let claim = byte_range_of(&text, "claim");
        let hover = hover_ok(&mut client, &uri, position_of(&text, claim.start, encoding));
        assert_eq!(
            slice_of(&text, Range::from_json(&hover["range"]), encoding),
            "“Nobody 👍 will ever claim this sentence as theirs.”",
            "{encoding:?}: {hover}"
        );
        assert!(hover_markdown(&hover).contains("**Speaker:** none found"), "{encoding:?}: {hover}");
        let closing = byte_range_of(&text, "closing");
        let hover = hover_ok(&mut client, &uri, position_of(&text, closing.start, encoding));
        assert_eq!(slice_of(&text, Range::from_json(&hover["range"]), encoding), "“Never closing the quote.", "{encoding:?}");
        assert!(hover_markdown(&hover).contains("Blinken"), "{encoding:?}: {hover}");

        // Edits with ranges in this encoding, after astral characters and
        // across a CRLF break.
        let edits =
            [("Lavrov", "Sergey Lavrov"), ("Nobody 👍 will", "No one 🙈 will"), ("The end.\r\n\r\nBlinken", "Fin.\r\n\r\n🌍 Blinken")];
        let mut version = 1;
        for (old, new_text) in edits {
            let range = range_of(&text, byte_range_of(&text, old), encoding);
            version += 1;
            client.did_change(&uri, version, range, new_text);
            apply_change(&mut text, range, new_text, encoding);
        }
        let analysis = analyze_ok(&mut client, &uri);
        assert_eq!(analysis["text"], text.as_str(), "{encoding:?}");
        assert_eq!(analysis["version"], version);
        let diagnostics = client.wait_for_diagnostics(&uri, version);
        assert_eq!(
            lsp_diagnostics(&diagnostics),
            cli_diagnostics_for_text(Some(corpus.path()), &text, encoding),
            "{encoding:?} after edits"
        );
        let hover = hover_ok(&mut client, &uri, position_of(&text, byte_range_of(&text, "Lavrov").start, encoding));
        assert_eq!(slice_of(&text, Range::from_json(&hover["range"]), encoding), "Sergey Lavrov", "{encoding:?}: {hover}");
        client.shutdown_and_exit();
    }
}

#[test]
fn seed_articles_get_versioned_diagnostics_like_the_cli() {
    let (mut client, _) = LspClient::start(None, Some(&corpus_dir()));
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(corpus_dir().join("articles"))
        .expect("read articles")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    seeds.sort();
    assert_eq!(seeds.len(), 9, "five seed articles and four in other languages");
    for path in &seeds {
        let text = std::fs::read_to_string(path).expect("seed text");
        let uri = file_uri(path);
        client.did_open(&uri, "plaintext", 1, &text);
        let diagnostics = client.wait_for_diagnostics(&uri, 1);
        let expected = cli_diagnostics_as_lsp(&cli_analyze(path), &text, Encoding::Utf16);
        assert_eq!(lsp_diagnostics(&diagnostics), expected, "{}", path.display());
        for diagnostic in &diagnostics {
            assert_eq!(diagnostic["source"], "marginalia", "{diagnostic}");
            assert!(diagnostic["severity"].is_u64(), "{diagnostic}");
            slice_of(&text, Range::from_json(&diagnostic["range"]), Encoding::Utf16);
        }
        if path.ends_with(SEED_000) {
            // The third paragraph opens a quotation that is never closed; find
            // its line independently of the server and the CLI.
            let line = text.lines().position(|l| l.starts_with("“And let us not forget")).expect("the unclosed paragraph");
            assert_eq!(line, 8);
            let unclosed: Vec<&Value> = diagnostics.iter().filter(|d| d["code"] == "unclosed-quote").collect();
            assert_eq!(unclosed.len(), 1, "{diagnostics:?}");
            assert_eq!(Range::from_json(&unclosed[0]["range"]), Range::new(Position::new(8, 0), Position::new(8, 1)));
            assert_eq!(unclosed[0]["severity"], 2, "a warning");
        }
    }
    client.shutdown_and_exit();
}

#[test]
fn incremental_edits_match_local_application() {
    let (mut client, _) = LspClient::start(None, Some(&corpus_dir()));
    let path = seed("001_9c85c5a5ec5c4165.txt");
    let uri = file_uri(&path);
    let mut text = std::fs::read_to_string(&path).expect("seed text");
    client.did_open(&uri, "plaintext", 1, &text);
    let enc = Encoding::Utf16;
    let at = |line, character| Position::new(line, character);
    type Step = Box<dyn Fn(&str) -> Vec<(Range, String)>>;
    // Each step is one didChange, built against the text as it stands; a step
    // may carry several changes, each applying to the previous one's result.
    let steps: Vec<Step> = vec![
        // Insert a paragraph at the start of line 2.
        Box::new(move |_| vec![(Range::new(at(2, 0), at(2, 0)), "Lavrov said “Insert 😀 here.”\n\n".into())]),
        // Delete inside a line (a word after the emoji).
        Box::new(move |text| vec![(range_of(text, byte_range_of(text, "here"), enc), String::new())]),
        // Replace across lines, with text holding CRLF and a lone CR.
        Box::new(move |_| vec![(Range::new(at(0, 10), at(4, 3)), "REPLACED\r\nacross\rlines ".into())]),
        // Several changes in one notification, each against the previous result.
        Box::new(move |_| {
            vec![
                (Range::new(at(0, 0), at(0, 0)), "A".into()),
                (Range::new(at(0, 0), at(0, 1)), "B🎉".into()),
                (Range::new(at(0, 3), at(0, 3)), "C".into()),
                (Range::new(at(2, 0), at(3, 0)), String::new()),
            ]
        }),
        // Append at the very end.
        Box::new(move |text| {
            let end = position_of(text, text.len(), enc);
            vec![(Range::new(end, end), "\n\nTail “open quote".into())]
        }),
        // A deletion spanning several lines up to the document's end.
        Box::new(move |text| vec![(range_of(text, text.find("Moscow").expect("word")..text.len(), enc), String::new())]),
    ];
    let mut version = 1;
    for step in steps {
        version += 1;
        let mut changes = Vec::new();
        let mut scratch = text.clone();
        for (range, new_text) in step(&text) {
            apply_change(&mut scratch, range, &new_text, enc);
            changes.push((range, new_text));
        }
        text = scratch;
        client.did_change_many(&uri, version, &changes);
        let analysis = analyze_ok(&mut client, &uri);
        assert_eq!(analysis["text"], text.as_str(), "after version {version}");
        assert_eq!(analysis["version"], version);
    }
    let corpus = temp_corpus();
    let report = cli_report_for_text(Some(corpus.path()), &text);
    assert_same_analysis(&analyze_ok(&mut client, &uri), &report);
    let diagnostics = client.wait_for_diagnostics(&uri, version);
    assert_eq!(lsp_diagnostics(&diagnostics), cli_diagnostics_as_lsp(&report, &text, enc));
    client.shutdown_and_exit();
}

/// A tiny deterministic generator (64-bit LCG) so the edit script is fixed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

/// An edit script over a local copy of the text: (byte range in the text as it
/// is at that point, replacement).
#[derive(Clone)]
struct Script {
    text: String,
    edits: Vec<(std::ops::Range<usize>, String)>,
}

impl Script {
    fn edit(&mut self, range: std::ops::Range<usize>, new: &str) {
        self.text.replace_range(range.clone(), new);
        self.edits.push((range, new.to_owned()));
    }

    /// Types `s` one character per edit, starting at byte `at`.
    fn type_at(&mut self, mut at: usize, s: &str) {
        for c in s.chars() {
            self.edit(at..at, c.encode_utf8(&mut [0u8; 4]));
            at += c.len_utf8();
        }
    }

    fn find(&self, needle: &str) -> usize {
        self.text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in {:?}", self.text))
    }

    /// The script's ending: turns the typed sentence into an unattributed
    /// direct quote, retypes its first word with backspaces and a selection,
    /// and leaves the attributed quote unclosed.
    fn finish(&mut self) {
        let start = self.find("Nobody");
        self.edit(start..start, "“");
        let end = self.find("theirs.") + "theirs.".len();
        self.edit(end..end, "”");
        let word = self.find("Nobody");
        for remaining in (2..="Nobody".len()).rev() {
            self.edit(word + remaining - 1..word + remaining, "");
        }
        self.edit(word..word + 1, "S");
        self.type_at(word + 1, "omeone");
        let close = self.find("everyone.”") + "everyone.".len();
        self.edit(close..close + "”".len(), "");
    }
}

/// Builds the ordering test's `total` edits. The script types sentences
/// character by character at different places, makes typos at pseudo-random
/// places (astral characters, curly quotes, line breaks) and fixes each with a
/// backspace, then finishes (see [`Script::finish`]).
fn typing_script(initial: &str, total: usize) -> Script {
    let mut script = Script { text: initial.to_owned(), edits: Vec::new() };
    let at = script.find("Moscow.") + "Moscow.".len();
    script.type_at(at, " He said “We want peace 🕊 and quiet for everyone.”");
    let at = script.find("The end.");
    script.type_at(at, "Nobody will ever claim this sentence as theirs. ");
    let tail = {
        let mut probe = script.clone();
        probe.finish();
        probe.edits.len() - script.edits.len()
    };
    let mut rng = Lcg(0x6d61_7267_696e_616c);
    while script.edits.len() + 2 <= total - tail {
        let boundaries: Vec<usize> = script.text.char_indices().map(|(i, _)| i).chain(std::iter::once(script.text.len())).collect();
        let at = boundaries[rng.below(boundaries.len())];
        let typo = ['x', 'é', '😀', '“', '\n'][rng.below(5)];
        script.edit(at..at, typo.encode_utf8(&mut [0u8; 4]));
        script.edit(at..at + typo.len_utf8(), "");
    }
    if script.edits.len() < total - tail {
        // An odd count left: one more edit, a one-letter selection typed over.
        let e = script.find("The end.") + "The ".len();
        script.edit(e..e + 1, "E");
    }
    script.finish();
    assert_eq!(script.edits.len(), total, "the script has exactly {total} edits");
    script
}

#[test]
fn five_hundred_back_to_back_changes_are_applied_in_order() {
    const EDITS: usize = 500;
    let initial = "date 2022-01-27\n\nThe end.\n\nLavrov spoke in Moscow.\n";
    let corpus = temp_corpus();
    let path = corpus.path().join("articles").join("typing.txt");
    std::fs::write(&path, initial).expect("write article");
    let uri = file_uri(&path);
    let (mut client, _) = LspClient::start(Some(&["utf-16"]), Some(corpus.path()));
    client.did_open(&uri, "plaintext", 1, initial);
    // Version 1's diagnostics are awaited so that they exist to compare with;
    // from here on nothing waits until all edits are sent.
    let first = lsp_diagnostics(&client.wait_for_diagnostics(&uri, 1));

    let script = typing_script(initial, EDITS);
    let mut text = initial.to_owned();
    let mut notifications = Vec::with_capacity(EDITS);
    // The client-side text is rebuilt from the LSP ranges, not from the script.
    for (i, (bytes, new_text)) in script.edits.iter().enumerate() {
        let range = range_of(&text, bytes.clone(), Encoding::Utf16);
        apply_change(&mut text, range, new_text, Encoding::Utf16);
        notifications.push((i as i64 + 2, range, new_text.clone()));
    }
    // Back to back: no waiting between notifications.
    for (version, range, new_text) in &notifications {
        client.did_change(&uri, *version, *range, new_text);
    }
    let final_version = EDITS as i64 + 1;
    let analysis = analyze_ok(&mut client, &uri);
    assert_eq!(analysis["version"], final_version);
    assert_eq!(analysis["text"], text.as_str(), "the server's text after {EDITS} edits differs from the client's");
    assert_eq!(text, script.text, "the LSP ranges rebuild the script's text");
    assert!(text.ends_with("He said “We want peace 🕊 and quiet for everyone.\n"), "{text}");
    assert!(text.contains("“Someone will ever claim this sentence as theirs.” The "), "{text}");

    let report = cli_report_for_text(Some(corpus.path()), &text);
    assert_same_analysis(&analysis, &report);
    let last = client.wait_for_diagnostics(&uri, final_version);
    let expected = cli_diagnostics_as_lsp(&report, &text, Encoding::Utf16);
    assert_eq!(lsp_diagnostics(&last), expected, "final diagnostics differ from the CLI's on the final text");
    let codes: Vec<&str> = expected.iter().map(|(code, _)| code.as_str()).collect();
    assert!(codes.contains(&"unclosed-quote") && codes.contains(&"unattributed-quote"), "{codes:?}");
    assert_ne!(first, expected, "the edits must change the diagnostics");

    // Nothing is left in flight once version 501 is out: shut down, then every
    // publication for the document must have come in version order, the last
    // at 501.
    client.shutdown_and_exit();
    let versions: Vec<i64> =
        client.published_diagnostics(&uri).iter().map(|p| p["version"].as_i64().expect("versioned publication")).collect();
    assert!(versions.windows(2).all(|w| w[0] <= w[1]), "publications out of order: {versions:?}");
    assert_eq!(versions.last(), Some(&final_version), "{versions:?}");
    assert!(versions.iter().all(|v| (1..=final_version).contains(v)), "{versions:?}");
}

#[test]
fn hover_shows_the_role_on_the_articles_date_and_quote_speakers() {
    let (mut client, _) = LspClient::start(None, Some(&corpus_dir()));
    let path = seed(SEED_000);
    let text = std::fs::read_to_string(&path).expect("seed");
    let uri = file_uri(&path);
    client.did_open(&uri, "plaintext", 1, &text);
    let lavrov = byte_range_of(&text, "Lavrov");
    let hover = hover_ok(&mut client, &uri, position_of(&text, lavrov.start + 2, Encoding::Utf16));
    let markdown = hover_markdown(&hover);
    assert_eq!(slice_of(&text, Range::from_json(&hover["range"]), Encoding::Utf16), "Lavrov");
    assert!(markdown.contains("Sergey Lavrov"), "{markdown}");
    assert!(markdown.contains("Minister of Foreign Affairs"), "{markdown}");
    assert!(markdown.contains("2021-12-02"), "the role on the article's date: {markdown}");
    assert!(
        !markdown.contains("Permanent Representative of Russia to the United Nations *("),
        "a role that had ended by the article's date: {markdown}"
    );

    let quote = byte_range_of(&text, "“fundamental interests”");
    let hover = hover_ok(&mut client, &uri, position_of(&text, quote.start + "“fund".len(), Encoding::Utf16));
    assert_eq!(slice_of(&text, Range::from_json(&hover["range"]), Encoding::Utf16), "“fundamental interests”");
    let markdown = hover_markdown(&hover);
    assert!(markdown.contains("**Speaker:** Lavrov"), "{markdown}");
    assert!(markdown.contains("Sergey Lavrov"), "{markdown}");
    client.shutdown_and_exit();
}

#[test]
fn the_server_survives_bad_requests_and_notifications() {
    let (mut client, _) = LspClient::start(None, Some(&corpus_dir()));
    let path = seed(SEED_000);
    let text = std::fs::read_to_string(&path).expect("seed");
    let uri = file_uri(&path);
    client.did_open(&uri, "plaintext", 1, &text);
    let lavrov = position_of(&text, byte_range_of(&text, "Lavrov").start, Encoding::Utf16);
    let still_answers = |client: &mut LspClient| {
        let hover = hover_ok(client, &uri, lavrov);
        assert!(hover_markdown(&hover).contains("Sergey Lavrov"), "{hover}");
    };

    let error = client.request("marginalia/noSuchMethod", json!({})).expect_err("unknown method");
    assert_eq!(error["code"], METHOD_NOT_FOUND, "{error}");
    still_answers(&mut client);

    client.notify("marginalia/noSuchNotification", json!({"x": 1}));
    client.notify("$/noSuchNotification", json!({}));
    let never_opened = file_uri(&seed("001_9c85c5a5ec5c4165.txt"));
    client.did_change(&never_opened, 2, Range::new(Position::new(0, 0), Position::new(0, 0)), "hello");
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": uri}, "contentChanges": "not a list"}));
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": "file:///nowhere.txt"}}));
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": "untitled:never-opened"}}));
    still_answers(&mut client);

    // Requests about a document that was never opened answer null.
    assert_eq!(client.hover(&never_opened, Position::new(0, 0)), Ok(Value::Null));
    assert_eq!(client.analyze(&never_opened), Ok(Value::Null));
    // Positions past the end of a line and of the document are clamped.
    for position in [Position::new(u32::MAX, u32::MAX), Position::new(100_000, 0), Position::new(4, 100_000), Position::new(0, u32::MAX)] {
        let answer = client.hover(&uri, position);
        assert!(answer.is_ok(), "hover at {position:?} answered {answer:?}");
    }
    // An edit with a range past the end appends at the end, as clamped.
    let mut expected = text.clone();
    let end = position_of(&expected, expected.len(), Encoding::Utf16);
    client.did_change(&uri, 2, Range::new(Position::new(10_000, 3), Position::new(10_000, 9)), "\n\nAppended.");
    apply_change(&mut expected, Range::new(end, end), "\n\nAppended.", Encoding::Utf16);
    let analysis = analyze_ok(&mut client, &uri);
    assert_eq!(analysis["text"], expected.as_str());
    assert_eq!(analysis["version"], 2);
    still_answers(&mut client);
    client.wait_for_diagnostics(&uri, 2);
    client.shutdown_and_exit();
}

#[test]
fn untitled_documents_are_analysed_without_a_corpus() {
    let (mut client, _) = LspClient::start(Some(&["utf-32"]), None);
    let uri = "untitled:Untitled-1";
    let mut text = String::from("“Nobody will ever claim this sentence as theirs.”\r\n\r\nLavrov said “We want peace 😀.”\r\n");
    client.did_open(uri, "plaintext", 1, &text);
    let diagnostics = client.wait_for_diagnostics(uri, 1);
    assert_eq!(lsp_diagnostics(&diagnostics), cli_diagnostics_for_text(None, &text, Encoding::Utf32));
    assert!(diagnostics.iter().any(|d| d["code"] == "unattributed-quote"), "{diagnostics:?}");

    let close = text.rfind('”').expect("closing mark");
    let range = range_of(&text, close..close + "”".len(), Encoding::Utf32);
    client.did_change(uri, 2, range, "");
    apply_change(&mut text, range, "", Encoding::Utf32);
    let analysis = analyze_ok(&mut client, uri);
    assert_eq!(analysis["text"], text.as_str());
    assert_eq!(analysis["version"], 2);
    assert!(analysis["quotes"].as_array().is_some_and(|q| !q.is_empty()), "{analysis}");
    let diagnostics = client.wait_for_diagnostics(uri, 2);
    assert_eq!(lsp_diagnostics(&diagnostics), cli_diagnostics_for_text(None, &text, Encoding::Utf32));
    assert!(diagnostics.iter().any(|d| d["code"] == "unclosed-quote"), "{diagnostics:?}");
    // No knowledge base: a quote hover still works, an entity card does not appear.
    let hover = hover_ok(&mut client, uri, position_of(&text, byte_range_of(&text, "peace").start, Encoding::Utf32));
    assert!(hover_markdown(&hover).contains("**Speaker:** Lavrov"), "{hover}");
    client.shutdown_and_exit();
}

#[test]
fn lifecycle_errors_and_document_sync_edges() {
    let mut client = LspClient::spawn();
    let error = client
        .request("textDocument/hover", json!({"textDocument": {"uri": "untitled:a"}, "position": {"line": 0, "character": 0}}))
        .expect_err("a request before initialize");
    assert_eq!(error["code"], SERVER_NOT_INITIALIZED, "{error}");
    // A document notification before initialize is dropped.
    client.did_open("untitled:early", "plaintext", 1, "“Too early.”");
    client.initialize(None, None);
    assert_eq!(client.analyze("untitled:early"), Ok(Value::Null));

    // A change without a range replaces the whole text; later ranged changes
    // apply to the new text; close forgets the document.
    let uri = "untitled:full";
    client.did_open(uri, "plaintext", 1, "first text\r\nsecond line");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"text": "Lavrov said “We want peace 😀.”"},
            {"range": Range::new(Position::new(0, 0), Position::new(0, 6)).to_json(), "text": "Blinken"}
        ]}),
    );
    let analysis = analyze_ok(&mut client, uri);
    assert_eq!(analysis["text"], "Blinken said “We want peace 😀.”");
    assert_eq!(analysis["version"], 2);
    client.wait_for_diagnostics(uri, 2);
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    assert_eq!(client.analyze(uri), Ok(Value::Null));
    assert_eq!(client.hover(uri, Position::new(0, 0)), Ok(Value::Null));

    assert_eq!(client.request("shutdown", Value::Null), Ok(Value::Null));
    let error = client.analyze(uri).expect_err("a request after shutdown");
    assert_eq!(error["code"], INVALID_REQUEST, "{error}");
    let status = client.exit();
    assert!(status.success(), "exit after shutdown: {status}");
}

#[test]
fn exit_without_shutdown_exits_with_status_1() {
    let (mut client, _) = LspClient::start(None, None);
    let status = client.exit();
    assert_eq!(status.code(), Some(1), "exit without shutdown must end with status 1, got {status}");
}

#[test]
fn requests_see_the_document_as_of_when_they_were_sent() {
    let (mut client, _) = LspClient::start(None, None);
    let uri = "untitled:requests";
    let mut text = String::from("Lavrov said “We want peace.”");
    client.did_open(uri, "plaintext", 1, &text);
    // Each request is followed at once by an edit; it must not see that edit.
    let mut pending = Vec::new();
    for version in 2..=50i64 {
        let analyze = client.send_request("marginalia/analyze", json!({"textDocument": {"uri": uri}}));
        let quote_start = position_of(&text, byte_range_of(&text, "“").start + "“".len(), Encoding::Utf16);
        let hover = client.send_request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": quote_start.to_json()}));
        pending.push((analyze, hover, version - 1, text.clone()));
        client.did_change(uri, version, Range::new(Position::new(0, 0), Position::new(0, 0)), "x");
        text.insert(0, 'x');
    }
    for (analyze, hover, version, text) in pending {
        let analysis = client.response(analyze, "marginalia/analyze").expect("analysis");
        assert_eq!(analysis["version"], version, "analyze sent at version {version} answered {}", analysis["version"]);
        assert_eq!(analysis["text"], text.as_str());
        let hover = client.response(hover, "textDocument/hover").expect("hover");
        assert_eq!(
            slice_of(&text, Range::from_json(&hover["range"]), Encoding::Utf16),
            "“We want peace.”",
            "hover sent at version {version}: {hover}"
        );
    }
    client.shutdown_and_exit();
}
