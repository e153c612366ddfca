//! Validation: every reason botocore refuses a file, the SSO rules of the AWS CLI's credential
//! and token providers in their own wording (PROTOCOL.md §5), the values Lanyard refuses to
//! write (start URL, region, account id, output: errors, see [`super::values`]), and warnings
//! for what reads differently than it looks. Each finding has a stable `code` and names file, line, section
//! and key.

use std::borrow::Cow;
use std::path::Path;

use aws_config_edit::text::is_py_space;
use aws_config_edit::Document;
use serde::Serialize;

use super::values;
use super::view::{self, ConfigView, IgnoredReason, SectionView, Settings, Value};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// botocore refuses the file, or the AWS CLI fails for the profile.
    Error,
    /// It works, but not the way it looks.
    Warning,
}

/// One validation finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Finding {
    /// Stable machine code.
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// The file's path.
    pub file: String,
    /// 1-based line, when the finding is about one line.
    pub line: Option<usize>,
    /// The section's header text as written (`profile dev`, `sso-session corp`, `default`).
    pub section: Option<String>,
    /// The key, when the finding is about one key.
    pub key: Option<String>,
    /// What is wrong, for a person (botocore's wording for the SSO rules).
    pub message: String,
}

struct Sink<'a> {
    file: &'a str,
    out: Vec<Finding>,
}

impl Sink<'_> {
    fn push(
        &mut self,
        code: &'static str,
        severity: Severity,
        line: Option<usize>,
        section: Option<&str>,
        key: Option<&str>,
        message: String,
    ) {
        self.out.push(Finding {
            code,
            severity,
            file: self.file.to_owned(),
            line,
            section: section.map(str::to_owned),
            key: key.map(str::to_owned),
            message,
        });
    }
}

/// Checks a document read from `file`. Findings are in line order; errors first on equal lines.
pub fn validate(doc: &Document, file: &Path) -> Vec<Finding> {
    Validation::of(doc, file).findings
}

/// A validation of a document: the reasons botocore refuses it, and every finding (those
/// reasons included, as errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validation {
    /// Why botocore refuses the file; empty when it reads it.
    pub problems: Vec<view::ParseProblem>,
    /// Every finding, as [`validate`] returns them.
    pub findings: Vec<Finding>,
}

impl Validation {
    /// Validates a document read from `file`.
    pub fn of(doc: &Document, file: &Path) -> Validation {
        let file = file.display().to_string();
        let mut sink = Sink {
            file: &file,
            out: Vec::new(),
        };
        let headers = view::Headers::of(doc);
        let problems = view::parse_problems_with(doc, &headers);
        for p in &problems {
            sink.push(
                p.code,
                Severity::Error,
                Some(p.line),
                p.section.as_deref(),
                p.key.as_deref(),
                p.message.clone(),
            );
        }
        surprises_in_lines(doc, &mut sink);
        let view = view::read_lenient_with(doc, &headers);
        sections(&view, &mut sink);
        let mut mine = Vec::new();
        for profile in view.profiles.iter() {
            mine.clear();
            mine.extend(profile.1.settings.plain());
            sso_rules(&view, profile, &mine, &mut sink);
            services_rule(&view, profile, &mine, &mut sink);
        }
        for (_, s) in view
            .profiles
            .iter()
            .chain(&view.sso_sessions)
            .chain(&view.services)
        {
            formats(s, &mut sink);
        }
        sink.out
            .sort_by_key(|f| (f.line.unwrap_or(0), matches!(f.severity, Severity::Warning)));
        sink.out.dedup();
        Validation {
            problems,
            findings: sink.out,
        }
    }
}

/// The findings of `after` (a validation of an edited document) that `before` (of the same
/// document before the edit) does not have, in order. Findings are matched by code,
/// severity, section, key and message, each as many times as it occurs; line numbers (the
/// line of the finding and any "line N" in its message) are left out, since an edit moves
/// the lines after it.
pub fn new_findings<'f>(before: &[Finding], after: &'f [Finding]) -> Vec<&'f Finding> {
    type Identity<'x> = (&'static str, bool, Option<&'x str>, Option<&'x str>, String);
    fn identity(f: &Finding) -> Identity<'_> {
        (
            f.code,
            f.severity == Severity::Error,
            f.section.as_deref(),
            f.key.as_deref(),
            without_line_numbers(&f.message),
        )
    }
    let mut counts: std::collections::HashMap<Identity<'_>, usize, foldhash::fast::RandomState> =
        std::collections::HashMap::default();
    for f in before {
        *counts.entry(identity(f)).or_insert(0) += 1;
    }
    after
        .iter()
        .filter(|f| match counts.get_mut(&identity(f)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .collect()
}

/// `message` with every `line <digits>` written `line #`.
fn without_line_numbers(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find("line ") {
        let (head, tail) = rest.split_at(i + "line ".len());
        out.push_str(head);
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            out.push('#');
        }
        rest = &tail[digits..];
    }
    out.push_str(rest);
    out
}

