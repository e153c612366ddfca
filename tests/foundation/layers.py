"""The module graph of every crate of the workspace, checked against docs/layers.toml (issue 21).

A *unit* is a top-level module of a crate (`src/foo.rs` or `src/foo/`), or for a crate that names
`units_under` (the CLI's `commands`) each module under that folder. An import is every
`crate::unit` path in a unit's non-test code (and `super::unit` from a top-level file, which is the
same thing). The rules, in docs/layers.toml per crate:

- `layers`: lists of units, lowest first. A unit may import its own layer or a lower one; an import
  of a higher layer runs upward.
- No circle between units, in a layer or across layers.
- `known`: imports that break a rule today, each `"from -> to"`: reported, not failed, and the list
  may only shrink — an entry that no longer happens fails too, so the debt is paid down for good.

Run as a script to print each crate's graph, its upward imports and circles:
    tests/.venv/bin/python tests/foundation/layers.py
"""
import re
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "docs" / "layers.toml"

PATH = re.compile(r"\b(crate|super)::([a-z_][a-z0-9_]*)")
# `crate::Name` of an item the crate root re-exports (`pub use error::{Error, Result};` in lib.rs)
# is an import of the module that defines it.
ROOT_NAME = re.compile(r"\bcrate::([A-Z][A-Za-z0-9_]*)")
ROOT_USE = re.compile(r"^\s*pub\s+use\s+([a-z_][a-z0-9_]*)::(\{[^}]*\}|[A-Za-z0-9_]+)\s*;", re.M)
TEST_MODULE = re.compile(
    r"^#\[cfg\(test\)\]\s*\n(\s*#\[[^\n]*\]\s*\n)*\s*(pub(\([a-z]+\))?\s+)?mod\s+tests\s*\{", re.M)


def non_test_lines(text):
    """The file's lines up to its inline `mod tests { ... }` (tests may import anything)."""
    m = TEST_MODULE.search(text)
    return (text[: m.start()] if m else text).splitlines()


def units_of(src, units_under):
    """unit name -> its files."""
    units = defaultdict(list)
    for path in sorted(src.rglob("*.rs")):
        rel = path.relative_to(src)
        parts = rel.parts
        if parts[-1] == "tests.rs" or "tests" in parts[:-1]:
            continue  # test modules moved to their own files
        if units_under and parts[0] == units_under and len(parts) > 1:
            name = f"{units_under}/{Path(parts[1]).stem}"
            if name == f"{units_under}/mod":
                name = units_under
        else:
            name = Path(parts[0]).stem
        if name in ("lib", "main"):
            continue
        units[name].append(path)
    return units


def statements(lines):
    """(first line number, code without comments) per line, a `{...}` group that spans lines
    (rustfmt's long `use crate::{...};`) joined onto its first line."""
    out, pending, depth = [], None, 0
    for n, line in enumerate(lines, 1):
        code = line.split("//", 1)[0]
        if pending is not None:
            pending[1] += " " + code
            depth += code.count("{") - code.count("}")
            if depth <= 0:
                out.append(tuple(pending))
                pending = None
            continue
        if "crate::{" in code and code.count("{") > code.count("}"):
            pending, depth = [n, code], code.count("{") - code.count("}")
            continue
        out.append((n, code))
    if pending is not None:
        out.append(tuple(pending))
    return out


def grouped(code):
    """The first name of each top-level member of every `crate::{...}` group on the line."""
    names = []
    for m in re.finditer(r"\bcrate::\{", code):
        depth, member, i = 1, "", m.end()
        while i < len(code) and depth:
            c = code[i]
            depth += (c == "{") - (c == "}")
            if depth == 1 and c == ",":
                names.append(member)
                member = ""
            elif depth:
                member += c
            i += 1
        names.append(member)
    return [m.strip().split("::")[0].strip() for m in names if m.strip()]


def root_names(src):
    """Name -> unit for every item the crate root (lib.rs) re-exports from one of its modules."""
    lib = src / "lib.rs"
    names = {}
    if lib.exists():
        for unit, items in ROOT_USE.findall(lib.read_text()):
            for item in items.strip("{}").split(","):
                item = item.strip().split(" as ")[-1].strip()
                if item:
                    names[item] = unit
    return names


