"""Print the import cycles among the archive's modules (module-level imports only).

Usage: python scripts/import_cycles.py [package-dir]   (default: archive)
Imports inside functions are left out: they run later and cannot make a
cycle at import time. Exit status 1 when a cycle is found.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in tree.body:  # module level only
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                full = f"{target}.{alias.name}"
                found.add(full if full in known else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    # Importing a.b.c also runs a and a.b, except the packages that hold this
    # module: they are already running when it is imported. A name taken from
    # such a package (``from . import bp``) is a real edge and stays.
    own = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
    closed = set(found)
    for target in found:
        parts = target.split(".")
        closed.update(".".join(parts[:i]) for i in range(1, len(parts)))
    closed -= own - found
    return {t for t in closed if t in known and t != name}


def cycles(root: Path) -> list[list[str]]:
    files = {module_name(p, root): p for p in root.rglob("*.py")}
    known = set(files)
    graph = {name: imports_of(path, name, known) for name, path in files.items()}
    # Tarjan's strongly connected components
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "archive").resolve()
    found = cycles(root)
    for group in found:
        print(f"cycle of {len(group)}: " + ", ".join(group))
    print(f"{len(found)} import cycle(s)")
    sys.exit(1 if found else 0)
