//! Edit tests in a given / running / produces style: each starts from a whole file, runs one
//! edit, and compares the whole resulting file (the snapshot) — so a test fails on any byte an
//! edit touched that it should not have.

use aws_config_edit::{Document, EditError};

struct Given {
    doc: Document,
    original: String,
}

fn given(text: &str) -> Given {
    let doc = Document::parse(text);
    assert_eq!(doc.to_string(), text, "round-trip before editing");
    Given {
        doc,
        original: text.to_owned(),
    }
}

impl Given {
    fn running(mut self, edit: impl FnOnce(&mut Document) -> Result<(), EditError>) -> Ran {
        edit(&mut self.doc).expect("edit succeeds");
        Ran {
            text: self.doc.to_string(),
            original: self.original,
        }
    }
}

struct Ran {
    text: String,
    original: String,
}

impl Ran {
    #[track_caller]
    fn produces(self, expected: &str) -> Self {
        assert_eq!(
            self.text, expected,
            "\n--- got ---\n{}\n--- expected ---\n{}",
            self.text, expected
        );
        // The result reads back to the same bytes too.
        assert_eq!(Document::parse(&self.text).to_string(), self.text);
        self
    }

    #[track_caller]
    fn then(self, edit: impl FnOnce(&mut Document) -> Result<(), EditError>) -> Ran {
        let mut doc = Document::parse(&self.text);
        edit(&mut doc).expect("second edit succeeds");
        Ran {
            text: doc.to_string(),
            original: self.original,
        }
    }

    #[track_caller]
    fn gives_back_the_original(self) {
        assert_eq!(self.text, self.original);
    }
}

fn sec(doc: &Document, name: &str) -> usize {
    doc.find_section(name).expect("section exists")
}

const HAND_WRITTEN: &str = "\
# Work config — edited by hand, keep these notes!
; semicolon comments are comments too

[default]
region = eu-west-1   
output = json

# dev account (ticket OPS-1234)
[profile dev]
sso_session = corp
sso_account_id = 111122223333
  # an indented comment line
sso_role_name = Developer
region = eu-west-1

