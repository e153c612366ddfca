//! Validation findings: codes, severities, lines, sections and botocore's own wording.

use std::path::Path;

use aws_config_edit::Document;
use lanyard_core::config::{validate, Finding, Severity};

fn check(text: &str) -> Vec<Finding> {
    validate(&Document::parse(text), Path::new("/h/.aws/config"))
}

fn has(f: &[Finding], code: &str, line: usize) -> Finding {
    f.iter()
        .find(|x| x.code == code && x.line == Some(line))
        .unwrap_or_else(|| panic!("no {code} at line {line} in {f:#?}"))
        .clone()
}

fn corpus(name: &str) -> String {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/fixtures/aws-config"))
        .find(|p| p.is_dir())
        .expect("corpus");
    std::fs::read_to_string(dir.join(name)).expect("fixture")
}

#[test]
fn the_corpus_surprises_are_explained() {
    let f = check(&corpus("10-tabs-case-and-equals-in-values.ini"));
    let w = has(&f, "indented_key_in_value", 3);
    assert_eq!(
        (w.severity, w.section.as_deref(), w.key.as_deref()),
        (Severity::Warning, Some("profile Tools"), Some("region"))
    );
    assert_eq!(w.file, "/h/.aws/config");

    let f = check(&corpus("04-inline-comment-kept-in-value.ini"));
    has(&f, "inline_comment_in_value", 2);
    has(&f, "inline_comment_in_value", 3);
    assert!(
        !f.iter().any(|x| x.line == Some(6)),
        "Admin#NotAComment is not a comment: {f:#?}"
    );

    let f = check(&corpus("06-default-and-profile-default.ini"));
    let w = has(&f, "default_and_profile_default", 1);
    assert_eq!(w.section.as_deref(), Some("default"));
    assert!(w.message.contains("line 5"));

    let f = check(&corpus("16-non-profile-sections-and-preview.ini"));
    has(&f, "ignored_section", 7);
    assert_eq!(f.len(), 1, "{f:#?}");

    for clean in [
        "01-cli-written-sso-session.ini",
        "02-legacy-sso-profile.ini",
        "20-multiple-sessions-many-profiles.ini",
    ] {
        assert_eq!(check(&corpus(clean)), vec![], "{clean}");
    }
}

#[test]
fn refused_files_are_errors_with_their_line() {
    let f = check(&corpus("13-duplicate-section-is-error.ini"));
    let e = has(&f, "duplicate_section", 5);
    assert_eq!(
        (e.severity, e.section.as_deref()),
        (Severity::Error, Some("profile dup"))
    );
    has(
        &check(&corpus("14-duplicate-key-is-error.ini")),
        "duplicate_key",
        3,
    );
    has(
        &check(&corpus("15-key-without-value-is-error.ini")),
        "key_without_value",
        3,
    );
    has(&check(&corpus("17-bom-at-start.ini")), "bom", 1);
    has(
        &check(&corpus("19-key-before-any-section-is-error.ini")),
        "text_before_section",
        1,
    );
}

#[test]
fn sso_rules_use_botocores_wording() {
    let f = check("[profile a]\nsso_session = nope\nsso_account_id = 111122223333\n");
    let e = has(&f, "sso_session_not_found", 2);
    assert_eq!(
        e.message,
        "The specified sso-session does not exist: \"nope\""
    );
    assert_eq!(e.key.as_deref(), Some("sso_session"));

    let f = check("[profile a]\nsso_session = s\nsso_account_id = 111122223333\nsso_start_url = https://old/start\n[sso-session s]\nsso_start_url = https://new/start\n");
    let e = has(&f, "sso_inconsistent_value", 4);
    assert_eq!(e.message, "The value for sso_start_url is inconsistent between profile (https://old/start) and sso-session (https://new/start).");
    let e = has(&f, "sso_missing_config", 1);
    assert_eq!(e.message, "The profile \"a\" is configured to use SSO but is missing required configuration: sso_role_name, sso_region");

    let f = check("[profile legacy]\nsso_role_name = R\n");
    assert_eq!(has(&f, "sso_missing_config", 1).message,
        "The profile \"legacy\" is configured to use SSO but is missing required configuration: sso_account_id, sso_start_url, sso_region");

    let f = check("[profile t]\nsso_session = s\n[sso-session s]\nsso_region = us-east-1\n");
    assert_eq!(has(&f, "sso_missing_config", 1).message,
        "The profile \"t\" is configured to use the SSO token provider but is missing the following configuration: ['sso_start_url'].");
    let f = check("[profile t]\nsso_session = s\n");
    assert_eq!(has(&f, "sso_session_not_found", 2).message,
        "The profile \"t\" is configured to use the SSO token provider but the \"s\" sso_session configuration does not exist.");
}

/// Issue 20: the values Lanyard refuses to write are errors in the refusal's words; a region
/// botocore accepts that does not look like one stays a warning.
#[test]
fn refused_values_are_errors_and_odd_regions_warnings() {
    let f = check("[profile a]\naws_account_id = 1234\nregion = useast1\noutput = xml\n[sso-session s]\nsso_start_url = http://x\nsso_region = US East\n[sso-session t]\nsso_start_url = https://x/start\nsso_region = us-gov-west-1\n");
    let e = has(&f, "invalid_account_id", 2);
    assert_eq!(e.severity, Severity::Error);
    assert_eq!(
        e.message,
        "aws_account_id \"1234\" is not an AWS account id: an account id is exactly 12 digits"
    );
    assert_eq!(has(&f, "region_format", 3).severity, Severity::Warning);
    assert_eq!(has(&f, "invalid_output", 4).severity, Severity::Error);
    let e = has(&f, "invalid_start_url", 6);
    assert_eq!(e.severity, Severity::Error);
    assert!(
        e.message.starts_with(
            "sso_start_url \"http://x\" cannot be used as a start URL: it is not an https:// URL"
        ),
        "{}",
        e.message
    );
    let e = has(&f, "invalid_region", 7);
    assert_eq!(e.severity, Severity::Error);
    assert!(
        e.message
            .contains("Provided region_name 'US East' doesn't match a supported format"),
        "{}",
        e.message
    );
    assert!(!f.iter().any(|x| x.line.is_some_and(|l| l >= 8)), "{f:#?}");
}

#[test]
fn sso_use_device_code_is_true_or_false() {
    let f = check("[sso-session s]\nsso_start_url = https://x/start\nsso_region = us-east-1\nsso_use_device_code = yes\n");
    let w = has(&f, "use_device_code_format", 4);
    assert_eq!(w.severity, Severity::Warning);
    assert_eq!(
        w.message,
        "sso_use_device_code \"yes\" is neither true nor false; it is read as false (sign-in uses the browser)"
    );
    for ok in ["true", "false", "True", "FALSE"] {
        let f = check(&format!("[sso-session s]\nsso_start_url = https://x/start\nsso_region = us-east-1\nsso_use_device_code = {ok}\n"));
        assert!(f.is_empty(), "{ok}: {f:#?}");
    }
}

#[test]
fn findings_serialise_with_the_documented_fields() {
    let f = check("[profile a]\nregion = useast1\n");
    let json = serde_json::to_value(&f[0]).expect("json");
    assert_eq!(
        json,
        serde_json::json!({
            "code": "region_format", "severity": "warning", "file": "/h/.aws/config", "line": 2,
            "section": "profile a", "key": "region",
            "message": "region \"useast1\" does not look like an AWS region name (such as us-east-1 or eu-central-1)"
        })
    );
}
