//! Character-level rules shared by the parser and the editor: what counts as whitespace and
//! as a line break for Python (whose `configparser` is what the AWS CLI reads files with), and
//! how a file is cut into lines without losing a byte.

/// Whitespace as Python's `str.isspace()` / `str.strip()` / regex `\s` see it: Unicode
/// `White_Space` plus the four ASCII separators U+001C..U+001F that Rust does not count.
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// [`is_py_space`] for one byte of ASCII text (a byte below 0x80).
#[inline]
pub(crate) fn is_ascii_py_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ' | 0x1c..=0x1f)
}

/// `s.strip()` as Python does it.
#[inline]
pub fn py_strip(s: &str) -> &str {
    py_rstrip(py_lstrip(s))
}

/// `s.lstrip()` as Python does it.
#[inline]
pub fn py_lstrip(s: &str) -> &str {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && is_ascii_py_space(b[i]) {
        i += 1;
    }
    if i < b.len() && !b[i].is_ascii() {
        // A non-ASCII character may be Unicode whitespace: the general rule decides.
        return s[i..].trim_start_matches(is_py_space);
    }
    &s[i..]
}

/// `s.rstrip()` as Python does it.
#[inline]
pub fn py_rstrip(s: &str) -> &str {
    let b = s.as_bytes();
    let mut j = b.len();
    while j > 0 && is_ascii_py_space(b[j - 1]) {
        j -= 1;
    }
    if j > 0 && !b[j - 1].is_ascii() {
        return s[..j].trim_end_matches(is_py_space);
    }
    &s[..j]
}

/// `s.splitlines()` as Python does it (the line boundaries of `str.splitlines`, which are more
/// than a file reader's: vertical tab, form feed, the file/group/record separators, NEL and the
/// Unicode line and paragraph separators also split).
pub fn py_splitlines(s: &str) -> Vec<&str> {
    py_splitlines_iter(s).collect()
}

/// [`py_splitlines`] without collecting: the parts one by one.
pub fn py_splitlines_iter(s: &str) -> impl Iterator<Item = &str> {
    PySplitLines { s, pos: 0 }
}

struct PySplitLines<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Iterator for PySplitLines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.s.get(self.pos..).filter(|r| !r.is_empty())?;
        for (i, c) in rest.char_indices() {
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
            if is_break {
                let mut next = i + c.len_utf8();
                if c == '\r' && rest[next..].starts_with('\n') {
                    next += 1;
                }
                self.pos += next;
                return Some(&rest[..i]);
            }
        }
        self.pos = self.s.len();
        Some(rest)
    }
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
    let mut out = Vec::new();
    for_each_line(s, |start, end, eol| out.push((&s[start..end], eol)));
    out
}

/// Calls `f(start, end, ending)` for each line of `s` (byte offsets of the line's text,
/// without its ending), breaking lines as [`split_lines`] does.
pub(crate) fn for_each_line(s: &str, mut f: impl FnMut(usize, usize, Eol)) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if i < start {
            // The `\n` of a `\r\n` already taken.
            continue;
        }
        if bytes[i] == b'\n' {
            f(start, i, Eol::Lf);
            start = i + 1;
        } else if bytes.get(i + 1) == Some(&b'\n') {
            f(start, i, Eol::CrLf);
            start = i + 2;
        } else {
            f(start, i, Eol::Cr);
            start = i + 1;
        }
    }
    if start < bytes.len() {
        f(start, bytes.len(), Eol::None);
    }
}

/// The number of leading whitespace characters (Python's indentation measure: a tab counts 1).
pub fn indent_chars(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && is_ascii_py_space(b[i]) {
        i += 1;
    }
    if i < b.len() && !b[i].is_ascii() {
        return i + s[i..].chars().take_while(|&c| is_py_space(c)).count();
    }
    i
}

/// The leading whitespace of a line, as written.
pub fn indent_str(s: &str) -> &str {
    let trimmed = py_lstrip(s);
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
        assert_eq!(
            py_splitlines("a\r\n\r\u{2028}b\u{85}"),
            vec!["a", "", "", "b"]
        );
        assert_eq!(py_splitlines(""), Vec::<&str>::new());
    }
}