[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-west-1
";

#[test]
fn set_existing_key_changes_only_its_value() {
    given(HAND_WRITTEN)
        .running(|d| d.set_value(sec(d, "profile dev"), "region", "us-west-2"))
        .produces(&HAND_WRITTEN.replace(
            "role_name = Developer\nregion = eu-west-1",
            "role_name = Developer\nregion = us-west-2",
        ));
}

#[test]
fn set_existing_key_keeps_its_spelling_delimiter_and_trailing_spaces() {
    given("[profile Tools]\nRegion=us-east-1\nOutput :   yaml   \n")
        .running(|d| {
            d.set_value(0, "region", "eu-west-1")?;
            d.set_value(0, "output", "json")
        })
        .produces("[profile Tools]\nRegion=eu-west-1\nOutput :   json   \n");
}

#[test]
fn set_new_key_goes_after_the_last_key_before_trailing_comments_and_blanks() {
    given(HAND_WRITTEN)
        .running(|d| d.set_value(sec(d, "default"), "cli_pager", "less"))
        .produces(&HAND_WRITTEN.replace(
            "output = json\n\n# dev",
            "output = json\ncli_pager = less\n\n# dev",
        ));
}

#[test]
fn set_then_unset_gives_back_the_original_bytes() {
    given(HAND_WRITTEN)
        .running(|d| d.set_value(sec(d, "profile dev"), "lanyard_generated", "corp"))
        .produces(&HAND_WRITTEN.replace(
            "region = eu-west-1\n\n[sso",
            "region = eu-west-1\nlanyard_generated = corp\n\n[sso",
        ))
        .then(|d| {
            d.remove_key(sec(d, "profile dev"), "lanyard_generated")
                .map(|_| ())
        })
        .gives_back_the_original();
}

#[test]
fn set_then_unset_without_final_newline_gives_back_the_original_bytes() {
    given("[profile a]\nregion = us-east-1\n[profile b]\nregion = us-west-2")
        .running(|d| d.set_value(1, "output", "json"))
        .produces("[profile a]\nregion = us-east-1\n[profile b]\nregion = us-west-2\noutput = json")
        .then(|d| d.remove_key(1, "output").map(|_| ()))
        .gives_back_the_original();
}

#[test]
fn new_lines_use_the_files_crlf_line_endings() {
    given("[default]\r\nregion = us-west-1\r\n\r\n# crlf comment\r\n[profile crlf]\r\nsso_session = corp\r\n")
        .running(|d| {
            d.set_value(0, "output", "json")?;
            let s = d.add_section("profile new")?;
            d.set_value(s, "region", "eu-west-1")
        })
        .produces("[default]\r\nregion = us-west-1\r\noutput = json\r\n\r\n# crlf comment\r\n[profile crlf]\r\nsso_session = corp\r\n[profile new]\r\nregion = eu-west-1\r\n");
}

#[test]
fn set_value_replaces_a_multi_line_value() {
    given("[profile cont]\nregion = us-east-1\ndescription = first line\n  second line\n  third line\noutput = json\n")
        .running(|d| d.set_value(0, "description", "one line"))
        .produces("[profile cont]\nregion = us-east-1\ndescription = one line\noutput = json\n");
}

#[test]
fn remove_key_removes_its_continuation_lines() {
    given("[profile cont]\nregion = us-east-1\ndescription = first line\n  second line\noutput = json\n")
        .running(|d| d.remove_key(0, "description").map(|_| ()))
        .produces("[profile cont]\nregion = us-east-1\noutput = json\n");
}

const NESTED: &str = "\
[profile data]
region = us-east-2
s3 =
  max_concurrent_requests = 20
  addressing_style = path
services = local-sso

[services local-sso]
sso =
  endpoint_url = http://127.0.0.1:8765
";

#[test]
fn set_existing_sub_key_in_place() {
    given(NESTED)
        .running(|d| d.set_sub_value(0, "s3", "max_concurrent_requests", "50"))
        .produces(&NESTED.replace(
            "max_concurrent_requests = 20",
            "max_concurrent_requests = 50",
        ));
}

#[test]
fn new_sub_key_takes_the_blocks_indentation() {
    given(NESTED)
        .running(|d| d.set_sub_value(0, "s3", "use_accelerate_endpoint", "true"))
        .produces(&NESTED.replace(
            "addressing_style = path\n",
            "addressing_style = path\n  use_accelerate_endpoint = true\n",
        ));
}

#[test]
fn new_block_is_written_as_the_cli_does_with_four_spaces() {
    given(NESTED)
        .running(|d| d.set_sub_value(1, "sso_oidc", "endpoint_url", "http://127.0.0.1:9000"))
        .produces(&format!(
            "{NESTED}sso_oidc =\n    endpoint_url = http://127.0.0.1:9000\n"
        ));
}

#[test]
fn set_then_unset_sub_key_of_new_block_gives_back_the_original() {
    given(NESTED)
        .running(|d| d.set_sub_value(0, "dynamodb", "endpoint_url", "http://localhost:8000"))
        .produces(&NESTED.replace(
            "services = local-sso\n",
            "services = local-sso\ndynamodb =\n    endpoint_url = http://localhost:8000\n",
        ))
        .then(|d| d.remove_sub_key(0, "dynamodb", "endpoint_url").map(|_| ()))
        .gives_back_the_original();
}

#[test]
fn remove_sub_key_keeps_the_rest_of_the_block() {
    given(NESTED)
        .running(|d| {
            d.remove_sub_key(0, "s3", "max_concurrent_requests")
                .map(|_| ())
        })
        .produces(&NESTED.replace("  max_concurrent_requests = 20\n", ""));
}

#[test]
fn sub_key_under_a_plain_value_is_refused() {
    let mut d = Document::parse("[p]\ns3 = plain\n");
    assert!(matches!(
        d.set_sub_value(0, "s3", "k", "v"),
        Err(EditError::NotANestedBlock(_))
    ));
    assert_eq!(d.to_string(), "[p]\ns3 = plain\n");
}

#[test]
fn add_section_appends_with_no_blank_line_and_adds_a_missing_final_newline() {
    given("[profile a]\nregion = us-east-1")
        .running(|d| {
            let s = d.add_section("sso-session corp")?;
            d.set_value(s, "sso_start_url", "https://x.awsapps.com/start")?;
            d.set_value(s, "sso_region", "us-east-1")
        })
        .produces("[profile a]\nregion = us-east-1\n[sso-session corp]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n");
}

#[test]
fn add_section_to_an_empty_file() {
    given("")
        .running(|d| {
            let s = d.add_section("default")?;
            d.set_value(s, "region", "us-east-1")
        })
        .produces("[default]\nregion = us-east-1\n");
}

#[test]
fn add_then_remove_section_gives_back_the_original() {
    given(HAND_WRITTEN)
        .running(|d| {
            let s = d.add_section("profile tmp")?;
            d.set_value(s, "region", "us-east-1")
        })
        .produces(&format!(
            "{HAND_WRITTEN}[profile tmp]\nregion = us-east-1\n"
        ))
        .then(|d| d.remove_section(sec(d, "profile tmp")))
        .gives_back_the_original();
}

#[test]
fn remove_section_takes_its_attached_comment_and_following_blank_lines() {
    given(HAND_WRITTEN)
        .running(|d| d.remove_section(sec(d, "profile dev")))
        .produces(
            "\
# Work config — edited by hand, keep these notes!
; semicolon comments are comments too

[default]
region = eu-west-1   
output = json

[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-west-1
",
        );
}

#[test]
fn rename_section_changes_only_the_header_name() {
    given("[profile old] ; note\nregion = us-east-1\n")
        .running(|d| d.rename_section(0, "profile new"))
        .produces("[profile new] ; note\nregion = us-east-1\n");
}

#[test]
fn values_with_line_breaks_or_edge_whitespace_are_refused_and_change_nothing() {
    let mut d = Document::parse(HAND_WRITTEN);
    for bad in ["a\nb", "a\rb", " lead", "trail "] {
        assert!(d.set_value(0, "region", bad).is_err(), "{bad:?}");
    }
    for bad in ["", "a=b", "a:b", "#c", "[x", " k"] {
        assert!(d.set_value(0, bad, "v").is_err(), "{bad:?}");
    }
    assert!(d.add_section("a\nb").is_err());
    assert_eq!(d.to_string(), HAND_WRITTEN);
}

#[test]
fn a_new_key_never_becomes_a_continuation_of_an_indented_key() {
    given("[p]\n  a = 1\n  b = 2\n")
        .running(|d| d.set_value(0, "c", "3"))
        .produces("[p]\n  a = 1\n  b = 2\nc = 3\n");
    let d = Document::parse("[p]\n  a = 1\n  b = 2\nc = 3\n");
    assert_eq!(d.sections()[0].entries().len(), 3);
}

#[test]
fn a_new_key_takes_the_indentation_of_an_indented_next_header() {
    // Regression found by the fuzz target: at indent 0 the new key would swallow `  [profile b]`.
    given("[profile a]\n\n  [profile b]\n  region = x\n")
        .running(|d| d.set_value(0, "output", "json"))
        .produces("[profile a]\n  output = json\n\n  [profile b]\n  region = x\n");
}

#[test]
fn removing_a_section_that_would_turn_a_header_into_a_value_is_refused() {
    let text = "[a]\nk = v\n[b]\n  [c]\n";
    let mut d = Document::parse(text);
    assert_eq!(d.remove_section(1), Err(EditError::WouldChangeOtherLines));
    assert_eq!(d.to_string(), text);
}

#[test]
fn a_failed_transaction_undoes_every_edit_it_made() {
    let text = "[a]\nk = v\n\n[b]\nx = 1\n  more\n";
    let mut d = Document::parse(text);
    let r: Result<(), EditError> = d.transaction(|d| {
        d.set_value(0, "k", "w")?;
        d.set_value(1, "x", "2")?;
        let c = d.add_section("c")?;
        d.set_sub_value(c, "s3", "k", "v")?;
        d.remove_section(0)?;
        d.set_value(0, "bad\nkey", "v")
    });
    assert!(r.is_err());
    assert_eq!(d, Document::parse(text));
    assert_eq!(d.to_string(), text);
    // And a successful one keeps them all.
    d.transaction(|d| {
        d.set_value(0, "k", "w")?;
        d.set_value(1, "y", "3")
    })
    .expect("edits");
    assert_eq!(d.to_string(), "[a]\nk = w\n\n[b]\nx = 1\n  more\ny = 3\n");
}

#[test]
fn versions_change_with_every_edit_and_every_clone() {
    let mut d = Document::parse("[a]\nk = v\n");
    let v0 = d.version();
    assert_eq!(d.version(), v0);
    assert_ne!(d.clone().version(), v0);
    d.set_value(0, "k", "w").expect("set");
    assert_ne!(d.version(), v0);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

    /// Edits re-derive only part of the structure; the result is the structure a fresh parse
    /// of the printed text gives (debug builds also check this inside every edit).
    #[test]
    fn edited_documents_read_like_fresh_parses(
        text in "([\\[\\]=:#; \ta-c\r\n]{0,10}\n){0,12}",
        ops in proptest::collection::vec((0usize..4, 0usize..4, "[a-c]{1,2}"), 1..6),
    ) {
        let mut d = Document::parse(&text);
        for (op, section, key) in ops {
            let n = d.sections().len();
            if n == 0 {
                let _ = d.add_section("p");
                continue;
            }
            let s = section % n;
            let _ = match op {
                0 => d.set_value(s, &key, "v"),
                1 => d.remove_key(s, &key).map(|_| ()),
                2 => d.set_sub_value(s, "blk", &key, "v"),
                _ => d.remove_section(s),
            };
            let printed = d.to_string();
            let fresh = Document::parse(&printed);
            if d.reads_back_identically() {
                proptest::prop_assert_eq!(d.sections(), fresh.sections());
            }
        }
    }
}

#[test]
fn an_edit_whose_text_would_read_back_otherwise_is_noticed() {
    let mut d = Document::parse("[a]\rk = v\n\n");
    assert!(d.reads_back_identically());
    d.remove_key(0, "k").expect("remove");
    // A lone CR now meets the LF of the empty line: printed, the two are one CRLF.
    assert_eq!(d.to_string(), "[a]\r\n");
    assert!(!d.reads_back_identically());
}

#[test]
fn a_header_comment_is_inserted_under_the_header_then_rewritten_in_place_then_removed() {
    given("# mine\r\n[dev]\r\naws_access_key_id = A\r\n\r\n[other]\r\nx = 1\r\n")
        .running(|d| d.set_header_comment(0, "lanyard: ", "expires 2026-01-01T09:00:00Z"))
        .produces("# mine\r\n[dev]\r\n# lanyard: expires 2026-01-01T09:00:00Z\r\naws_access_key_id = A\r\n\r\n[other]\r\nx = 1\r\n")
        .then(|d| d.set_header_comment(0, "lanyard: ", "expires 2026-01-01T10:00:00Z"))
        .produces("# mine\r\n[dev]\r\n# lanyard: expires 2026-01-01T10:00:00Z\r\naws_access_key_id = A\r\n\r\n[other]\r\nx = 1\r\n")
        .then(|d| d.remove_header_comment(0, "lanyard: ").map(|removed| assert!(removed)))
        .gives_back_the_original();
}

#[test]
fn a_header_comment_is_read_back_and_another_comment_is_left_alone() {
    let mut d = Document::parse("[dev]\n# a person's note\nk = v\n");
    assert_eq!(d.header_comment(0, "lanyard: "), None);
    assert!(!d.remove_header_comment(0, "lanyard: ").expect("remove"));
    d.set_header_comment(0, "lanyard: ", "x").expect("set");
    assert_eq!(
        d.to_string(),
        "[dev]\n# lanyard: x\n# a person's note\nk = v\n"
    );
    assert_eq!(d.header_comment(0, "lanyard: "), Some("x"));
}

#[test]
fn replace_key_puts_the_new_key_on_the_old_keys_line() {
    given("[profile legacy]\n# signed in daily\nsso_start_url=https://x/start\n  continued\nsso_region = us-east-1\nregion = eu-west-1\n")
        .running(|d| {
            assert!(d.replace_key(0, "SSO_START_URL", "sso_session", "corp")?);
            d.remove_key(0, "sso_region").map(|_| ())
        })
        .produces("[profile legacy]\n# signed in daily\nsso_session = corp\nregion = eu-west-1\n");
}

#[test]
fn replace_key_removes_other_lines_of_the_new_key_and_leaves_a_missing_key_alone() {
    given("[profile a]\nregion = us-east-1\nold = 1\noutput = json\nnew = 2\n")
        .running(|d| d.replace_key(0, "old", "new", "3").map(|_| ()))
        .produces("[profile a]\nregion = us-east-1\nnew = 3\noutput = json\n");
    given("[profile a]\nregion = us-east-1")
        .running(|d| {
            assert!(!d.replace_key(0, "old", "new", "3")?);
            Ok(())
        })
        .produces("[profile a]\nregion = us-east-1");
}

#[test]
fn a_renamed_key_keeps_its_spacing_value_and_continuations_and_renames_back_to_the_original() {
    given("[profile dev]\n  SSO_Session   =  corp  \nregion=us-east-1\nnote =\n  a\n  b\n[x]\nk = v")
        .running(|d| d.rename_key(0, "sso_session", "lanyard_sso_session").map(|r| assert!(r)))
        .produces("[profile dev]\n  lanyard_sso_session   =  corp  \nregion=us-east-1\nnote =\n  a\n  b\n[x]\nk = v")
        .then(|d| d.rename_key(0, "note", "lanyard_note").map(|r| assert!(r)))
        .produces("[profile dev]\n  lanyard_sso_session   =  corp  \nregion=us-east-1\nlanyard_note =\n  a\n  b\n[x]\nk = v")
        .then(|d| {
            d.rename_key(0, "lanyard_note", "note")?;
            d.rename_key(0, "lanyard_sso_session", "SSO_Session").map(|_| ())
        })
        .gives_back_the_original();
}

#[test]
fn renaming_onto_an_existing_key_or_a_missing_key_changes_nothing() {
    let mut d = Document::parse("[a]\nx = 1\ny = 2\n");
    assert!(matches!(
        d.rename_key(0, "x", "y"),
        Err(EditError::InvalidKey(..))
    ));
    assert!(!d.rename_key(0, "z", "w").expect("missing key"));
    assert_eq!(d.to_string(), "[a]\nx = 1\ny = 2\n");
}

#[test]
fn a_section_copy_keeps_comments_between_keys_and_nested_blocks_under_the_new_name() {
    let text = "# top\n[profile src] ; why\nregion = us-east-1\n  # indented note\n; between\ns3 =\n    max_concurrent_requests = 10\noutput = json\n# about the next one\n\n[profile z]\nk = v\n";
    given(text)
        .running(|d| d.append_section_copy(sec(d, "profile src"), "profile copy").map(|i| assert_eq!(i, 2)))
        .produces(&format!(
            "{text}[profile copy] ; why\nregion = us-east-1\n  # indented note\n; between\ns3 =\n    max_concurrent_requests = 10\noutput = json\n"
        ))
        .then(|d| d.remove_section(sec(d, "profile copy")))
        .gives_back_the_original();
}

#[test]
fn a_section_copy_after_a_last_line_without_a_break_uses_the_files_crlf() {
    given("[a]\r\nk = 1\r\n[b]\r\nj = 2")
        .running(|d| d.append_section_copy(0, "c").map(|_| ()))
        .produces("[a]\r\nk = 1\r\n[b]\r\nj = 2\r\n[c]\r\nk = 1");
}

#[test]
fn a_section_copy_that_would_read_differently_is_refused_and_changes_nothing() {
    // The indented header reads as a header only after an indented key; copied after `b = 2`
    // it would continue that value.
    let text = "[a]\n  x = 1\n  [b]\nk = 1\n[c]\nb = 2\n";
    let mut d = Document::parse(text);
    let b = sec(&d, "b");
    assert_eq!(
        d.append_section_copy(b, "d"),
        Err(EditError::WouldChangeOtherLines)
    );
    assert_eq!(d.to_string(), text);
    assert!(d.append_section_copy(0, "a\nb").is_err());
    assert_eq!(d.to_string(), text);
}

#[test]
fn section_text_is_the_header_to_the_last_key_line_with_its_own_line_breaks() {
    let d = Document::parse("# above\r\n[profile a] # h\r\nk = 1\r\n# inside\r\nn =\r\n  x = 1\r\n# after\r\n\r\n[b]\nj = 2");
    assert_eq!(
        d.section_text(0).as_deref(),
        Some("[profile a] # h\r\nk = 1\r\n# inside\r\nn =\r\n  x = 1\r\n")
    );
    assert_eq!(d.section_text(1).as_deref(), Some("[b]\nj = 2"));
    assert_eq!(d.section_text(2), None);
}
