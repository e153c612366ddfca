//! What an edit may write: keys, sub-keys, values and section names are checked before
//! anything changes, so that each reads back as itself and no other line reads differently.

use super::EditError;
use crate::document::header_name;
use crate::text::{is_py_space, py_strip};

fn check_no_line_break(what: &'static str, text: &str) -> Result<(), EditError> {
    if text.contains(['\r', '\n']) {
        return Err(EditError::LineBreak {
            what,
            text: text.to_owned(),
        });
    }
    Ok(())
}

pub(super) fn check_key(key: &str, sub: bool) -> Result<(), EditError> {
    check_no_line_break(if sub { "sub-key" } else { "key" }, key)?;
    let bad = |why| Err(EditError::InvalidKey(key.to_owned(), why));
    if key.is_empty() {
        return bad("it is empty");
    }
    if key.starts_with(is_py_space) || key.ends_with(is_py_space) {
        return bad("it starts or ends with whitespace");
    }
    if key.starts_with(['#', ';']) {
        return bad("a line starting with # or ; is a comment");
    }
    if !sub && key.starts_with('[') {
        return bad("a line starting with [ is a section header");
    }
    if key.contains('=') || (!sub && key.contains(':')) {
        return bad("it contains the delimiter = or :");
    }
    Ok(())
}

pub(super) fn check_value(value: &str) -> Result<(), EditError> {
    check_no_line_break("value", value)?;
    if value.starts_with(is_py_space) || value.ends_with(is_py_space) {
        return Err(EditError::InvalidValue(
            value.to_owned(),
            "leading or trailing whitespace is stripped by the AWS CLI",
        ));
    }
    Ok(())
}

pub(super) fn check_section_name(name: &str) -> Result<(), EditError> {
    check_no_line_break("section name", name)?;
    let line = format!("[{name}]");
    if header_name(py_strip(&line)) != Some(name) {
        return Err(EditError::InvalidSectionName(
            name.to_owned(),
            "it would not read back as the same name",
        ));
    }
    Ok(())
}
