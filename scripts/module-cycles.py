#!/usr/bin/env python3
"""Lists the module import cycles of the workspace's crates; exits 1 if there is any.

A module is a file (inline modules count as their file). An edge A -> B means A names an item of
B: a `use` or a path through `crate::`, `super::`, `self::` or a child module's name. A module
owns the modules inside it, so a path between a module and one inside it is not an edge. A path
to a re-exported item (`pub use`, named or glob) is an edge to the module that defines it. The crate root is only a list of modules, so
paths through it resolve to the module they reach. Crates themselves form a
DAG that cargo enforces, so only paths inside one crate are followed.

Usage: scripts/module-cycles.py [crate-src-dir ...]   (default: every crate's src/)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CRATES = ["domain/src", "infra/src", "api/src", "tests/src"]

COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
STRING = re.compile(r'r#*"(?:.|\n)*?"#*|"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])\'')
MOD_DECL = re.compile(r"(#\[cfg\(test\)\]\s*)?\bmod\s+(\w+)\s*;")
USE = re.compile(r"\b(pub(?:\([^)]*\))?\s+)?use\s+([^;]+);")
PATH = re.compile(r"(?<![\w:])((?:crate|super|self|[a-z_][a-z0-9_]*)(?:::[A-Za-z_]\w*)+)")
DEFINES = r"\b(?:fn|struct|enum|trait|type|const|static|union|macro_rules!)\s+{}\b"
TEST_MOD = re.compile(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{")

Module = tuple[str, ...]


def strip(source: str) -> str:
    """The source without strings, comments and inline test modules (tests may reach anywhere)."""
    source = COMMENT.sub("", STRING.sub('""', source))
    while match := TEST_MOD.search(source):
        depth, end = 1, match.end()
        while depth and end < len(source):
            depth += {"{": 1, "}": -1}.get(source[end], 0)
            end += 1
        source = source[: match.start()] + source[end:]
    return source


class Crate:
    def __init__(self, src: Path):
        self.text: dict[Module, str] = {}
        root = src / "lib.rs" if (src / "lib.rs").exists() else src / "main.rs"
        self.visit((), root)
        # Per module: `pub use` names (name -> path written there) and glob re-exports.
        self.reexports: dict[Module, dict[str, str]] = {}
        self.globs: dict[Module, list[str]] = {}
        for module, text in self.text.items():
            named, globs = {}, []
            for public, tree in USE.findall(text):
                if not public:
                    continue
                for path, alias in use_paths(tree):
                    if path.endswith("::*"):
                        globs.append(path[:-3])
                    else:
                        named[alias or path.rsplit("::", 1)[-1]] = path
            self.reexports[module], self.globs[module] = named, globs

    def visit(self, path: Module, file: Path) -> None:
        text = strip(file.read_text())
        self.text[path] = text
        folder = file.parent if file.name in ("mod.rs", "lib.rs", "main.rs") else file.with_suffix("")
        for test_only, name in MOD_DECL.findall(text):
            if test_only:
                continue
            for candidate in (folder / f"{name}.rs", folder / name / "mod.rs"):
                if candidate.exists():
                    self.visit(path + (name,), candidate)
                    break

    def defines(self, module: Module, name: str) -> bool:
        return re.search(DEFINES.format(re.escape(name)), self.text[module]) is not None

    def resolve(self, path: str, here: Module, depth: int = 0) -> Module | None:
        """The module of this crate that defines what `path`, written in `here`, names."""
        segments = path.split("::")
        if segments[0] == "crate":
            base, rest = (), segments[1:]
        elif segments[0] in ("super", "self"):
            base = here
            while segments and segments[0] in ("super", "self"):
                base = base[:-1] if segments[0] == "super" else base
                segments = segments[1:]
            rest = segments
        elif here + (segments[0],) in self.text:
            base, rest = here, segments
        else:
            return None
        target = base
        for i, segment in enumerate(rest):
            if target + (segment,) in self.text:
                target = target + (segment,)
                continue
            if depth > 8 or self.defines(target, segment):
                return target
            if segment in self.reexports[target]:
                return self.resolve(self.reexports[target][segment], target, depth + 1) or target
            for glob in self.globs[target]:
                source = self.resolve(glob, target, depth + 1)
                if source is not None and source != target:
                    found = self.resolve("crate::" + "::".join(source + (segment,)), source, depth + 1)
                    if found is not None and found != source or (found == source and self.defines(source, segment)):
                        return found
            return target
        return target

    def edges(self) -> dict[Module, set[Module]]:
        edges: dict[Module, set[Module]] = {m: set() for m in self.text}
        for module, text in self.text.items():
            paths = [p for _, tree in USE.findall(text) for p, _ in use_paths(tree)]
            paths += PATH.findall(USE.sub("", text))
            for path in paths:
                target = self.resolve(path.removesuffix("::*"), module)
                if target is None or target == () or nested(module, target):
                    continue
                edges[module].add(target)
        return edges


def use_paths(tree: str) -> list[tuple[str, str | None]]:
    """The paths a `use` tree names, with their aliases: `a::{b, c::d as e}` -> a::b, a::c::d."""
    out: list[tuple[str, str | None]] = []

    def expand(prefix: str, rest: str) -> None:
        rest = rest.strip()
        if "{" not in rest:
            alias = None
            if " as " in f" {rest} ":
                rest, alias = (part.strip() for part in re.split(r"\s+as\s+", rest, maxsplit=1))
            path = re.sub(r"\s+", "", prefix + rest).rstrip(":")
            if path and not path.endswith("::self"):
                out.append((path, alias))
            elif path:
                out.append((path.removesuffix("::self"), alias))
            return
        head, body = rest.split("{", 1)
        body = body[: body.rfind("}")]
        for part in split_top(body):
            expand(prefix + head.strip(), part)

    expand("", tree)
    return out


def split_top(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p for p in parts if p.strip()]


def nested(a: Module, b: Module) -> bool:
    """Whether one of the two modules is inside the other (or they are the same)."""
    shorter = min(len(a), len(b))
    return a[:shorter] == b[:shorter]


def cycles(edges: dict) -> list[list[Module]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def connect(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            connect(v)
    return out


def main() -> int:
    crates = sys.argv[1:] or CRATES
    found = 0
    for crate in crates:
        src = ROOT / crate
        edges = Crate(src).edges()
        for component in cycles(edges):
            found += 1
            print(f"{crate}: cycle among {len(component)} modules:")
            for m in component:
                back = sorted("::".join(t) for t in edges[m] if t in component)
                print(f"  {'::'.join(m)} -> {', '.join(back)}")
    if found:
        print(f"{found} import cycle(s)")
        return 1
    print("no module import cycles in " + ", ".join(crates))
    return 0


if __name__ == "__main__":
    sys.exit(main())
