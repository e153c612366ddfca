//! Python's `shlex.split` (POSIX mode) and `shlex.quote`, which botocore and the AWS CLI use to
//! read and write section names such as `[profile "team alpha"]`.

/// Why a name could not be split (Python raises `ValueError` with these messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ShlexError {
    NoClosingQuotation,
    NoEscapedCharacter,
}

impl std::fmt::Display for ShlexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ShlexError::NoClosingQuotation => "No closing quotation",
            ShlexError::NoEscapedCharacter => "No escaped character",
        })
    }
}

pub(crate) fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// `shlex.split(s)`: whitespace-separated words, `'…'` literal, `"…"` with `\"` and `\\`
/// escapes, `\x` outside quotes escaping any character; an empty quoted word is a word.
pub(crate) fn split(s: &str) -> Result<Vec<String>, ShlexError> {
    let mut words = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|&c| is_ws(c)) {
            chars.next();
        }
        if chars.peek().is_none() {
            return Ok(words);
        }
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            if is_ws(c) {
                break;
            }
            chars.next();
            match c {
                '\'' => loop {
                    match chars.next() {
                        None => return Err(ShlexError::NoClosingQuotation),
                        Some('\'') => break,
                        Some(x) => word.push(x),
                    }
                },
                '"' => loop {
                    match chars.next() {
                        None => return Err(ShlexError::NoClosingQuotation),
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            None => return Err(ShlexError::NoClosingQuotation),
                            Some(x @ ('"' | '\\')) => word.push(x),
                            Some(x) => {
                                word.push('\\');
                                word.push(x);
                            }
                        },
                        Some(x) => word.push(x),
                    }
                },
                '\\' => match chars.next() {
                    None => return Err(ShlexError::NoEscapedCharacter),
                    Some(x) => word.push(x),
                },
                x => word.push(x),
            }
        }
        words.push(word);
    }
}

/// The words of `s` when `shlex.split(s)` would return them as written (no quote and no
/// backslash in `s`): borrowed, without allocating. `None` when `s` needs the full rules.
pub(crate) fn split_plain(s: &str) -> Option<impl Iterator<Item = &str>> {
    if s.bytes().any(|b| matches!(b, b'\'' | b'"' | b'\\')) {
        return None;
    }
    Some(s.split(is_ws).filter(|w| !w.is_empty()))
}

/// `shlex.quote(s)`: `s` unchanged when it holds only `[A-Za-z0-9_@%+=:,./-]`, otherwise in
/// single quotes with `'` written as `'"'"'`.
pub(crate) fn quote(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        return s.to_owned();
    }
    format!("'{}'", s.replace('\'', "'\"'\"'"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_python() {
        assert_eq!(split("profile   spaced  ").unwrap(), ["profile", "spaced"]);
        assert_eq!(
            split("profile \"team alpha\"").unwrap(),
            ["profile", "team alpha"]
        );
        assert_eq!(split("profile 'a b'c").unwrap(), ["profile", "a bc"]);
        assert_eq!(
            split("profile \"a\\\"b\\x\"").unwrap(),
            ["profile", "a\"b\\x"]
        );
        assert_eq!(split("profile a\\ b").unwrap(), ["profile", "a b"]);
        assert_eq!(split("profile ''").unwrap(), ["profile", ""]);
        assert_eq!(split("profileless").unwrap(), ["profileless"]);
        assert_eq!(split("profile \"x"), Err(ShlexError::NoClosingQuotation));
        assert_eq!(split("profile x\\"), Err(ShlexError::NoEscapedCharacter));
    }

    #[test]
    fn plain_split_agrees_with_split() {
        for s in [
            "profile   spaced  ",
            "profile a b",
            "profileless",
            "",
            " \t\r\n",
            "p x\u{a0}y",
        ] {
            let plain: Vec<&str> = split_plain(s).unwrap().collect();
            assert_eq!(plain, split(s).unwrap(), "{s:?}");
        }
        assert!(split_plain("profile 'a b'").is_none());
    }

    #[test]
    fn quote_round_trips() {
        for s in ["plain", "team alpha", "it's", "", "a\"b", "測試"] {
            let q = quote(s);
            assert_eq!(split(&q).unwrap(), [s], "{q}");
        }
        assert_eq!(quote("team alpha"), "'team alpha'");
    }
}
