//! Corpus JSON parsed with tree-sitter into a tree of values that keep their exact
//! byte ranges; a half-typed file still yields every well-formed part.

use tree_sitter::{Node, Parser};

use crate::text::TextRange;

/// A JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum JsonValue {
    /// An object's members, in file order (duplicates kept).
    Object(Vec<JsonMember>),
    /// An array's items.
    Array(Vec<JsonNode>),
    /// A string, unescaped.
    String(String),
    /// A number.
    Number(f64),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
}

/// A value with its place in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonNode {
    /// The value's bytes in the file.
    pub range: TextRange,
    /// The value.
    pub value: JsonValue,
}

/// One `"key": value` of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonMember {
    /// The key, unescaped.
    pub key: String,
    /// The key's bytes in the file (quotes included).
    pub key_range: TextRange,
    /// `None` when the value is missing or unparseable (`"id": ,`).
    pub value: Option<JsonNode>,
}

/// Where the JSON does not parse, and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonSyntaxError {
    /// The bytes at fault (empty where something is missing).
    pub range: TextRange,
    /// What is wrong there.
    pub message: String,
}

/// A parsed JSON file: what could be read, and the syntax errors.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JsonDocument {
    /// The top-level value, if any could be recovered.
    pub root: Option<JsonNode>,
    /// Every syntax error, in file order.
    pub errors: Vec<JsonSyntaxError>,
}

impl JsonNode {
    /// The string, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            JsonValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The JSON type's name (`object`, `string`, ...), for messages.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            JsonValue::Object(_) => "an object",
            JsonValue::Array(_) => "an array",
            JsonValue::String(_) => "a string",
            JsonValue::Number(_) => "a number",
            JsonValue::Bool(_) => "a boolean",
            JsonValue::Null => "null",
        }
    }
}

/// Values nested deeper than this are dropped with a syntax error: the knowledge
/// base needs six levels, and walking (or dropping) a tree thousands of levels
/// deep would overflow the stack (finding F8).
pub const MAX_DEPTH: usize = 128;

/// Parses a corpus JSON file. Valid JSON (the common case, and the only one for
/// a large generated knowledge base) takes a strict single-pass parser; anything
/// else goes through tree-sitter, which recovers every well-formed part and
/// places each syntax error. Both give the same tree for valid JSON.
///
/// A missing `,` between two array items or two object members is repaired
/// first ([`find_missing_commas`]): it is reported once, where the comma
/// belongs, and both sides are read. Left to tree-sitter, it swallowed the member
/// before it into an error node, so an entry lost its `id` and every article
/// naming that entry got a cascade of `unknown-entity` and `unknown-kb-id`.
pub fn parse_json(text: &str) -> JsonDocument {
    if let Some(root) = parse_json_strict(text) {
        return JsonDocument { root: Some(root), errors: Vec::new() };
    }
    let Some((repaired, mut errors)) = find_missing_commas(text) else {
        return parse_json_recovering(text);
    };
    let mut document = match parse_json_strict(&repaired) {
        Some(root) => JsonDocument { root: Some(root), errors: Vec::new() },
        None => parse_json_recovering(&repaired),
    };
    errors.append(&mut document.errors);
    errors.sort_by_key(|e| (e.range.start, e.range.end));
    document.errors = errors;
    document
}

/// What a scan of a container expects next ([`find_missing_commas`]).
#[derive(Clone, Copy, PartialEq)]
enum Expect {
    /// A key or `}` (object), a value or `]` (array).
    First,
    Key,
    Colon,
    Value,
    CommaOrEnd,
}

