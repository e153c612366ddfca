"""Issue 21: every crate's modules stand in layers, and the debt only shrinks. The rules and the
known exceptions are in docs/layers.toml; tests/foundation/layers.py reads every `crate::…`
import of each module's non-test code."""
import pytest

import layers


@pytest.mark.parametrize("name", sorted(layers.load()))
def test_no_new_upward_import_or_circle_and_no_stale_exception(name):
    spec = layers.load()[name]
    problems, _, _ = layers.check_crate(name, spec)
    assert not problems, "\n".join(f"{kind}: {edge} at {where}" for kind, edge, where in problems)


def test_the_checker_sees_an_upward_import_a_circle_and_a_brace_import(tmp_path, monkeypatch):
    src = tmp_path / "src"
    (src / "low").mkdir(parents=True)
    (src / "low.rs").write_text("//! low\nuse crate::{high, mid::X};\n")
    (src / "mid.rs").write_text("//! mid\nuse crate::low;\n")
    (src / "high.rs").write_text("//! high\nuse crate::mid::Y;\n#[cfg(test)]\nmod tests {\n"
                                 "    use crate::low;\n}\n")
    monkeypatch.setattr(layers, "REPO", tmp_path)
    spec = {"src": "src", "layers": [["low"], ["mid"], ["high"]], "known": ["mid -> high"]}
    problems, found, _ = layers.check_crate("t", spec)
    kinds = {(k, e) for k, e, _ in problems}
    assert ("upward", "low -> high") in kinds and ("upward", "low -> mid") in kinds
    assert ("circle", "mid -> low") in kinds
    assert ("stale", "mid -> high") in kinds
    # The test module's import of low does not count.
    assert ("high", "low") not in found


def test_the_checker_follows_root_reexports_and_groups_over_several_lines(tmp_path, monkeypatch):
    """`crate::Error` is an import of the module lib.rs re-exports it from, and rustfmt's
    `use crate::{\\n a::{b, c},\\n d,\\n};` names a and d (regression: issue 21's hidden edges)."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "lib.rs").write_text("pub mod error;\npub mod low;\npub mod mid;\n"
                                "pub use error::{Error, Result};\n")
    (src / "error.rs").write_text("//! error\nuse crate::mid::Thing;\n")
    (src / "low.rs").write_text("//! low\npub fn f() -> crate::Result<()> { Ok(()) }\n")
    (src / "mid.rs").write_text("//! mid\nuse crate::{\n    low::{f, g},\n    error,\n};\n")
    monkeypatch.setattr(layers, "REPO", tmp_path)
    spec = {"src": "src", "layers": [["low"], ["mid"], ["error"]], "known": []}
    problems, found, _ = layers.check_crate("t", spec)
    assert found[("low", "error")] == [(src.relative_to(tmp_path) / "low.rs", 2)]
    assert found[("mid", "low")][0][1] == 2 and ("mid", "error") in found
    assert ("mid", "g") not in found
    kinds = {(k, e) for k, e, _ in problems}
    assert ("upward", "low -> error") in kinds and ("circle", "error -> mid") in kinds