def imports_of(src, units, units_under):
    """(from, to) -> [(file, line number)] for every import between two units."""
    found = defaultdict(list)
    reexported = root_names(src)
    for unit, files in units.items():
        for path in files:
            top_level = len(path.relative_to(src).parts) == 1
            for n, code in statements(non_test_lines(path.read_text())):
                names = PATH.findall(code)
                # `use crate::{a, b::{c, d}}` names several units at once.
                names += [("crate", name) for name in grouped(code)]
                names += [("crate", name) for name in ROOT_NAME.findall(code)]
                names = [(kind, reexported.get(name, name) if kind == "crate" else name)
                         for kind, name in names]
                in_units_under = (units_under and len(path.relative_to(src).parts) == 2
                                  and path.relative_to(src).parts[0] == units_under)
                for kind, name in names:
                    if kind == "super" and in_units_under:
                        # `super::x` from commands/y.rs is commands/x.
                        if f"{units_under}/{name}" in units:
                            target = f"{units_under}/{name}"
                            if target != unit:
                                found[(unit, target)].append((path.relative_to(REPO), n))
                        continue
                    if kind == "super" and not top_level:
                        continue
                    target = name
                    if units_under and name == units_under:
                        m = re.search(rf"{kind}::{units_under}::([a-z_][a-z0-9_]*)", code)
                        if m and f"{units_under}/{m.group(1)}" in units:
                            target = f"{units_under}/{m.group(1)}"
                    if target in units and target != unit:
                        found[(unit, target)].append((path.relative_to(REPO), n))
    return found


def circles(units, edges):
    """The strongly connected components with more than one unit (Tarjan)."""
    sys.setrecursionlimit(10_000)
    graph = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(units):
        if v not in index:
            visit(v)
    return out


def check_crate(name, spec):
    """Every problem of one crate: (kind, 'from -> to', where) — kind is upward, circle, stale,
    unplaced."""
    src = REPO / spec["src"]
    units_under = spec.get("units_under")
    units = units_of(src, units_under)
    layer_of = {}
    for i, layer in enumerate(spec["layers"]):
        for u in layer:
            layer_of[u] = i
    known = set(spec.get("known", []))
    found = imports_of(src, units, units_under)
    problems = []
    for u in sorted(units):
        if u not in layer_of:
            problems.append(("unplaced", u, f"{spec['src']}: put {u} in a layer of docs/layers.toml"))
    breaking = set()
    for (a, b), places in sorted(found.items()):
        if a in layer_of and b in layer_of and layer_of[b] > layer_of[a]:
            breaking.add(f"{a} -> {b}")
            if f"{a} -> {b}" not in known:
                f, n = places[0]
                problems.append(("upward", f"{a} -> {b}", f"{f}:{n}"))
    for comp in circles(units, found):
        members = set(comp)
        # An edge of the circle that is not already known breaks it anew.
        for (a, b), places in sorted(found.items()):
            if a in members and b in members:
                edge = f"{a} -> {b}"
                breaking.add(edge)
                if edge not in known:
                    f, n = places[0]
                    problems.append(("circle", edge, f"{f}:{n} (circle: {' '.join(comp)})"))
    for edge in sorted(known - breaking):
        problems.append(("stale", edge, "no longer breaks a rule: remove it from known"))
    return problems, found, units


def load():
    return tomllib.loads(CONFIG.read_text())["crate"]


def breaking_edges(name, spec):
    """Every import that breaks a rule now (what `known` would have to list)."""
    problems, _, _ = check_crate(name, {**spec, "known": []})
    return sorted({edge for kind, edge, _ in problems if kind in ("upward", "circle")})


if __name__ == "__main__" and sys.argv[1:] == ["--baseline"]:
    for name, spec in load().items():
        print(f"[crate.{name}] known = {breaking_edges(name, spec)}")
    sys.exit(0)

if __name__ == "__main__":
    for name, spec in load().items():
        problems, found, units = check_crate(name, spec)
        known = spec.get("known", [])
        print(f"== {name}: {len(units)} units, {len(found)} imports, {len(known)} known")
        for kind, edge, where in problems:
            print(f"  {kind:8} {edge:40} {where}")