/// Finds the commas missing between two array items or two object members
/// (`} {`, `"a": 1 "b": 2`) and returns `text` with each put in place of the
/// first whitespace byte after the item before it, with one syntax error each at
/// that place. The repair keeps every byte offset, so the tree parsed from the
/// repaired text has the original's ranges. `None` when no comma is missing.
/// The scan stops at the first other syntax error (what follows it is
/// tree-sitter's to recover), and a missing comma with no whitespace to take its
/// place (`}{`) is left to tree-sitter too.
///
/// ```
/// # use marginalia::kb::json_tree::find_missing_commas;
/// let (repaired, errors) = find_missing_commas("[{\"id\": 1}\n {\"id\": 2}]").unwrap();
/// assert_eq!(repaired, "[{\"id\": 1}, {\"id\": 2}]");
/// assert_eq!((errors[0].range.start, errors[0].message.as_str()), (10, "syntax error: missing `,` between two array items"));
/// ```
pub fn find_missing_commas(text: &str) -> Option<(String, Vec<JsonSyntaxError>)> {
    let bytes = text.as_bytes();
    // Each open container: is it an object, and what it expects next.
    let mut open: Vec<(bool, Expect)> = Vec::new();
    let mut repairs: Vec<(usize, &'static str)> = Vec::new();
    let mut value_end = 0;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if matches!(byte, b' ' | b'\t' | b'\n' | b'\r') {
            at += 1;
            continue;
        }
        let starts_value = matches!(byte, b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n');
        if let Some((is_object, expect)) = open.last_mut()
            && *expect == Expect::CommaOrEnd
            && starts_value
            && (!*is_object || byte == b'"')
        {
            // The comma takes the place of the whitespace right after the item
            // before it; without whitespace there, stop.
            if value_end >= at {
                break;
            }
            repairs.push((value_end, if *is_object { "two object members" } else { "two array items" }));
            *expect = if *is_object { Expect::Key } else { Expect::Value };
        }
        let expect = open.last().map(|&(_, e)| e);
        let is_object = open.last().is_some_and(|&(o, _)| o);
        // Is a value (or, in an object, a key) allowed here?
        let value_allowed = match expect {
            None => at == 0 || value_end == 0,
            Some(Expect::Value) => true,
            Some(Expect::First | Expect::Key) => !is_object || byte == b'"',
            Some(Expect::Colon | Expect::CommaOrEnd) => false,
        };
        match byte {
            b'{' | b'[' if value_allowed => {
                open.push((byte == b'{', Expect::First));
                at += 1;
            }
            b'}' | b']' => {
                let closes = (byte == b'}') == is_object && matches!(expect, Some(Expect::First | Expect::CommaOrEnd));
                if !closes {
                    break;
                }
                open.pop();
                at += 1;
                value_end = at;
                if let Some((_, next)) = open.last_mut() {
                    *next = Expect::CommaOrEnd;
                }
            }
            b',' if expect == Some(Expect::CommaOrEnd) => {
                open.last_mut().expect("a container is open").1 = if is_object { Expect::Key } else { Expect::Value };
                at += 1;
            }
            b':' if expect == Some(Expect::Colon) => {
                open.last_mut().expect("a container is open").1 = Expect::Value;
                at += 1;
            }
            b'"' if value_allowed => {
                let Some(end) = string_end(bytes, at) else { break };
                at = end;
                value_end = end;
                if let Some((object, next)) = open.last_mut() {
                    *next = if *object && matches!(*next, Expect::First | Expect::Key) { Expect::Colon } else { Expect::CommaOrEnd };
                }
            }
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' if value_allowed && !(is_object && expect != Some(Expect::Value)) => {
                while at < bytes.len() && matches!(bytes[at], b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'+' | b'-' | b'.') {
                    at += 1;
                }
                value_end = at;
                if let Some((_, next)) = open.last_mut() {
                    *next = Expect::CommaOrEnd;
                }
            }
            _ => break,
        }
        if open.is_empty() && value_end > 0 && at >= value_end {
            // The top-level value is complete; anything after it is not ours.
            break;
        }
    }
    if repairs.is_empty() {
        return None;
    }
    let mut repaired = text.as_bytes().to_vec();
    let errors = repairs
        .into_iter()
        .map(|(at, between)| {
            repaired[at] = b',';
            JsonSyntaxError { range: TextRange::empty(at), message: format!("syntax error: missing `,` between {between}") }
        })
        .collect();
    // Only ASCII whitespace outside strings was replaced by an ASCII comma.
    Some((String::from_utf8(repaired).expect("still UTF-8"), errors))
}

/// The offset after the closing quote of the string opening at `at`.
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    loop {
        match *bytes.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            b'\n' => return None,
            _ => i += 1,
        }
    }
}

