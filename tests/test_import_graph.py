"""The modules of pipeline/ import one another without a circle, counting imports inside functions and under
TYPE_CHECKING: read from the source with ast, so a circle hidden in a lazy import is found too."""

from __future__ import annotations

import ast

from pipeline import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "pipeline"


def module_name(path) -> str:
    parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST, name: str, is_package: bool, modules: set[str]) -> set[str]:
    """The modules of `modules` that the module `name` imports anywhere in its source."""
    found = set()
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {target for target in targets if target in modules and target != name}
    return found


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {name: imported(ast.parse(path.read_text(encoding="utf-8")), name, path.name == "__init__.py", set(paths))
            for name, path in paths.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A circle of imports as [a, b, …, a], or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


# pipeline.publish (the publish stage in the package's __init__) and pipeline.publish.check import each other, and
# the chart modules import the package for its drawing module; the publish stage moving to a module of its own
# removes both circles, and then this mark must go (strict: the test fails once the circles are gone).
def test_no_two_modules_of_pipeline_import_each_other_directly_or_in_a_loop():
    graph = import_graph()
    assert "pipeline.rules" in graph and "pipeline.schema" in graph["pipeline.rules"]
    cycle = find_cycle(graph)
    assert cycle is None, "import circle: " + " → ".join(cycle)


def test_outside_the_publish_package_no_modules_import_each_other():
    graph = {name: {target for target in targets if not target.startswith("pipeline.publish")}
             for name, targets in import_graph().items() if not name.startswith("pipeline.publish")}
    cycle = find_cycle(graph)
    assert cycle is None, "import circle: " + " → ".join(cycle)


def test_the_cycle_finder_names_a_circle_through_a_lazy_import():
    source = "import pipeline.b\n\ndef late():\n    from pipeline import a\n"
    graph = {"pipeline.a": imported(ast.parse("from pipeline.b import x\n"), "pipeline.a", False,
                                    {"pipeline.a", "pipeline.b"}),
             "pipeline.b": imported(ast.parse(source), "pipeline.b", False, {"pipeline.a", "pipeline.b"})}
    assert graph == {"pipeline.a": {"pipeline.b"}, "pipeline.b": {"pipeline.a"}}
    assert find_cycle(graph) == ["pipeline.a", "pipeline.b", "pipeline.a"]


def test_publishing_code_imports_no_stage_for_the_words_of_the_codes():
    graph = import_graph()
    for name in ("pipeline.codes", "pipeline.rules", "pipeline.schema"):
        assert not [target for target in graph[name] if target.startswith("pipeline.stages")], name
