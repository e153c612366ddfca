//! Printing: the document's text, written in as few pieces as possible (runs of unedited
//! lines go out as one slice of the parsed text).

use std::fmt;

use super::Document;
use crate::text::Eol;

impl Document {
    /// The whole text, as [`Display`](fmt::Display) prints it, built in one go.
    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity(self.src.len() + self.edits.len());
        self.write_runs(|s| {
            out.push_str(s);
            Ok(())
        })
        .unwrap_or_default();
        out
    }

    /// Calls `w` with the text in as few pieces as it can: lines that follow each other in the
    /// parsed text, with their line breaks there, go out as one piece.
    fn write_runs(&self, mut w: impl FnMut(&str) -> fmt::Result) -> fmt::Result {
        if self.bom {
            w("\u{feff}")?;
        }
        let bytes = self.src.as_bytes();
        let mut run: Option<(usize, usize)> = None;
        for l in &self.lines {
            let (l_start, l_end, l_eol) = (l.start(), l.end(), l.eol());
            let eol = l_eol.as_str();
            let eol_in_buf = !l.edited() && eol_follows(bytes, l_end, l_eol);
            match run {
                Some((start, end)) if end == l_start && eol_in_buf => {
                    run = Some((start, l_end + eol.len()));
                    continue;
                }
                _ => {}
            }
            if let Some((start, end)) = run.take() {
                w(&self.src[start..end])?;
            }
            if eol_in_buf {
                run = Some((l_start, l_end + eol.len()));
            } else {
                w(self.span(l))?;
                w(eol)?;
            }
        }
        if let Some((start, end)) = run {
            w(&self.src[start..end])?;
        }
        Ok(())
    }
}

/// Whether the bytes at `at` are the line break `eol` (no call to `memcmp` for one or two
/// bytes: this runs once per line).
#[inline]
fn eol_follows(bytes: &[u8], at: usize, eol: Eol) -> bool {
    match eol {
        Eol::None => at <= bytes.len(),
        Eol::Lf => bytes.get(at) == Some(&b'\n'),
        Eol::Cr => bytes.get(at) == Some(&b'\r'),
        Eol::CrLf => bytes.get(at) == Some(&b'\r') && bytes.get(at + 1) == Some(&b'\n'),
    }
}

impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_runs(|s| f.write_str(s))
    }
}