/// The error-tolerant parse with tree-sitter (what [`parse_json`] falls back to).
pub fn parse_json_recovering(text: &str) -> JsonDocument {
    let mut parser = Parser::new();
    parser.set_language(&tree_sitter_json::LANGUAGE.into()).expect("tree-sitter-json matches the linked tree-sitter ABI");
    let Some(tree) = parser.parse(text, None) else {
        return JsonDocument {
            root: None,
            errors: vec![JsonSyntaxError { range: TextRange::empty(0), message: "the JSON parser gave up on this file".into() }],
        };
    };
    let mut errors = Vec::new();
    collect_errors(tree.root_node(), text, &mut errors);
    let root = tree.root_node().named_children(&mut tree.walk()).filter(|n| !n.is_extra()).find_map(|n| convert(n, text, 1, &mut errors));
    if root.is_none() && errors.is_empty() {
        errors.push(JsonSyntaxError { range: TextRange::empty(0), message: "the file holds no JSON value".into() });
    }
    JsonDocument { root, errors }
}

fn node_range(node: Node) -> TextRange {
    let r = node.byte_range();
    TextRange::new(r.start, r.end)
}

/// Every ERROR and MISSING node, in document order. Iterative: a broken file
/// nested thousands of levels deep must not overflow the stack.
fn collect_errors(root: Node, text: &str, errors: &mut Vec<JsonSyntaxError>) {
    let mut pending = vec![root];
    while let Some(node) = pending.pop() {
        if node.is_missing() {
            let expected = match node.kind() {
                "\"" => "a closing `\"`".to_string(),
                k if k.len() <= 2 => format!("`{k}`"),
                k => format!("a {k}"),
            };
            errors.push(JsonSyntaxError { range: node_range(node), message: format!("syntax error: missing {expected}") });
            continue;
        }
        if node.is_error() {
            let range = node_range(node);
            let snippet: String = range.slice(text).trim().chars().take(24).collect();
            let message = if snippet.is_empty() { "syntax error".to_string() } else { format!("syntax error: unexpected `{snippet}`") };
            errors.push(JsonSyntaxError { range, message });
            // Errors nested inside an ERROR node describe the same mistake.
            continue;
        }
        if node.has_error() {
            let mut cursor = node.walk();
            let children: Vec<Node> = node.children(&mut cursor).collect();
            pending.extend(children.into_iter().rev());
        }
    }
}

fn too_deep(range: TextRange) -> JsonSyntaxError {
    JsonSyntaxError { range, message: format!("nested more than {MAX_DEPTH} levels deep; this value is ignored") }
}

/// A string node's decoded text (serde_json's decoding; a string it rejects is
/// taken as written between its quotes).
fn string_text(range: TextRange, text: &str) -> String {
    let raw = range.slice(text);
    serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.trim_matches('"').to_string())
}

/// The value of `node`, `depth` levels down (the top-level value is at depth 1).
fn convert(node: Node, text: &str, depth: usize, errors: &mut Vec<JsonSyntaxError>) -> Option<JsonNode> {
    if node.is_error() || node.is_missing() {
        return None;
    }
    let range = node_range(node);
    if depth > MAX_DEPTH && matches!(node.kind(), "object" | "array" | "string" | "number" | "true" | "false" | "null") {
        errors.push(too_deep(range));
        return None;
    }
    let value = match node.kind() {
        "object" => {
            let mut members = Vec::new();
            let mut cursor = node.walk();
            for pair in node.named_children(&mut cursor).filter(|c| c.kind() == "pair") {
                let Some(key_node) = pair.child_by_field_name("key") else { continue };
                if key_node.kind() != "string" || key_node.is_error() || key_node.is_missing() {
                    continue;
                }
                let key = string_text(node_range(key_node), text);
                let value = pair.child_by_field_name("value").and_then(|v| convert(v, text, depth + 1, errors));
                members.push(JsonMember { key, key_range: node_range(key_node), value });
            }
            JsonValue::Object(members)
        }
        "array" => {
            let mut cursor = node.walk();
            let children: Vec<Node> = node.named_children(&mut cursor).filter(|c| !c.is_extra()).collect();
            JsonValue::Array(children.into_iter().filter_map(|c| convert(c, text, depth + 1, errors)).collect())
        }
        "string" => JsonValue::String(string_text(range, text)),
        "number" => JsonValue::Number(range.slice(text).parse().ok()?),
        "true" => JsonValue::Bool(true),
        "false" => JsonValue::Bool(false),
        "null" => JsonValue::Null,
        _ => return None,
    };
    Some(JsonNode { range, value })
}