/// Indented keys swallowed into the previous value, and `#`/`;` that are not comments.
fn surprises_in_lines(doc: &Document, sink: &mut Sink<'_>) {
    for section in doc.sections() {
        for entry in section.entries() {
            if !entry.is_nested() {
                for line in entry.continuation_lines() {
                    let text = doc.line_text(line).unwrap_or_default().trim();
                    if let Some(d) = text.find(['=', ':']) {
                        let k = text[..d].trim();
                        if !k.is_empty() && !k.contains(char::is_whitespace) {
                            sink.push(
                                "indented_key_in_value",
                                Severity::Warning,
                                Some(line),
                                Some(section.name()),
                                Some(entry.key()),
                                format!(
                                    "this indented line is read as part of the value of {} \
                                     (line {}), not as a key {k:?} of its own; remove the \
                                     indentation to make it a key",
                                    entry.key(),
                                    entry.line()
                                ),
                            );
                        }
                    }
                }
            }
            let value = entry.value();
            let has_inline_comment = value.bytes().any(|b| b == b'#' || b == b';')
                && value
                    .char_indices()
                    .any(|(i, c)| (c == '#' || c == ';') && value[..i].ends_with(is_py_space));
            if has_inline_comment && !entry.is_nested() {
                sink.push(
                    "inline_comment_in_value",
                    Severity::Warning,
                    Some(entry.line()),
                    Some(section.name()),
                    Some(entry.key()),
                    format!(
                        "the AWS CLI reads {} as the whole value of {}: \"#\" and \";\" \
                         start a comment only at the beginning of a line",
                        if super::secrets::is_secret_key(entry.key()) {
                            super::secrets::HIDDEN.to_owned()
                        } else {
                            format!("{value:?}")
                        },
                        entry.key()
                    ),
                );
            }
        }
    }
    if doc.sections().iter().any(|s| s.name() == "DEFAULT") {
        for s in doc.sections().iter().filter(|s| s.name() == "DEFAULT") {
            sink.push(
                "defaults_section",
                Severity::Warning,
                Some(s.line()),
                Some(s.name()),
                None,
                "the AWS CLI's parser adds every key of [DEFAULT] to every other section \
                 (profiles, sso-sessions, services)"
                    .to_owned(),
            );
        }
    }
}

/// Sections botocore drops or replaces, and sections that look like profiles but are not.
fn sections(view: &ConfigView<'_>, sink: &mut Sink<'_>) {
    for ig in &view.ignored {
        match &ig.reason {
            IgnoredReason::Dropped(why) => sink.push(
                "ignored_section",
                Severity::Warning,
                Some(ig.line),
                Some(ig.header),
                None,
                format!("the AWS CLI ignores [{}]: {why}", ig.header),
            ),
            IgnoredReason::Reserved => sink.push(
                "ignored_section",
                Severity::Warning,
                Some(ig.line),
                Some(ig.header),
                None,
                format!("the AWS CLI ignores [{}]: the name is reserved", ig.header),
            ),
            IgnoredReason::Replaced { by_header, by_line } => {
                let both_defaults = [ig.header, *by_header].contains(&"default");
                sink.push(
                    if both_defaults {
                        "default_and_profile_default"
                    } else {
                        "section_replaced"
                    },
                    Severity::Warning,
                    Some(ig.line),
                    Some(ig.header),
                    None,
                    format!(
                        "[{}] is ignored: [{by_header}] on line {by_line} names the same \
                         profile, comes later and replaces it wholesale",
                        ig.header
                    ),
                );
            }
        }
    }
    for s in view.other.values() {
        let t = s.header.trim().to_lowercase();
        if t == "default"
            || ["profile", "sso-session", "services"]
                .iter()
                .any(|p| t.starts_with(p))
        {
            sink.push(
                "ignored_section",
                Severity::Warning,
                Some(s.line),
                Some(s.header),
                None,
                format!(
                    "[{}] is not read as a profile, sso-session or services section: the AWS \
                     CLI matches these names exactly (case and spaces included)",
                    s.header
                ),
            );
        }
    }
}

