//! Lossless model of the AWS config and credentials file format: parse any file, read its
//! sections and keys exactly as the AWS CLI's parser (Python's `configparser`, used by
//! botocore) sees them, edit, and print — with every byte that was not edited unchanged.
//!
//! No I/O happens here: the caller reads and writes files (lanyard-core does, atomically).
//!
//! ```
//! use aws_config_edit::Document;
//!
//! let text = "# my notes\n[profile dev]\nregion = us-east-1 # keep\n";
//! let mut doc = Document::parse(text);
//! assert_eq!(doc.to_string(), text); // unedited: the same bytes
//! let dev = doc.find_section("profile dev").unwrap();
//! doc.set_value(dev, "output", "json").unwrap();
//! assert_eq!(doc.to_string(), "# my notes\n[profile dev]\nregion = us-east-1 # keep\noutput = json\n");
//! ```
//!
//! # What a line is
//!
//! The structure follows `RawConfigParser._read`: a line whose first non-blank character is `#`
//! or `;` is a comment (indented or not; there are no inline comments, so `a = b # c` has the
//! value `b # c`); `[name]` is a header (the name is what lies between the first `[` and the
//! last `]`, unstripped); `key = value` or `key: value` is a key (the key is lower-cased when
//! compared); a line indented deeper than the key line above it continues that key's value; a
//! key whose value is empty and continued (`s3 =` then indented `k = v` lines) is a nested
//! block. Blank lines and comments inside a value do not end it.
//!
//! # Limitations
//!
//! - Text must be UTF-8 ([`Document::parse_bytes`] reports the line of the first bad byte);
//!   botocore refuses other encodings too. A UTF-8 byte-order mark is kept.
//! - Lines are broken at `\r\n`, `\n` and a lone `\r` (Python's universal newlines); each
//!   line keeps its own ending. New lines use the file's first line ending (`\n` if none).
//! - An edited key line keeps its indentation, key spelling and spacing, but its old value is
//!   replaced whole: text after the value that botocore counts as part of it (such as
//!   `# note`) goes with it. Setting a key that had continuation lines removes them, and any
//!   comment lines between them.
//! - Removing a section also removes the comment lines directly above its header (they are
//!   taken to describe it) and the blank lines after it; comments separated from the header by
//!   a blank line stay.
//! - Files the AWS CLI refuses (duplicate sections or keys, text before the first section,
//!   lines without `=`) parse and print losslessly, and can be edited, but what the edit means
//!   there is only what this crate's structure says; lanyard-core refuses to save them.
//! - Keys are matched case-insensitively (botocore lower-cases them); sub-keys of nested
//!   blocks exactly (botocore does not). With duplicate keys, edits act on the first.
//! - Sections are addressed by index (see [`Document::sections`]); mapping profile names to
//!   headers (`[profile x]`, `[default]`, quoting) is the caller's job.

mod document;
mod edit;
pub mod text;

pub use document::{Document, Entry, LineKind, Newline, Section, SubEntry, Utf8Error, Version};
pub use edit::EditError;
