//! Parse → print is the identity: over every file of the shared corpus, over generated files
//! that mix every kind of line, line ending and whitespace, and on the structure the corpus's
//! tricky files must have.

use std::path::PathBuf;

use aws_config_edit::{Document, LineKind};
use proptest::prelude::*;

/// The shared corpus: `shared/fixtures/aws-config` beside the checkout (or above it), or
/// `$LANYARD_SHARED_DIR/fixtures/aws-config`.
fn corpus_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("LANYARD_SHARED_DIR") {
        return PathBuf::from(dir).join("fixtures/aws-config");
    }
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .map(|a| a.join("shared/fixtures/aws-config"))
        .find(|p| p.is_dir())
        .expect("shared/fixtures/aws-config not found above the checkout")
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(corpus_dir())
        .expect("read corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ini"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "corpus too small: {}", files.len());
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name, std::fs::read(&p).expect("read"))
        })
        .collect()
}

#[test]
fn every_corpus_file_prints_back_byte_for_byte() {
    for (name, bytes) in corpus() {
        let doc = Document::parse_bytes(&bytes).expect("utf-8");
        assert_eq!(doc.to_string().as_bytes(), &bytes[..], "{name}");
    }
}

#[test]
fn corpus_structure_matches_what_botocore_reads() {
    let files: std::collections::HashMap<_, _> = corpus().into_iter().collect();
    let doc = |n: &str| Document::parse_bytes(&files[n]).expect("utf-8");

    let d = doc("10-tabs-case-and-equals-in-values.ini");
    assert_eq!(d.line_kind(3), Some(LineKind::Continuation));
    let region = d.sections()[0].entry("region").expect("region");
    assert_eq!(region.raw_key(), "Region");
    assert!(region.value().starts_with("us-east-1\ncredential_process"));

    let d = doc("05-nested-subsections-and-services.ini");
    let s3 = d.sections()[0].entry("s3").expect("s3");
    assert!(s3.is_nested());
    let subs = d.sub_entries(s3);
    assert_eq!(subs.len(), 2);
    assert_eq!(subs[0].key(), Some("max_concurrent_requests"));
    assert_eq!(subs[0].line(), 4);

    let d = doc("17-bom-at-start.ini");
    assert!(d.has_bom());
    let d = doc("19-key-before-any-section-is-error.ini");
    assert_eq!(d.stray_lines(), vec![1]);
    let d = doc("15-key-without-value-is-error.ini");
    assert_eq!(d.invalid_lines(), vec![3]);
    let d = doc("07-crlf-line-endings.ini");
    assert_eq!(d.newline(), aws_config_edit::Newline::CrLf);
    let d = doc("08-no-trailing-newline.ini");
    assert!(!d.ends_with_newline());
    let d = doc("18-whitespace-in-headers.ini");
    assert_eq!(d.sections()[0].name(), "profile   spaced  ");
}

#[test]
fn bytes_that_are_not_utf8_name_their_line() {
    let err = Document::parse_bytes(b"[a]\nk = v\r\nx = \xff\n").expect_err("not utf-8");
    assert_eq!(err.line, 3);
}

/// A line of any kind the format knows, with the whitespace variations people write.
fn any_line() -> impl Strategy<Value = String> {
    let ws = prop_oneof![Just(""), Just(" "), Just("  "), Just("\t"), Just("    ")];
    let name = "[a-zA-Z0-9_\\-\"' 測]{0,8}";
    prop_oneof![
        (ws.clone(), name, ws.clone()).prop_map(|(a, n, b)| format!("{a}[profile {n}]{b}")),
        (ws.clone(), name).prop_map(|(a, n)| format!("{a}[{n}]")),
        (
            ws.clone(),
            "[a-zA-Z_]{1,8}",
            prop_oneof![Just("="), Just(" = "), Just(":"), Just(" =")],
            "[ -~測]{0,12}",
            ws.clone()
        )
            .prop_map(|(a, k, d, v, b)| format!("{a}{k}{d}{v}{b}")),
        (ws.clone(), prop_oneof![Just("#"), Just(";")], "[ -~]{0,10}")
            .prop_map(|(a, c, t)| format!("{a}{c}{t}")),
        ws.clone().prop_map(|w| w.to_owned()),
        "[ -~]{0,10}",
        Just("\u{feff}".to_owned()),
        Just("\u{0c}x\u{1f} = \u{a0}y".to_owned()),
    ]
}

fn any_file() -> impl Strategy<Value = String> {
    let eol = prop_oneof![Just("\n"), Just("\r\n"), Just("\r"), Just("")];
    (
        any::<bool>(),
        prop::collection::vec((any_line(), eol), 0..30),
    )
        .prop_map(|(bom, lines)| {
            let mut s = String::new();
            if bom {
                s.push('\u{feff}');
            }
            for (l, e) in lines {
                s.push_str(&l);
                s.push_str(e);
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn generated_files_print_back_identically(text in any_file()) {
        let doc = Document::parse(&text);
        prop_assert_eq!(doc.to_string(), text);
    }

    #[test]
    fn arbitrary_text_prints_back_identically(text in "(?s).{0,200}") {
        prop_assert_eq!(Document::parse(&text).to_string(), text);
    }

    /// After setting a key, botocore's reading of that key is the value set and every other
    /// section reads as before; unsetting a key that was new gives back the original bytes.
    #[test]
    fn set_then_unset_restores_generated_files(text in any_file(), value in "[a-z0-9:/._-]{1,12}") {
        let doc = Document::parse(&text);
        prop_assume!(!doc.sections().is_empty());
        let last = doc.sections().len() - 1;
        prop_assume!(doc.sections()[last].entry("lanyard_probe").is_none());
        let mut edited = doc.clone();
        edited.set_value(last, "lanyard_probe", &value).expect("set");
        let reread = Document::parse(&edited.to_string());
        let entry = reread.sections()[last].entry("lanyard_probe").expect("probe present");
        prop_assert_eq!(entry.value(), value.as_str());
        for (a, b) in doc.sections()[..last].iter().zip(reread.sections()) {
            prop_assert_eq!(a.entries().iter().map(|e| (e.key(), e.value())).collect::<Vec<_>>(),
                            b.entries().iter().map(|e| (e.key(), e.value())).collect::<Vec<_>>());
        }
        edited.remove_key(last, "lanyard_probe").expect("unset");
        prop_assert_eq!(edited.to_string(), text);
    }
}
