//! The config keys whose values are secrets (static credentials people keep in `~/.aws/config`)
//! and how their values are hidden from whatever shows config text: the window's editor (its
//! section text, key values and diffs) and finding messages. A hidden value reads [`HIDDEN`];
//! an edit that gives [`HIDDEN`] back keeps the value in the file as it is.

/// Keys whose values are never shown (lower case; botocore's names).
pub const SECRET_KEYS: &[&str] = &[
    "aws_secret_access_key",
    "aws_session_token",
    "aws_security_token",
];

/// What a secret value reads as wherever it is hidden.
pub const HIDDEN: &str = "(hidden by Lanyard)";

/// Whether `key` holds a secret (any case, surrounding blanks ignored).
pub fn is_secret_key(key: &str) -> bool {
    let key = key.trim();
    SECRET_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
}

/// `text` — config text, or a unified diff of config text — with the value of every line that
/// sets a secret key replaced by [`HIDDEN`]. Everything else is kept byte for byte, line breaks
/// included. A diff line's leading `+`, `-` or space is kept; a `---`/`+++` header is not a
/// key line.
pub fn hide_secrets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = split_end(line);
        match secret_value_start(body) {
            Some(at) => {
                out.push_str(body[..at].trim_end());
                out.push(' ');
                out.push_str(HIDDEN);
                out.push_str(end);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// A line without its line break, and the break.
fn split_end(line: &str) -> (&str, &str) {
    let body = line.trim_end_matches(['\n', '\r']);
    (body, &line[body.len()..])
}

/// Where the value starts (just after `=`) when `line` sets a secret key.
fn secret_value_start(line: &str) -> Option<usize> {
    if line.starts_with("---") || line.starts_with("+++") {
        return None;
    }
    // A diff line's marker, then the line as written (keys may be indented in nested blocks).
    let rest = line.strip_prefix(['+', '-', ' ']).unwrap_or(line);
    let eq = rest.find('=')?;
    if !is_secret_key(&rest[..eq]) {
        return None;
    }
    Some(line.len() - rest.len() + eq + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_values_are_hidden_in_config_text_and_in_diffs_and_nothing_else_changes() {
        let config = "[profile s]\r\naws_access_key_id = AKIDEXAMPLE\r\naws_secret_access_key = wJalr/K7MDENG\r\n  AWS_Session_Token=FQoGZXIvYXdzE\nregion = eu-west-1";
        assert_eq!(
            hide_secrets(config),
            "[profile s]\r\naws_access_key_id = AKIDEXAMPLE\r\naws_secret_access_key = (hidden by Lanyard)\r\n  AWS_Session_Token= (hidden by Lanyard)\nregion = eu-west-1"
        );
        let diff = "--- a/config\n+++ b/config\n@@ -1,3 +1,3 @@\n [profile s]\n-aws_secret_access_key = old-secret\n+aws_secret_access_key = new-secret\n aws_session_token = tok\n";
        let hidden = hide_secrets(diff);
        for secret in ["old-secret", "new-secret", "tok\n"] {
            assert!(!hidden.contains(secret), "{hidden}");
        }
        assert!(hidden.contains("-aws_secret_access_key = (hidden by Lanyard)\n+aws_secret_access_key = (hidden by Lanyard)\n aws_session_token = (hidden by Lanyard)\n"), "{hidden}");
        assert!(hidden.starts_with("--- a/config\n+++ b/config\n@@ -1,3 +1,3 @@\n [profile s]\n"));
    }

    #[test]
    fn only_the_secret_keys_count() {
        assert!(is_secret_key(" AWS_SECRET_ACCESS_KEY "));
        assert!(!is_secret_key("aws_access_key_id"));
        assert!(!is_secret_key("aws_secret_access_key_extra"));
        assert_eq!(
            hide_secrets("# aws_secret_access_key = x is a comment\n"),
            "# aws_secret_access_key = x is a comment\n"
        );
    }
}
