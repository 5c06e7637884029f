//! The tidy test of the crate's layering (as rust-analyzer's `tidy.rs`): each
//! top-level module has a layer, and code may use only modules of lower layers.
//! It reads `src/` and fails on an import that runs up (or sideways), naming the
//! file and the line, so that the cycles issue 15 found cannot come back.

/// Layers from the bottom. A module may use the modules of lower layers only;
/// modules sharing a layer do not use each other.
const LAYERS: &[&[&str]] = &[
    // Byte ranges, code points, diagnostics, reading text files.
    &["text"],
    &["diagnostic"],
    &["text_file"],
    // The article's structure; the knowledge base.
    &["article"],
    &["kb"],
    // Standoff annotations (model, anchoring, validation, locked writes).
    &["annotations"],
    // The rules: mentions, quotations, speakers; annotations applied over them.
    &["analysis"],
    // What is built on analysed articles: the corpus on disk, agreement, exchange formats.
    &["workspace", "agreement", "interchange"],
    // Editor features in byte offsets.
    &["ide"],
    // The analysis host: corpora, indexes and open files' overlays; the one
    // place the edges ask (it reads corpus files; it writes only sidecars, through
    // the annotations' locked store).
    &["host"],
    // The two edges, which never use each other (the binary passes the server to the CLI).
    &["lsp", "cli"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// `(line number, module)` for each `crate::module` the code of `source` uses,
/// outside comments and outside the tests at its end (`#[cfg(test)]`), which
/// may build fixtures from any layer.
fn crate_uses(source: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in source.lines().enumerate() {
        let code = line.trim_start();
        if code.starts_with("#[cfg(test)]") {
            break;
        }
        if code.starts_with("//") {
            continue;
        }
        for (at, _) in code.match_indices("crate::") {
            if at > 0 && code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$') {
                continue;
            }
            let module: String = code[at + "crate::".len()..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            found.push((number + 1, module));
        }
    }
    found
}

#[test]
fn every_module_has_a_layer_and_uses_only_lower_layers() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    for entry in walkdir::WalkDir::new(&src).into_iter().filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(&src).unwrap();
        let module = relative.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        if matches!(module.as_str(), "lib" | "main" | "layering") {
            continue;
        }
        let Some(own) = layer_of(&module) else {
            violations.push(format!("src/{}: module `{module}` has no layer in LAYERS (src/layering.rs)", relative.display()));
            continue;
        };
        let source = std::fs::read_to_string(path).unwrap();
        for (line, used) in crate_uses(&source) {
            if used == module {
                continue;
            }
            match layer_of(&used) {
                Some(layer) if layer < own => {}
                Some(_) => {
                    violations.push(format!("src/{}:{line}: `{module}` uses `crate::{used}`, which is not below it", relative.display()))
                }
                None => violations.push(format!("src/{}:{line}: `crate::{used}` is no module with a layer", relative.display())),
            }
        }
    }
    assert!(violations.is_empty(), "imports against the layering:\n{}", violations.join("\n"));
}

#[test]
fn an_upward_import_is_found() {
    let source =
        "use crate::text::TextRange;\n// crate::lsp in a comment\nfn f() { crate::lsp::run_stdio(); }\n#[cfg(test)]\nuse crate::cli;\n";
    assert_eq!(crate_uses(source), vec![(1, "text".to_string()), (3, "lsp".to_string())]);
}