/// A key as most checks need it: the key, its plain value (`None` for a nested block), its
/// line.
type Plain<'a> = (&'a str, Option<&'a str>, usize);

/// The SSO credential provider's and token provider's checks (botocore `credentials.py`
/// `SSOProvider._load_sso_config`, `tokens.py` `SSOTokenProvider._load_sso_config`). `mine`
/// holds the profile's keys.
fn sso_rules<'a>(
    view: &ConfigView<'a>,
    (name, p): (&Cow<'a, str>, &SectionView<'a>),
    mine: &[Plain<'a>],
    sink: &mut Sink<'_>,
) {
    let find = |k: &str| mine.iter().find(|x| x.0 == k);
    let has = |k: &str| find(k).is_some();
    // A nested sso_session names no session (botocore looks up "").
    let session_name = find("sso_session").map(|x| (x.1.unwrap_or(""), x.2));
    if has("sso_role_name") || has("sso_account_id") {
        // Resolved keys: the profile's, then the session's it does not have.
        let mut session_keys: Option<&SectionView<'_>> = None;
        let mut required: &[&str] = &[
            "sso_role_name",
            "sso_account_id",
            "sso_start_url",
            "sso_region",
        ];
        if let Some((sname, sline)) = session_name {
            let Some(session) = view.sso_sessions.get(sname) else {
                sink.push(
                    "sso_session_not_found",
                    Severity::Error,
                    Some(sline),
                    Some(p.header),
                    Some("sso_session"),
                    format!("The specified sso-session does not exist: \"{sname}\""),
                );
                return;
            };
            for (k, theirs, _) in session.settings.plain() {
                let Some(&(_, own, line)) = find(k) else {
                    continue;
                };
                let differ = match (own, theirs) {
                    (Some(a), Some(b)) => a != b,
                    // A nested block on either side: compare the whole values.
                    _ => {
                        p.settings.get(k).map(|s| s.value)
                            != session.settings.get(k).map(|s| s.value)
                    }
                };
                if differ {
                    let show =
                        |s: &Settings<'_>| s.get(k).map_or(String::new(), |s| py_str(&s.value));
                    sink.push(
                        "sso_inconsistent_value",
                        Severity::Error,
                        Some(line),
                        Some(p.header),
                        Some(k),
                        format!(
                            "The value for {k} is inconsistent between profile ({}) and \
                             sso-session ({}).",
                            show(&p.settings),
                            show(&session.settings)
                        ),
                    );
                }
            }
            session_keys = Some(session);
            required = &[
                "sso_role_name",
                "sso_account_id",
                "sso_start_url",
                "sso_region",
                "sso_session",
            ];
        }
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|k| !has(k) && !session_keys.is_some_and(|s| s.settings.contains_key(k)))
            .collect();
        if !missing.is_empty() {
            sink.push(
                "sso_missing_config",
                Severity::Error,
                Some(p.line),
                Some(p.header),
                None,
                format!(
                    "The profile \"{name}\" is configured to use SSO but is missing required \
                     configuration: {}",
                    missing.join(", ")
                ),
            );
        }
    } else if let Some((sname, sline)) = session_name {
        match view
            .sso_sessions
            .get(sname)
            .filter(|s| !s.settings.is_empty())
        {
            None => sink.push(
                "sso_session_not_found",
                Severity::Error,
                Some(sline),
                Some(p.header),
                Some("sso_session"),
                format!(
                    "The profile \"{name}\" is configured to use the SSO token provider but the \
                     \"{sname}\" sso_session configuration does not exist."
                ),
            ),
            Some(session) => {
                let missing: Vec<String> = ["sso_start_url", "sso_region"]
                    .iter()
                    .filter(|k| !session.settings.contains_key(k))
                    .map(|k| format!("'{k}'"))
                    .collect();
                if !missing.is_empty() {
                    sink.push(
                        "sso_missing_config",
                        Severity::Error,
                        Some(p.line),
                        Some(p.header),
                        None,
                        format!(
                            "The profile \"{name}\" is configured to use the SSO token provider \
                             but is missing the following configuration: [{}].",
                            missing.join(", ")
                        ),
                    );
                }
            }
        }
    }
}