/// A container being filled by [`parse_json_strict`].
enum Open {
    Object { start: usize, members: Vec<JsonMember>, key: String, key_range: TextRange },
    Array { start: usize, items: Vec<JsonNode> },
}

/// The tree of `text` if it is strictly valid JSON as tree-sitter-json reads it
/// (one top-level value; whitespace is space, tab, CR, LF; no comments; no raw
/// control characters in strings; exponents without `+`; nesting at most
/// [`MAX_DEPTH`]), else `None`. One pass, no recursion, strings without escapes
/// copied as they are.
pub fn parse_json_strict(text: &str) -> Option<JsonNode> {
    let bytes = text.as_bytes();
    let mut at = skip_whitespace(bytes, 0);
    let mut open: Vec<Open> = Vec::new();
    'value: loop {
        if open.len() >= MAX_DEPTH {
            return None;
        }
        let start = at;
        let mut node = match *bytes.get(at)? {
            b'{' => {
                at = skip_whitespace(bytes, at + 1);
                if bytes.get(at) == Some(&b'}') {
                    at += 1;
                    JsonNode { range: TextRange::new(start, at), value: JsonValue::Object(Vec::new()) }
                } else {
                    let (key, key_range, next) = strict_key(text, at)?;
                    at = next;
                    open.push(Open::Object { start, members: Vec::new(), key, key_range });
                    continue 'value;
                }
            }
            b'[' => {
                at = skip_whitespace(bytes, at + 1);
                if bytes.get(at) == Some(&b']') {
                    at += 1;
                    JsonNode { range: TextRange::new(start, at), value: JsonValue::Array(Vec::new()) }
                } else {
                    open.push(Open::Array { start, items: Vec::new() });
                    continue 'value;
                }
            }
            b'"' => {
                let (value, end) = strict_string(text, at)?;
                at = end;
                JsonNode { range: TextRange::new(start, at), value: JsonValue::String(value) }
            }
            b't' | b'f' | b'n' => {
                let (word, value) = match bytes[at] {
                    b't' => ("true", JsonValue::Bool(true)),
                    b'f' => ("false", JsonValue::Bool(false)),
                    _ => ("null", JsonValue::Null),
                };
                if !bytes[at..].starts_with(word.as_bytes()) {
                    return None;
                }
                at += word.len();
                JsonNode { range: TextRange::new(start, at), value }
            }
            b'-' | b'0'..=b'9' => {
                at = strict_number(bytes, at)?;
                JsonNode { range: TextRange::new(start, at), value: JsonValue::Number(text[start..at].parse().ok()?) }
            }
            _ => return None,
        };
        // A value is complete: hand it to its container, closing every container
        // that ends here.
        loop {
            at = skip_whitespace(bytes, at);
            match open.last_mut() {
                None => return (at == bytes.len()).then_some(node),
                Some(Open::Object { members, key, key_range, .. }) => {
                    members.push(JsonMember { key: std::mem::take(key), key_range: *key_range, value: Some(node) });
                    match *bytes.get(at)? {
                        b',' => {
                            let (next_key, next_range, next) = strict_key(text, skip_whitespace(bytes, at + 1))?;
                            (*key, *key_range, at) = (next_key, next_range, next);
                            continue 'value;
                        }
                        b'}' => at += 1,
                        _ => return None,
                    }
                }
                Some(Open::Array { items, .. }) => {
                    items.push(node);
                    match *bytes.get(at)? {
                        b',' => {
                            at = skip_whitespace(bytes, at + 1);
                            continue 'value;
                        }
                        b']' => at += 1,
                        _ => return None,
                    }
                }
            }
            node = match open.pop()? {
                Open::Object { start, members, .. } => JsonNode { range: TextRange::new(start, at), value: JsonValue::Object(members) },
                Open::Array { start, items } => JsonNode { range: TextRange::new(start, at), value: JsonValue::Array(items) },
            };
        }
    }
}

