"""Test code stays in tests/: the product (every module of pipeline/ but the developer tools in pipeline/tools/)
neither imports tests nor names a path under tests/, so `python -m pipeline docs` and the build read only what the
project ships."""

from __future__ import annotations

import ast

from pipeline import PROJECT_ROOT


def references_to_tests(source: str) -> list[str]:
    """The imports of the tests package and the string literals naming tests/ or a path under it, in `source`, in
    the order of their lines."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "tests":
            found.append(f"line {node.lineno}: from {node.module} import")
        elif isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {alias.name}" for alias in node.names
                      if alias.name.split(".")[0] == "tests"]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                (node.value == "tests" or node.value.startswith("tests/")):
            found.append(f"line {node.lineno}: {node.value!r}")
    return sorted(found, key=lambda hit: int(hit.split(":")[0].removeprefix("line ")))


def test_the_check_finds_an_import_of_tests_and_a_path_under_it():
    source = 'from tests.fixtures import LAYOUTS\nimport tests.editions\nPATH = ROOT / "tests" / "data"\nP = "tests/x"\n'
    assert references_to_tests(source) == ["line 1: from tests.fixtures import", "line 2: import tests.editions",
                                           "line 3: 'tests'", "line 4: 'tests/x'"]


def test_no_module_of_the_product_imports_tests_or_reads_under_tests():
    tools = PROJECT_ROOT / "pipeline" / "tools"
    found = {str(path.relative_to(PROJECT_ROOT)): hits
             for path in sorted((PROJECT_ROOT / "pipeline").rglob("*.py")) if not path.is_relative_to(tools)
             if (hits := references_to_tests(path.read_text(encoding="utf-8")))}
    assert found == {}
