//! Character-level rules shared by the parser and the editor: what counts as whitespace and
//! as a line break for Python (whose `configparser` is what the AWS CLI reads files with), and
//! how a file is cut into lines without losing a byte.

/// Whitespace as Python's `str.isspace()` / `str.strip()` / regex `\s` see it: Unicode
/// `White_Space` plus the four ASCII separators U+001C..U+001F that Rust does not count.
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `s.strip()` as Python does it.
pub fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// `s.rstrip()` as Python does it.
pub fn py_rstrip(s: &str) -> &str {
    s.trim_end_matches(is_py_space)
}

/// `s.splitlines()` as Python does it (the line boundaries of `str.splitlines`, which are more
/// than a file reader's: vertical tab, form feed, the file/group/record separators, NEL and the
/// Unicode line and paragraph separators also split).
pub fn py_splitlines(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let is_break = matches!(
            c,
            '\n' | '\r'
                | '\u{0b}'
                | '\u{0c}'
                | '\u{1c}'
                | '\u{1d}'
                | '\u{1e}'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if !is_break {
            continue;
        }
        out.push(&s[start..i]);
        let mut next = i + c.len_utf8();
        if c == '\r' {
            if let Some(&(j, '\n')) = chars.peek() {
                chars.next();
                next = j + 1;
            }
        }
        start = next;
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// How a line ends in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Eol {
    /// The last line of a file with no final line break.
    None,
    /// `\n`
    Lf,
    /// `\r\n`
    CrLf,
    /// A lone `\r` (old Mac style; Python's universal newlines read it as a line break).
    Cr,
}

impl Eol {
    /// The bytes of this line ending.
    pub fn as_str(self) -> &'static str {
        match self {
            Eol::None => "",
            Eol::Lf => "\n",
            Eol::CrLf => "\r\n",
            Eol::Cr => "\r",
        }
    }
}

/// Splits text into `(line, ending)` pairs exactly as Python's universal-newline reader
/// breaks lines (`\r\n`, `\r`, `\n`); concatenating them gives back the input.
pub fn split_lines(s: &str) -> Vec<(&str, Eol)> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push((&s[start..i], Eol::Lf));
                i += 1;
                start = i;
            }
            b'\r' => {
                if bytes.get(i + 1) == Some(&b'\n') {
                    out.push((&s[start..i], Eol::CrLf));
                    i += 2;
                } else {
                    out.push((&s[start..i], Eol::Cr));
                    i += 1;
                }
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < bytes.len() {
        out.push((&s[start..], Eol::None));
    }
    out
}

/// The number of leading whitespace characters (Python's indentation measure: a tab counts 1).
pub fn indent_chars(s: &str) -> usize {
    s.chars().take_while(|&c| is_py_space(c)).count()
}

/// The leading whitespace of a line, as written.
pub fn indent_str(s: &str) -> &str {
    let trimmed = s.trim_start_matches(is_py_space);
    &s[..s.len() - trimmed.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_lines_keeps_every_byte() {
        for s in ["", "a", "a\n", "a\r\nb", "a\rb\r", "\n\n", "x\r\n\r\n"] {
            let joined: String = split_lines(s)
                .iter()
                .map(|(l, e)| format!("{l}{}", e.as_str()))
                .collect();
            assert_eq!(joined, s);
        }
        assert_eq!(split_lines("a\rb").len(), 2);
    }

    #[test]
    fn python_whitespace_includes_ascii_separators() {
        assert_eq!(py_strip("\u{1f} a \u{a0}"), "a");
        assert_eq!(py_splitlines("a\u{0c}b\r\nc"), vec!["a", "b", "c"]);
        assert_eq!(py_splitlines("\nx\n"), vec!["", "x"]);
    }
}
