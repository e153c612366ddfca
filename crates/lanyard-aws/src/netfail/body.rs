//! Answers read under a size bound, and short, clean quotes of error answers and of the
//! services' messages (one line, no control or invisible characters, never a 2xx body).

use super::SNIPPET_CHARS;

/// Why an answer's body could not be had.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// The connection failed while reading it.
    Transport(reqwest::Error),
    /// It is larger than the bound (nothing past the bound was read).
    TooLarge(usize),
}

impl BodyError {
    /// The "too large" sentence.
    pub(crate) fn too_large(limit: usize) -> String {
        format!("the answer is larger than {} KiB", limit / 1024)
    }
}

/// The body of `resp`, at most `limit` bytes: a larger one is refused as soon as it is known
/// to be larger (by its `Content-Length` or by reading past the bound).
pub(crate) async fn read_limited(
    mut resp: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, BodyError> {
    if resp
        .content_length()
        .is_some_and(|n| n > u64::try_from(limit).unwrap_or(u64::MAX))
    {
        return Err(BodyError::TooLarge(limit));
    }
    let mut out = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(BodyError::Transport)? {
        if out.len().saturating_add(chunk.len()) > limit {
            return Err(BodyError::TooLarge(limit));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// Characters never quoted: controls, and the invisible ones that reorder or hide text.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// `text` on one line: control and invisible characters dropped, runs of white space made one
/// space, at most `max` characters (an ellipsis says when more was cut).
pub fn clean(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut n = 0;
    let mut gap = false;
    for c in text.chars() {
        if c.is_whitespace() || hidden(c) {
            gap = !out.is_empty() && (gap || c.is_whitespace() || c.is_control());
            continue;
        }
        if n >= max {
            out.push('…');
            return out;
        }
        if gap {
            out.push(' ');
            n += 1;
            gap = false;
        }
        out.push(c);
        n += 1;
    }
    out
}

/// A short quote of an error answer's body (never call it on a 2xx body: it may hold tokens).
pub fn snippet(body: &[u8]) -> String {
    let text = clean(&String::from_utf8_lossy(body), SNIPPET_CHARS);
    if text.is_empty() {
        "an empty body".to_owned()
    } else {
        format!("“{text}”")
    }
}

/// Why a 2xx JSON body did not parse, without quoting it: the field names of a missing or
/// unknown field, else only where the problem is.
pub(crate) fn json_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    if text.starts_with("missing field") || text.starts_with("duplicate field") {
        return clean(&text, SNIPPET_CHARS);
    }
    let what = match e.classify() {
        serde_json::error::Category::Io => "unreadable",
        serde_json::error::Category::Syntax => "not JSON",
        serde_json::error::Category::Data => "JSON of another shape",
        serde_json::error::Category::Eof => "cut short",
    };
    format!("{what} (at line {} column {})", e.line(), e.column())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_one_clean_short_line() {
        assert_eq!(clean("a\n\tb\u{202E}c\u{0}d  e", 100), "a bc d e");
        assert_eq!(clean("  lead", 100), "lead");
        let long = "x".repeat(500);
        let c = clean(&long, SNIPPET_CHARS);
        assert_eq!(c.chars().count(), SNIPPET_CHARS + 1);
        assert!(c.ends_with('…'));
        assert_eq!(snippet(b""), "an empty body");
        assert_eq!(
            snippet(b"<html>\r\n<b>Bad Gateway</b>"),
            "“<html> <b>Bad Gateway</b>”"
        );
        assert_eq!(snippet(&[0xff, b'a']), "“\u{FFFD}a”");
    }
}
