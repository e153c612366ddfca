//! The fuzz target's property (fuzz/fuzz_targets/check.rs) run on the stable toolchain: over
//! the shared corpus, hand-picked edge cases, and random bytes and text from proptest — so the
//! property is checked by `cargo test` even where `cargo fuzz` (libFuzzer) is not available.

use proptest::prelude::*;

include!("../fuzz/fuzz_targets/check.rs");

#[test]
fn fuzz_property_holds_on_the_corpus_and_edge_cases() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/fixtures/aws-config"))
        .find(|p| p.is_dir())
        .expect("corpus");
    for e in std::fs::read_dir(dir).expect("ls") {
        check(&std::fs::read(e.expect("entry").path()).expect("read"));
    }
    for s in [
        "",
        "\u{feff}",
        "\r",
        "\r\r\n",
        "[",
        "[]",
        "[]]",
        "[a]",
        "[a]\n  x",
        "[a]\n=\n",
        "[a]\ns3 =\n  k\n",
        "[a]\nk = v\n\t\u{0c}\n  c",
        "x\n[a]",
        "[a]\nk=v\r\n  # c\r\n  d",
        "[a]\n\u{2028}k = v",
    ] {
        check(s.as_bytes());
    }
    // Found by `cargo fuzz`: a key added before an indented header made the header part of
    // the key's value (now the new key takes the header's indentation).
    check(b"   []\r\r[ ] \x08\r\r\r\x0b[ ] \x08\r\r\r\0,\r\x10\r\r\r\r\x08\r\r\0\r\0\0a\0,EEE");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn fuzz_property_holds_on_random_bytes(data in prop::collection::vec(any::<u8>(), 0..256)) {
        check(&data);
    }

    #[test]
    fn fuzz_property_holds_on_ini_like_text(text in "([\\[\\]=:#; \t\r\na-z\u{feff}\u{0c}]{0,12}){0,20}") {
        check(text.as_bytes());
    }
}
