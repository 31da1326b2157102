"""The optimisers' imports, read from the source with ``ast`` (nothing is imported).

Every import counts, at the top of a module or inside a function: an import hidden in a
function still ties the modules together.
"""

import ast
from pathlib import Path

OPTIMIZE = Path(__file__).resolve().parents[2] / "src" / "deepdive" / "optimize"
PACKAGE = "deepdive.optimize"


def _imports(path: Path) -> set[str]:
    """The absolute names of the modules that ``path`` imports, anywhere in it."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the optimize package (or above it)
                parts = PACKAGE.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
                if not node.module:  # "from . import x": x is a module of the package
                    names.update(f"{base}.{alias.name}" for alias in node.names)
                    continue
            else:
                module = node.module or ""
            names.add(module)
    return names


def _modules() -> dict[str, set[str]]:
    return {f"{PACKAGE}.{path.stem}": _imports(path) for path in sorted(OPTIMIZE.glob("*.py"))}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of ``graph`` (as the list of its modules, first one repeated), or None."""
    state: dict[str, str] = {}  # "open" while on the path, "done" once fully explored
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_imports_reads_relative_and_function_level_imports():
    modules = _modules()
    assert f"{PACKAGE}.validation" in modules[f"{PACKAGE}.select"]
    assert f"{PACKAGE}.commands" in modules and f"{PACKAGE}.select_problem" in modules


def test_cycle_finds_a_circle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_optimisers_import_no_django():
    offenders = {
        module: sorted(
            name
            for name in names
            if name == "django"
            or name.startswith("django.")
            or (name.startswith("deepdive.") and not name.startswith(f"{PACKAGE}."))
        )
        for module, names in _modules().items()
    }
    assert {module: names for module, names in offenders.items() if names} == {}


def test_select_modules_import_one_way():
    modules = _modules()
    select = {module for module in modules if module.rsplit(".", 1)[1].startswith("select")}
    graph = {module: modules[module] & select for module in select}
    assert _cycle(graph) is None


def test_every_optimiser_module_imports_one_way():
    modules = _modules()
    graph = {module: names & modules.keys() for module, names in modules.items()}
    assert _cycle(graph) is None
