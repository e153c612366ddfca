// The property every input must satisfy, shared by the libFuzzer target (parse_print.rs) and
// the stable-toolchain harness (../tests/fuzz_harness.rs), which `include!` this file.

/// Parse → print is the identity; parsing never panics; printing a parsed document and
/// parsing it again gives the same structure; an edit and its undo never panic and the undo of
/// a new key gives back the bytes.
pub fn check(data: &[u8]) {
    let Ok(doc) = aws_config_edit::Document::parse_bytes(data) else {
        return;
    };
    let printed = doc.to_string();
    assert_eq!(printed.as_bytes(), data, "parse -> print changed the bytes");
    let again = aws_config_edit::Document::parse(&printed);
    assert_eq!(again, doc, "re-parse gave another structure");
    for (i, section) in doc.sections().iter().enumerate() {
        if section.entry("lanyard_fuzz_probe").is_some()
            || section.entry("lanyard_fuzz_block").is_some()
        {
            continue;
        }
        let mut edited = doc.clone();
        match edited.set_value(i, "lanyard_fuzz_probe", "v") {
            Ok(()) => {}
            // Refused (and undone) because it would change how other lines read.
            Err(aws_config_edit::EditError::WouldChangeOtherLines) => {
                assert_eq!(edited.to_string(), printed, "a refused edit changed the bytes");
                break;
            }
            Err(e) => panic!("setting a plain key on an existing section failed: {e}"),
        }
        let _ = edited.set_sub_value(i, "lanyard_fuzz_block", "k", "v");
        let _ = edited.remove_sub_key(i, "lanyard_fuzz_block", "k");
        let _ = edited.remove_key(i, "lanyard_fuzz_probe");
        assert_eq!(edited.to_string(), printed, "set then unset of a new key changed the bytes");
        let _ = edited.rename_section(i, "profile fuzz");
        let _ = edited.remove_section(i);
        break;
    }
}