fn skip_whitespace(bytes: &[u8], mut at: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(at) {
        at += 1;
    }
    at
}

/// An object key at `at`, then `:`: the key, its range, and where its value starts.
fn strict_key(text: &str, at: usize) -> Option<(String, TextRange, usize)> {
    if text.as_bytes().get(at) != Some(&b'"') {
        return None;
    }
    let (key, end) = strict_string(text, at)?;
    let colon = skip_whitespace(text.as_bytes(), end);
    (text.as_bytes().get(colon) == Some(&b':')).then(|| (key, TextRange::new(at, end), skip_whitespace(text.as_bytes(), colon + 1)))
}

/// The string starting with the `"` at `at`: its decoded text and the offset
/// after its closing quote.
fn strict_string(text: &str, at: usize) -> Option<(String, usize)> {
    let bytes = text.as_bytes();
    let mut escaped = false;
    let mut i = at + 1;
    loop {
        match *bytes.get(i)? {
            b'"' => break,
            b'\\' => {
                escaped = true;
                i += 2;
            }
            0..=0x1f => return None,
            _ => i += 1,
        }
    }
    let end = i + 1;
    let raw = text.get(at..end)?;
    let value = if escaped { serde_json::from_str::<String>(raw).ok()? } else { raw[1..raw.len() - 1].to_string() };
    Some((value, end))
}

