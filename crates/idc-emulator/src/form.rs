//! Form-encoded text (`application/x-www-form-urlencoded`): query strings and form bodies, as
//! every endpoint reads its parameters.

use std::collections::HashMap;

/// Parses an `application/x-www-form-urlencoded` string; the first value of a key wins.
pub(crate) fn parse_form(s: &[u8]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for (k, v) in form_urlencoded::parse(s) {
        out.entry(k.into_owned()).or_insert_with(|| v.into_owned());
    }
    out
}
