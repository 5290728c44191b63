"""The package's module layout: no runtime import cycle between its modules.

Every module of the package is parsed with :mod:`ast` (nothing is imported)
and its imports of sibling modules collected, at module level and inside
functions alike: a lazy import still closes a cycle, it only hides it until
the call. Imports under ``if TYPE_CHECKING:`` are for annotations and never
run, so they do not count.
"""
from __future__ import annotations

import ast
import os
import unittest
from typing import Dict, List, Optional, Set

try:
    from . import _support as S
except ImportError:
    import _support as S

PACKAGE = os.path.dirname(os.path.abspath(S.jixiao.__file__))
NAME = "jixiao"


def _is_type_checking(test: ast.expr) -> bool:
    return ((isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
            or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def runtime_imports(source: str, modules: Set[str], package: str = NAME) -> Set[str]:
    """The sibling modules (names in ``modules``) that ``source`` imports
    when it runs. ``from . import x`` of a name that is not a module reads
    the package's ``__init__``."""
    found: Set[str] = set()

    def add(dotted: str) -> None:
        # "_api", "_api.x" -> "_api"; "" (the package itself) -> "__init__"
        first = dotted.split(".")[0] if dotted else "__init__"
        if first in modules:
            found.add(first)

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:  # only the else branch runs
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == package or alias.name.startswith(package + "."):
                    add(alias.name[len(package) + 1:])
        elif isinstance(node, ast.ImportFrom):
            if node.level == 1:
                base = node.module or ""
            elif node.level == 0 and node.module and (
                    node.module == package or node.module.startswith(package + ".")):
                base = node.module[len(package) + 1:]
            else:
                base = None  # another package, or above this one
            if base is not None:
                if base:
                    add(base)
                else:
                    for alias in node.names:
                        add(alias.name if alias.name in modules else "")
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return found


def import_graph(package_dir: str) -> Dict[str, Set[str]]:
    """``{module: sibling modules it imports at run time}`` for a package
    directory (top-level ``*.py`` files; ``__init__`` included)."""
    files = sorted(f for f in os.listdir(package_dir) if f.endswith(".py"))
    modules = {f[:-3] for f in files}
    graph = {}
    for f in files:
        with open(os.path.join(package_dir, f), encoding="utf-8") as fh:
            src = fh.read()
        graph[f[:-3]] = runtime_imports(src, modules) - {f[:-3]}
    return graph


def find_cycle(graph: Dict[str, Set[str]]) -> Optional[List[str]]:
    """A cycle as ``[a, b, ..., a]``, or None."""
    state: Dict[str, int] = {}  # 1: on the current path, 2: done
    path: List[str] = []

    def dfs(m: str) -> Optional[List[str]]:
        state[m] = 1
        path.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                return path[path.index(n):] + [n]
            if n not in state:
                c = dfs(n)
                if c:
                    return c
        path.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state:
            c = dfs(m)
            if c:
                return c
    return None


class TestChecker(unittest.TestCase):
    """The checker itself, on small made-up modules."""

    MODS = {"__init__", "_a", "_b", "_c"}

    def test_what_counts(self):
        src = (
            "from typing import TYPE_CHECKING\n"
            "import typing\n"
            "from . import _a\n"
            "import os, json\n"
            "if TYPE_CHECKING:\n"
            "    from ._b import B\n"
            "else:\n"
            "    from ._c import C\n"
            "if typing.TYPE_CHECKING:\n"
            "    import jixiao._b\n"
            "def f():\n"
            "    from ._c import D\n")
        self.assertEqual(runtime_imports(src, self.MODS), {"_a", "_c"})

    def test_absolute_and_package_imports(self):
        self.assertEqual(runtime_imports("import jixiao._b.x\n", self.MODS), {"_b"})
        self.assertEqual(runtime_imports("from jixiao import _c\n", self.MODS), {"_c"})
        self.assertEqual(runtime_imports("from jixiao._a import x\n", self.MODS), {"_a"})
        self.assertEqual(runtime_imports("from . import has\n", self.MODS), {"__init__"})
        self.assertEqual(runtime_imports("import jixiaox\nfrom .. import _a\n", self.MODS),
                         set())

    def test_cycles(self):
        self.assertIsNone(find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}))
        self.assertEqual(find_cycle({"a": {"b"}, "b": {"c"}, "c": {"b"}}), ["b", "c", "b"])


class TestLayout(unittest.TestCase):

    def setUp(self):
        self.graph = import_graph(PACKAGE)

    def test_no_import_cycle(self):
        cycle = find_cycle(self.graph)
        self.assertIsNone(cycle, "runtime import cycle in %s: %s"
                          % (PACKAGE, " -> ".join(cycle or ())))

    def test_the_bottom_layer(self):
        # The ctypes declarations, the errors and the handles are what every
        # other module builds on; they must not reach up.
        self.assertEqual(self.graph["_native"], set())
        self.assertLessEqual(self.graph["_errors"], {"_native"})
        self.assertLessEqual(self.graph["_handles"], {"_native", "_errors"})

    def test_every_module_says_what_it_owns(self):
        for m in self.graph:
            with open(os.path.join(PACKAGE, m + ".py"), encoding="utf-8") as f:
                doc = ast.get_docstring(ast.parse(f.read()))
            self.assertTrue(doc, "%s.py has no module docstring" % m)


if __name__ == "__main__":
    unittest.main()
