"""The apps import one way only: an app imports only the apps below it.

The order is written once, in ``LAYERS`` below, and mirrored in the README's "Layout of the
code". Every module of every app under ``src/deepdive/`` is parsed (nothing is imported), its
imports at the top of the module and inside functions alike. Today's exceptions are listed with
the reason and the way out; the lists only shrink: a listed import that is gone fails too, so
that whoever removes it also removes its line.
"""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "deepdive"

# Bottom first. An app imports only apps of the layers below its own; the apps of one layer do
# not import each other. The apps not written yet are named where they will go.
LAYERS: list[tuple[str, ...]] = [
    ("core", "optimize", "formats"),  # the kit every app uses; optimisers without Django
    ("reference",),  # Outcomes, criteria, countries ...
    ("outbox",),  # every app sends e-mail
    ("directory",),
    ("accounts",),
    ("series",),
    ("proposals",),
    ("reviews",),
    ("webinars",),  # owns the Webinar and every write to it
    ("selection",),  # ends at the decision and the host's answer (creates the webinar)
    ("timetable",),  # plans, and publishes through webinars' operations
    ("communications", "insight"),
    ("dashboard", "api"),  # the home page, the dashboards and the manage home; the public API
    ("demo",),
]

# (importing app, imported app above it): why, and where it goes.
KNOWN_UPWARD: dict[tuple[str, str], str] = {}

# (module under src/deepdive, imported module of the project) imported inside a function.
# Django's place for start-up imports, AppConfig.ready in apps.py, is allowed.
KNOWN_INSIDE_FUNCTIONS: dict[tuple[str, str], str] = {
    ("demo/management/commands/demo.py", "deepdive.wsgi"): "builds the web application when "
    "imported: only serving needs it",
    ("proposals/migrations/0004_near_duplicates.py", "deepdive.proposals"): "a data migration "
    "that reuses the code of its day",
}

LEVEL = {app: level for level, apps in enumerate(LAYERS) for app in apps}


def apps() -> list[str]:
    return sorted(p.name for p in SRC.iterdir() if (p / "__init__.py").exists())


def modules():
    for app in apps():
        for path in sorted((SRC / app).rglob("*.py")):
            yield app, path.relative_to(SRC).as_posix(), ast.parse(path.read_text("utf-8"))


def imported_modules(node: ast.AST) -> list[str]:
    """The modules an import statement names, relative ones with their leading dots."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        module = "." * node.level + (node.module or "")
        if module == "deepdive":  # from deepdive import proposals
            return [f"deepdive.{alias.name}" for alias in node.names]
        return [module]
    return []


def imports_of_other_apps() -> set[tuple[str, str, str]]:
    """(importing app, imported app, module) for every import of another app of the project."""
    found = set()
    for app, module, tree in modules():
        for node in ast.walk(tree):
            for name in imported_modules(node):
                parts = name.split(".")
                if parts[0] == "deepdive" and len(parts) > 1 and parts[1] not in (app, ""):
                    if (SRC / parts[1] / "__init__.py").exists():
                        found.add((app, parts[1], module))
    return found


def imports_inside_functions() -> set[tuple[str, str]]:
    """(module, imported module) for every import of the project inside a function, except
    in ``AppConfig.ready``."""
    found = set()
    for _app, module, tree in modules():
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if module.endswith("apps.py") and function.name == "ready":
                continue
            for node in ast.walk(function):
                for name in imported_modules(node):
                    if name.startswith(("deepdive.", ".")) or name == "deepdive":
                        found.add((module, name))
    return found


def test_every_app_has_its_place_in_the_layers():
    assert [app for app in apps() if app not in LEVEL] == []


def test_apps_import_only_apps_below_them():
    upward: dict[tuple[str, str], list[str]] = {}
    for app, other, module in imports_of_other_apps():
        if LEVEL.get(other, -1) >= LEVEL.get(app, -1):
            upward.setdefault((app, other), []).append(module)
    new = {pair: sorted(where) for pair, where in upward.items() if pair not in KNOWN_UPWARD}
    gone = sorted(pair for pair in KNOWN_UPWARD if pair not in upward)
    assert not new, f"an app imports one above it (move the piece down, or pass it in): {new}"
    assert not gone, f"no longer imported upward, remove from KNOWN_UPWARD: {gone}"


def test_no_import_hides_inside_a_function():
    inside = imports_inside_functions()
    new = sorted(inside - KNOWN_INSIDE_FUNCTIONS.keys())
    gone = sorted(KNOWN_INSIDE_FUNCTIONS.keys() - inside)
    assert not new, f"imports inside a function (put them at the top of the module): {new}"
    assert not gone, f"no longer inside a function, remove from KNOWN_INSIDE_FUNCTIONS: {gone}"