/// How Python prints a value inside the inconsistency message.
pub(crate) fn py_str(v: &Value<'_>) -> String {
    match v {
        Value::Str(s) => (*s).to_owned(),
        Value::Nested(m) => {
            let items: Vec<String> = m.iter().map(|(k, v)| format!("'{k}': '{v}'")).collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

/// `services = NAME` must name a `[services NAME]` section (botocore configprovider).
fn services_rule(
    view: &ConfigView<'_>,
    (_, p): (&Cow<'_, str>, &SectionView<'_>),
    mine: &[Plain<'_>],
    sink: &mut Sink<'_>,
) {
    if let Some(&(_, Some(name), line)) = mine.iter().find(|x| x.0 == "services") {
        if !view.services.contains_key(name) {
            sink.push(
                "services_not_found",
                Severity::Error,
                Some(line),
                Some(p.header),
                Some("services"),
                format!(
                    "The profile is configured to use the services section but the \"{name}\" \
                     services configuration does not exist."
                ),
            );
        }
    }
}

/// Account ids, region names, start URLs and output formats that will not work: the values
/// Lanyard refuses to write ([`super::values`]) are errors, in the words of the refusal; a
/// region botocore accepts that does not look like one (`Tokyo`) is a warning.
fn formats(s: &SectionView<'_>, sink: &mut Sink<'_>) {
    for (key, value, line) in s.settings.plain() {
        let Some(v) = value else {
            continue;
        };
        let line = Some(line);
        let refused = match key {
            "sso_account_id" | "aws_account_id" | "lanyard_account_id" | "sso_region"
            | "region" | "sso_start_url" | "output" => {
                values::check_key(key, v, values::Outputs::Known).err()
            }
            _ => None,
        };
        if let Some(e) = refused {
            sink.push(
                e.code(),
                Severity::Error,
                line,
                Some(s.header),
                Some(key),
                e.to_string(),
            );
            continue;
        }
        match key {
            "region" | "sso_region" if !is_region_name(v) => {
                sink.push(
                    "region_format",
                    Severity::Warning,
                    line,
                    Some(s.header),
                    Some(key),
                    format!(
                        "{key} {v:?} does not look like an AWS region name (such as \
                             us-east-1 or eu-central-1)"
                    ),
                );
            }
            "sso_use_device_code"
                if !v.eq_ignore_ascii_case("true") && !v.eq_ignore_ascii_case("false") =>
            {
                sink.push(
                    "use_device_code_format",
                    Severity::Warning,
                    line,
                    Some(s.header),
                    Some(key),
                    format!(
                        "sso_use_device_code {v:?} is neither true nor false; it is read as \
                         false (sign-in uses the browser)"
                    ),
                );
            }
            _ => {}
        }
    }
}

/// The shape of every AWS partition's region names (`endpoints.json` regionRegex, merged):
/// lower-case letter groups joined by `-`, ending in `-<digits>`, e.g. `us-gov-west-1`.
pub fn is_region_name(v: &str) -> bool {
    let Some((head, last)) = v.rsplit_once('-') else {
        return false;
    };
    if last.is_empty() || !last.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let mut parts = 0;
    for p in head.split('-') {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_lowercase()) || (parts == 0 && p.len() < 2)
        {
            return false;
        }
        parts += 1;
    }
    parts >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_findings_leave_out_line_numbers_and_count_repeats() {
        let doc = |t: &str| validate(&Document::parse(t), Path::new("/c"));
        let before = doc("[profile a]\nregion = useast1\n[profile a]\nx = 1\n[profile b]\n");
        let after = doc("# moved\n[profile a]\nregion = useast1\n[profile a]\nx = 1\n[profile b]\nregion = bad\n");
        let new = new_findings(&before, &after);
        assert_eq!(new.len(), 1, "{new:#?}");
        assert_eq!((new[0].code, new[0].line), ("region_format", Some(7)));
        assert_eq!(
            without_line_numbers("on line 12, line x, line 3"),
            "on line #, line x, line #"
        );
    }
}