/// The end of the number starting at `at`, by JSON's grammar minus a `+` in the
/// exponent (which tree-sitter-json does not accept either).
fn strict_number(bytes: &[u8], mut at: usize) -> Option<usize> {
    let digits = |mut at: usize| {
        let start = at;
        while bytes.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        (at > start).then_some(at)
    };
    if bytes.get(at) == Some(&b'-') {
        at += 1;
    }
    at = match bytes.get(at)? {
        b'0' => at + 1,
        b'1'..=b'9' => digits(at)?,
        _ => return None,
    };
    if bytes.get(at) == Some(&b'.') {
        at = digits(at + 1)?;
    }
    if let Some(b'e' | b'E') = bytes.get(at) {
        at += 1;
        if bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        at = digits(at)?;
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_json_keeps_ranges() {
        let text = r#"{"id": "nato", "aliases": ["the \"alliance\"", 1]}"#;
        let doc = parse_json(text);
        assert!(doc.errors.is_empty());
        let JsonValue::Object(members) = doc.root.unwrap().value else { panic!() };
        assert_eq!(members[0].key, "id");
        assert_eq!(members[0].value.as_ref().unwrap().range.slice(text), "\"nato\"");
        let JsonValue::Array(items) = &members[1].value.as_ref().unwrap().value else { panic!() };
        assert_eq!(items[0].as_str(), Some("the \"alliance\""));
    }

    #[test]
    fn half_typed_file_reports_error_and_keeps_other_members() {
        let text = "{\"entities\": [{\"id\": \"a\", \"name\": }, {\"id\": \"b\"}]";
        let doc = parse_json(text);
        assert!(!doc.errors.is_empty(), "{doc:?}");
        let JsonValue::Object(members) = doc.root.unwrap().value else { panic!() };
        let JsonValue::Array(items) = &members[0].value.as_ref().unwrap().value else { panic!() };
        assert!(
            items.iter().any(
                |i| matches!(&i.value, JsonValue::Object(m) if m.iter().any(|m| m.value.as_ref().and_then(|v| v.as_str()) == Some("b")))
            )
        );
    }

    /// Valid JSON: the strict parser and tree-sitter build the same tree.
    #[test]
    fn strict_parse_matches_tree_sitter_on_valid_json() {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join("kb");
        let mut texts: Vec<String> =
            std::fs::read_dir(corpus).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
        texts.extend(
            [
                r#"{"id": "nato", "aliases": ["the \"alliance\"", 1]}"#,
                "{}",
                "[]",
                " \r\n\t[ ]\n",
                "\"\"",
                "0",
                "-0.5e-3",
                "12.25E7",
                "[true, false, null, -1, 0.0, 3e9, {\"a\": {}}, [[]]]",
                r#"{"é": "naïve – “quoted” 😀", "k": "\u00e9\ud83d\ude00\n\t\/\\", "k": 2}"#,
                "{\"a\" :1 , \"b\":[ 1 ,2 ] }",
                "\"\u{7f}\"",
            ]
            .map(String::from),
        );
        texts.push(format!("{}1{}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1)));
        for text in &texts {
            let recovered = parse_json_recovering(text);
            assert!(recovered.errors.is_empty(), "{text:?}: {:?}", recovered.errors);
            assert_eq!(parse_json_strict(text), recovered.root, "{text:?}");
        }
    }

    /// Anything the strict parser does not take goes to tree-sitter, whose
    /// answer (errors and recovered tree) is then the answer.
    #[test]
    fn strict_parse_declines_what_it_does_not_read_exactly() {
        for text in [
            "",
            "  ",
            "{\"a\": 1,}",
            "[1,]",
            "{\"a\" 1}",
            "{1: 2}",
            "// comment\n{}",
            "{} /* trailing */",
            "{} {}",
            "1e+5",
            "1.",
            ".5",
            "01",
            "-",
            "\u{feff}{}",
            "\u{a0}{}",
            "[\"tab\there\"]",
            "[\"line\nbreak\"]",
            "[\"\\x\"]",
            "[\"\\u12\"]",
            "[\"\\ud800\"]",
            "[\"unterminated]",
            "tru",
            "nul",
            "truex",
            "{\"a\": [1, {\"b\": }]}",
        ] {
            assert_eq!(parse_json_strict(text), None, "{text:?}");
            assert_eq!(parse_json(text), parse_json_recovering(text), "{text:?}");
        }
    }

    /// A comma missing between two entries or two members: one error where
    /// it belongs, and the same tree as with the comma.
    #[test]
    fn missing_comma_is_one_error_where_it_belongs_and_both_sides_are_read() {
        let kb = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/kb/entities.json")).unwrap();
        for (needle, between) in [("    },\n    {", "two array items"), ("\",\n      \"kind\"", "two object members")] {
            let at = kb.find(needle).unwrap() + needle.find(',').unwrap();
            // The comma becomes a space, so every other offset stays.
            let broken = format!("{} {}", &kb[..at], &kb[at + 1..]);
            let document = parse_json(&broken);
            assert_eq!(
                document.errors,
                [JsonSyntaxError { range: TextRange::empty(at), message: format!("syntax error: missing `,` between {between}") }]
            );
            assert_eq!(document.root, parse_json(&kb).root, "{between}: both sides read, ranges unchanged");
        }
        // Two commas missing, and another error after them.
        let document = parse_json("{\"a\": [1 2 {\"b\": 3\n\"c\": 4}],\n\"d\": }");
        let at: Vec<usize> = document.errors.iter().map(|e| e.range.start).collect();
        assert_eq!(&at[..3], [8, 10, 18], "{:?}", document.errors);
        assert!(document.errors[3].message.starts_with("syntax error"), "{:?}", document.errors);
        let JsonValue::Object(members) = document.root.unwrap().value else { panic!() };
        let JsonValue::Array(items) = &members[0].value.as_ref().unwrap().value else { panic!() };
        assert_eq!(items.len(), 3);
        // No whitespace to take the comma's place: left to tree-sitter.
        assert_eq!(find_missing_commas("[{}{}]"), None);
        assert_eq!(parse_json("[{}{}]"), parse_json_recovering("[{}{}]"));
    }

    /// F8: a file nested tens of thousands of levels deep (closed or not) is
    /// reported, not a stack overflow; what lies within the depth limit is kept.
    #[test]
    fn deep_nesting_is_reported_without_overflowing_the_stack() {
        let depth = 100_000;
        for text in [
            format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
            format!("{{\"entities\": {}1{}}}", "[{\"a\": ".repeat(depth / 2), "}]".repeat(depth / 2)),
        ] {
            let document = parse_json(&text);
            assert!(document.root.is_some());
            assert!(document.errors.iter().any(|e| e.message.contains("nested more than")), "{:?}", document.errors.first());
        }
        let unclosed = parse_json(&"[".repeat(depth));
        assert!(!unclosed.errors.is_empty());
        // Just within the limit, nothing is lost.
        let text = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse_json(&text).errors.is_empty());
        let text = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(parse_json(&text).errors.len(), 1);
    }
}
