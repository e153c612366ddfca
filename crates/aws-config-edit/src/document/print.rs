//! Printing: the document's text, written in as few pieces as possible (runs of unedited
//! lines go out as one slice of the parsed text).

use std::fmt;

use super::Document;

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
            let eol = l.eol.as_str();
            let eol_in_buf =
                !l.edited && bytes.get(l.end..l.end + eol.len()) == Some(eol.as_bytes());
            match run {
                Some((start, end)) if end == l.start && eol_in_buf => {
                    run = Some((start, l.end + eol.len()));
                    continue;
                }
                _ => {}
            }
            if let Some((start, end)) = run.take() {
                w(&self.src[start..end])?;
            }
            if eol_in_buf {
                run = Some((l.start, l.end + eol.len()));
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

impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_runs(|s| f.write_str(s))
    }
}
