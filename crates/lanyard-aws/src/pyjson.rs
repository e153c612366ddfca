//! JSON text exactly as Python's `json.dumps` writes it, because the AWS CLI's cache file names
//! are SHA-1 hashes of such text and its cache files are written with it: default separators
//! `", "` and `": "` (or compact `","`/`":"`), `ensure_ascii` escaping of every non-ASCII
//! character as `\uXXXX` (surrogate pairs above U+FFFF), and optional `sort_keys`.

use serde_json::Value;

/// How to lay out the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// `sort_keys=True`: object keys in code-point order; otherwise insertion order.
    pub sort_keys: bool,
    /// `separators=(',', ':')` instead of the default `(', ', ': ')`.
    pub compact: bool,
}

impl Style {
    /// `json.dumps(v)`.
    pub const DEFAULT: Style = Style {
        sort_keys: false,
        compact: false,
    };
    /// `json.dumps(v, sort_keys=True)`.
    pub const SORTED: Style = Style {
        sort_keys: true,
        compact: false,
    };
    /// `json.dumps(v, sort_keys=True, separators=(',', ':'))`.
    pub const SORTED_COMPACT: Style = Style {
        sort_keys: true,
        compact: true,
    };
}

/// `json.dumps(value, ...)` in the given style.
pub fn dumps(value: &Value, style: Style) -> String {
    let mut out = String::new();
    write_value(&mut out, value, style);
    out
}

fn write_value(out: &mut String, value: &Value, style: Style) {
    let (item_sep, key_sep) = if style.compact {
        (",", ":")
    } else {
        (", ", ": ")
    };
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_str(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(item_sep);
                }
                write_value(out, item, style);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            if style.sort_keys {
                // Python sorts str keys by code point; Rust's str ordering is by UTF-8 bytes,
                // which is the same order.
                entries.sort_by(|a, b| a.0.cmp(b.0));
            }
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(item_sep);
                }
                write_str(out, k);
                out.push_str(key_sep);
                write_value(out, v, style);
            }
            out.push('}');
        }
    }
}

fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn default_separators_and_insertion_order_like_python() {
        let v =
            json!({"startUrl": "https://x/start", "region": "us-east-1", "n": 3, "l": [1, "a"]});
        assert_eq!(
            dumps(&v, Style::DEFAULT),
            r#"{"startUrl": "https://x/start", "region": "us-east-1", "n": 3, "l": [1, "a"]}"#
        );
    }

    #[test]
    fn sorted_compact_like_python() {
        let v = json!({"roleName": "R", "accountId": "1", "sessionName": "s"});
        assert_eq!(
            dumps(&v, Style::SORTED_COMPACT),
            r#"{"accountId":"1","roleName":"R","sessionName":"s"}"#
        );
    }

    #[test]
    fn non_ascii_and_control_characters_are_escaped_as_python_does() {
        // python3 -c 'import json; print(json.dumps("é/ü\x01\x7f 😀\t\""))'
        let v = json!("é/ü\u{1}\u{7f} 😀\t\"");
        assert_eq!(
            dumps(&v, Style::DEFAULT),
            r#""\u00e9/\u00fc\u0001\u007f \ud83d\ude00\t\"""#
        );
    }
}
