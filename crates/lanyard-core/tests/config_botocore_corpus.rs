//! The specification test: for every file of the shared corpus, the typed view equals what
//! botocore 1.44.8's `load_config` returned (`NN.botocore.json`), and every file botocore
//! refuses is refused here too, naming the line.

use std::path::PathBuf;

use aws_config_edit::Document;
use lanyard_core::config::view;

fn corpus_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("LANYARD_SHARED_DIR") {
        return PathBuf::from(dir).join("fixtures/aws-config");
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/fixtures/aws-config"))
        .find(|p| p.is_dir())
        .expect("shared/fixtures/aws-config not found above the checkout")
}

/// The line each refused file must be refused at, and the code.
const REFUSED: &[(&str, usize, &str)] = &[
    ("13-duplicate-section-is-error", 5, "duplicate_section"),
    ("14-duplicate-key-is-error", 3, "duplicate_key"),
    ("15-key-without-value-is-error", 3, "key_without_value"),
    ("17-bom-at-start", 1, "bom"),
    (
        "19-key-before-any-section-is-error",
        1,
        "text_before_section",
    ),
];

#[test]
fn every_fixture_reads_as_botocore_reads_it() {
    let mut files: Vec<_> = std::fs::read_dir(corpus_dir())
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ini"))
        .collect();
    files.sort();
    assert!(files.len() >= 20);
    let (mut ok, mut refused) = (0, 0);
    for ini in files {
        let stem = ini
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        let expected: serde_json::Value = serde_json::from_slice(
            &std::fs::read(ini.with_extension("botocore.json")).expect("json beside the ini"),
        )
        .expect("json");
        let doc = Document::parse_bytes(&std::fs::read(&ini).expect("ini")).expect("utf-8");
        match (expected.get("ok"), view::read(&doc)) {
            (Some(want), Ok(got)) => {
                assert_eq!(&got.to_botocore_json(), want, "{stem}");
                ok += 1;
            }
            (None, Err(problems)) => {
                assert_eq!(expected["error"], "ConfigParseError", "{stem}");
                let (_, line, code) = REFUSED
                    .iter()
                    .find(|(n, _, _)| *n == stem)
                    .unwrap_or_else(|| panic!("{stem}: refused file missing from REFUSED"));
                assert_eq!(
                    (problems[0].line, problems[0].code),
                    (*line, *code),
                    "{stem}"
                );
                refused += 1;
            }
            (Some(_), Err(p)) => panic!("{stem}: botocore reads it, we refuse it: {p:?}"),
            (None, Ok(v)) => panic!(
                "{stem}: botocore refuses it, we read {:?}",
                v.to_botocore_json()
            ),
        }
    }
    assert_eq!((ok, refused), (15, REFUSED.len()));
}

/// Cases beyond the corpus, each checked against what Python's configparser and botocore do
/// (the pytest interop suite runs the same kind of comparison against the real botocore).
#[test]
fn botocore_rules_beyond_the_corpus() {
    let read = |s: &str| view::read(&Document::parse(s)).map(|v| v.to_botocore_json());
    let json = |s: &str| serde_json::from_str::<serde_json::Value>(s).expect("json");
    // [DEFAULT] keys are added to every section; a section's own key wins.
    assert_eq!(
        read("[DEFAULT]\nregion = x\n[profile a]\nregion = y\n[sso-session s]\n").expect("reads"),
        json(
            r#"{"profiles":{"a":{"region":"y"}},"sso_sessions":{"s":{"region":"x"}},"services":{}}"#
        )
    );
    // A blank line inside a value stays in it; comments inside are skipped.
    assert_eq!(
        read("[p]\nk = a\n\n  # c\n  b\n").expect("reads")["p"]["k"],
        "a\n\nb"
    );
    // Lone CR breaks lines like LF (Python's universal newlines).
    assert_eq!(
        read("[default]\rregion = r\r").expect("reads")["profiles"]["default"]["region"],
        "r"
    );
    // A header's name runs to the last `]`; a quoted name with an unclosed quote is dropped.
    assert_eq!(
        read("[profile a]b] x\n[profile \"c]\n[profile a b]\n").expect("reads"),
        json(r#"{"profiles":{"a]b":{}},"sso_sessions":{},"services":{}}"#)
    );
    // Nested lines split on `=` only; a nested line without it is a parse error.
    assert!(read("[p]\ns3 =\n  a: b\n").is_err());
    // A key with no name is an error; ':' is a delimiter.
    assert!(read("[p]\n= v\n").is_err());
    assert_eq!(read("[p]\nk: v\n").expect("reads")["p"]["k"], "v");
    // Two [DEFAULT] sections are allowed, a key repeated across them is not.
    assert!(read("[DEFAULT]\na=1\n[DEFAULT]\na=2\n").is_err());
    assert_eq!(
        read("[profile \"\"]\n").expect("reads")["profiles"][""],
        json("{}")
    );
    // `[profiles x]` is a profile named x (botocore tests only the prefix).
    assert_eq!(
        read("[profiles x]\n").expect("reads")["profiles"]["x"],
        json("{}")
    );
}
