//! Validation: every reason botocore refuses a file, the SSO rules of the AWS CLI's credential
//! and token providers in their own wording (PROTOCOL.md §5), and warnings for what reads
//! differently than it looks. Each finding has a stable `code` and names file, line, section
//! and key.

use std::path::Path;

use aws_config_edit::text::is_py_space;
use aws_config_edit::Document;
use serde::Serialize;

use super::view::{self, ConfigView, IgnoredReason, SectionView, Value};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// botocore refuses the file, or the AWS CLI fails for the profile.
    Error,
    /// It works, but not the way it looks.
    Warning,
}

/// One validation finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    let file = file.display().to_string();
    let mut sink = Sink {
        file: &file,
        out: Vec::new(),
    };
    let problems = view::parse_problems(doc);
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
    let view = view::read_lenient(doc);
    sections(&view, &mut sink);
    for profile in view.profiles.iter() {
        sso_rules(&view, profile, &mut sink);
        services_rule(&view, profile, &mut sink);
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
    sink.out
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
            let has_inline_comment = value
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
                        "the AWS CLI reads {value:?} as the whole value of {}: \"#\" and \";\" \
                         start a comment only at the beginning of a line",
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
fn sections(view: &ConfigView, sink: &mut Sink<'_>) {
    for ig in &view.ignored {
        match &ig.reason {
            IgnoredReason::Dropped(why) => sink.push(
                "ignored_section",
                Severity::Warning,
                Some(ig.line),
                Some(&ig.header),
                None,
                format!("the AWS CLI ignores [{}]: {why}", ig.header),
            ),
            IgnoredReason::Reserved => sink.push(
                "ignored_section",
                Severity::Warning,
                Some(ig.line),
                Some(&ig.header),
                None,
                format!("the AWS CLI ignores [{}]: the name is reserved", ig.header),
            ),
            IgnoredReason::Replaced { by_header, by_line } => {
                let both_defaults = [ig.header.as_str(), by_header.as_str()].contains(&"default");
                sink.push(
                    if both_defaults {
                        "default_and_profile_default"
                    } else {
                        "section_replaced"
                    },
                    Severity::Warning,
                    Some(ig.line),
                    Some(&ig.header),
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
                Some(&s.header),
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

fn key_line(s: &SectionView, key: &str) -> usize {
    s.settings.get(key).map_or(s.line, |x| x.line)
}

/// The SSO credential provider's and token provider's checks (botocore `credentials.py`
/// `SSOProvider._load_sso_config`, `tokens.py` `SSOTokenProvider._load_sso_config`).
fn sso_rules(view: &ConfigView, (name, p): (&String, &SectionView), sink: &mut Sink<'_>) {
    let has = |k: &str| p.settings.contains_key(k);
    let session_name = p.settings.get("sso_session").map(|s| &s.value);
    if has("sso_role_name") || has("sso_account_id") {
        let mut resolved: Vec<(&str, &Value)> = p
            .settings
            .iter()
            .map(|(k, s)| (k.as_str(), &s.value))
            .collect();
        let mut required = vec![
            "sso_role_name",
            "sso_account_id",
            "sso_start_url",
            "sso_region",
        ];
        if let Some(sv) = session_name {
            let sname = match sv {
                Value::Str(s) => s.clone(),
                Value::Nested(_) => String::new(),
            };
            let Some(session) = view.sso_sessions.get(&sname) else {
                sink.push(
                    "sso_session_not_found",
                    Severity::Error,
                    Some(key_line(p, "sso_session")),
                    Some(&p.header),
                    Some("sso_session"),
                    format!("The specified sso-session does not exist: \"{sname}\""),
                );
                return;
            };
            for (k, s) in &session.settings {
                match p.settings.get(k) {
                    Some(mine) if mine.value != s.value => {
                        sink.push(
                            "sso_inconsistent_value",
                            Severity::Error,
                            Some(mine.line),
                            Some(&p.header),
                            Some(k),
                            format!(
                                "The value for {k} is inconsistent between profile ({}) and \
                                 sso-session ({}).",
                                py_str(&mine.value),
                                py_str(&s.value)
                            ),
                        );
                    }
                    Some(_) => {}
                    None => resolved.push((k.as_str(), &s.value)),
                }
            }
            required.push("sso_session");
        }
        let missing: Vec<&str> = required
            .into_iter()
            .filter(|k| !resolved.iter().any(|(rk, _)| rk == k))
            .collect();
        if !missing.is_empty() {
            sink.push(
                "sso_missing_config",
                Severity::Error,
                Some(p.line),
                Some(&p.header),
                None,
                format!(
                    "The profile \"{name}\" is configured to use SSO but is missing required \
                     configuration: {}",
                    missing.join(", ")
                ),
            );
        }
    } else if let Some(sv) = session_name {
        let sname = match sv {
            Value::Str(s) => s.clone(),
            Value::Nested(_) => String::new(),
        };
        match view
            .sso_sessions
            .get(&sname)
            .filter(|s| !s.settings.is_empty())
        {
            None => sink.push(
                "sso_session_not_found",
                Severity::Error,
                Some(key_line(p, "sso_session")),
                Some(&p.header),
                Some("sso_session"),
                format!(
                    "The profile \"{name}\" is configured to use the SSO token provider but the \
                     \"{sname}\" sso_session configuration does not exist."
                ),
            ),
            Some(session) => {
                let missing: Vec<String> = ["sso_start_url", "sso_region"]
                    .iter()
                    .filter(|k| !session.settings.contains_key(**k))
                    .map(|k| format!("'{k}'"))
                    .collect();
                if !missing.is_empty() {
                    sink.push(
                        "sso_missing_config",
                        Severity::Error,
                        Some(p.line),
                        Some(&p.header),
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
fn py_str(v: &Value) -> String {
    match v {
        Value::Str(s) => s.clone(),
        Value::Nested(m) => {
            let items: Vec<String> = m.iter().map(|(k, v)| format!("'{k}': '{v}'")).collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

/// `services = NAME` must name a `[services NAME]` section (botocore configprovider).
fn services_rule(view: &ConfigView, (_, p): (&String, &SectionView), sink: &mut Sink<'_>) {
    if let Some(name) = p.get("services") {
        if !view.services.contains_key(name) {
            sink.push(
                "services_not_found",
                Severity::Error,
                Some(key_line(p, "services")),
                Some(&p.header),
                Some("services"),
                format!(
                    "The profile is configured to use the services section but the \"{name}\" \
                     services configuration does not exist."
                ),
            );
        }
    }
}

/// Account ids, region names and start URLs that will not work.
fn formats(s: &SectionView, sink: &mut Sink<'_>) {
    for (key, setting) in &s.settings {
        let Some(v) = setting.value.as_str() else {
            continue;
        };
        let line = Some(setting.line);
        match key.as_str() {
            "sso_account_id" | "aws_account_id"
                if v.len() != 12 || !v.bytes().all(|b| b.is_ascii_digit()) =>
            {
                sink.push(
                    "account_id_format",
                    Severity::Warning,
                    line,
                    Some(&s.header),
                    Some(key),
                    format!("{key} {v:?} is not a 12-digit AWS account id"),
                );
            }
            "region" | "sso_region" if !is_region_name(v) => {
                sink.push(
                    "region_format",
                    Severity::Warning,
                    line,
                    Some(&s.header),
                    Some(key),
                    format!(
                        "{key} {v:?} does not look like an AWS region name (such as \
                             us-east-1 or eu-central-1)"
                    ),
                );
            }
            "sso_start_url" if !v.starts_with("https://") => {
                sink.push(
                    "start_url_not_https",
                    Severity::Warning,
                    line,
                    Some(&s.header),
                    Some(key),
                    format!(
                        "sso_start_url {v:?} is not an https:// URL; the AWS CLI (2.35.13 \
                             and later) refuses to sign in with it"
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
    let parts: Vec<&str> = v.split('-').collect();
    if parts.len() < 3 {
        return false;
    }
    let (last, head) = parts.split_last().unwrap_or((&"", &[]));
    !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
        && head
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && head[0].len() >= 2
}
