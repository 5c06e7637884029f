//! Corpus JSON parsed with tree-sitter into a tree of values that keep their exact
//! byte ranges; a half-typed file still yields every well-formed part.

use tree_sitter::{Node, Parser};

use crate::text::TextRange;

#[derive(Clone, Debug, PartialEq)]
pub enum JsonValue {
    Object(Vec<JsonMember>),
    Array(Vec<JsonNode>),
    String(String),
    Number(f64),
    Bool(bool),
    Null,
}

#[derive(Clone, Debug, PartialEq)]
pub struct JsonNode {
    pub range: TextRange,
    pub value: JsonValue,
}

#[derive(Clone, Debug, PartialEq)]
pub struct JsonMember {
    pub key: String,
    pub key_range: TextRange,
    /// `None` when the value is missing or unparseable (`"id": ,`).
    pub value: Option<JsonNode>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonSyntaxError {
    pub range: TextRange,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct JsonDocument {
    /// The top-level value, if any could be recovered.
    pub root: Option<JsonNode>,
    pub errors: Vec<JsonSyntaxError>,
}

impl JsonNode {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            JsonValue::String(s) => Some(s),
            _ => None,
        }
    }

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

pub fn parse_json(text: &str) -> JsonDocument {
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
    let root = tree.root_node().named_children(&mut tree.walk()).filter(|n| !n.is_extra()).find_map(|n| convert(n, text));
    if root.is_none() && errors.is_empty() {
        errors.push(JsonSyntaxError { range: TextRange::empty(0), message: "the file holds no JSON value".into() });
    }
    JsonDocument { root, errors }
}

fn node_range(node: Node) -> TextRange {
    let r = node.byte_range();
    TextRange::new(r.start, r.end)
}

fn collect_errors(node: Node, text: &str, errors: &mut Vec<JsonSyntaxError>) {
    if node.is_missing() {
        let expected = match node.kind() {
            "\"" => "a closing `\"`".to_string(),
            k if k.len() <= 2 => format!("`{k}`"),
            k => format!("a {k}"),
        };
        errors.push(JsonSyntaxError { range: node_range(node), message: format!("syntax error: missing {expected}") });
        return;
    }
    if node.is_error() {
        let range = node_range(node);
        let snippet: String = range.slice(text).trim().chars().take(24).collect();
        let message = if snippet.is_empty() { "syntax error".to_string() } else { format!("syntax error: unexpected `{snippet}`") };
        errors.push(JsonSyntaxError { range, message });
        // Errors nested inside an ERROR node describe the same mistake.
        return;
    }
    if node.has_error() {
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            collect_errors(child, text, errors);
        }
    }
}

fn convert(node: Node, text: &str) -> Option<JsonNode> {
    if node.is_error() || node.is_missing() {
        return None;
    }
    let range = node_range(node);
    let value = match node.kind() {
        "object" => {
            let mut members = Vec::new();
            let mut cursor = node.walk();
            for pair in node.named_children(&mut cursor).filter(|c| c.kind() == "pair") {
                let Some(key_node) = pair.child_by_field_name("key") else { continue };
                let Some(JsonNode { value: JsonValue::String(key), .. }) = convert(key_node, text) else { continue };
                let value = pair.child_by_field_name("value").and_then(|v| convert(v, text));
                members.push(JsonMember { key, key_range: node_range(key_node), value });
            }
            JsonValue::Object(members)
        }
        "array" => {
            let mut cursor = node.walk();
            JsonValue::Array(node.named_children(&mut cursor).filter(|c| !c.is_extra()).filter_map(|c| convert(c, text)).collect())
        }
        "string" => {
            let raw = range.slice(text);
            let decoded = serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.trim_matches('"').to_string());
            JsonValue::String(decoded)
        }
        "number" => JsonValue::Number(range.slice(text).parse().ok()?),
        "true" => JsonValue::Bool(true),
        "false" => JsonValue::Bool(false),
        "null" => JsonValue::Null,
        _ => return None,
    };
    Some(JsonNode { range, value })
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
}
