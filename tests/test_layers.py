"""Who may import whom: the one-way flow of docs/architecture.md, checked on every module's imports.

The base layer ``core`` imports no package of vestnik; ``corpus`` only ``core``; the crawler and the
indexer the store below them; ``ops`` drives them; the front ends (``search_ui``, ``webapi``) call
``ops``, the indexer's search API and the store; the ``vestnik`` command may import everything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "corpus", "crawler", "indexer", "ops", "search_ui", "webapi", "vestnik")
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "corpus": {"core"},
    "crawler": {"core", "corpus"},
    "indexer": {"core", "corpus"},
    "ops": {"core", "corpus", "crawler", "indexer"},
    "search_ui": {"core", "corpus", "indexer", "ops"},
    "webapi": {"core", "corpus", "indexer", "ops"},
    "vestnik": set(PACKAGES) - {"vestnik"},
}


def _imports(path: Path) -> set[str]:
    """Top-level vestnik packages a module imports (at any depth: lazy imports count too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(n.split(".")[0] for n in names if n.split(".")[0] in PACKAGES)
    return found


def _modules() -> list[tuple[str, Path]]:
    out = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            out.append((package, path))
    return out


def test_every_package_is_checked() -> None:
    present = {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()}
    assert {"core", "corpus", "crawler", "indexer", "ops", "search_ui", "vestnik"} <= present
    assert present <= set(PACKAGES), f"a new package needs a row in ALLOWED: {present}"


@pytest.mark.parametrize(
    ("package", "path"),
    _modules(),
    ids=lambda v: str(v.relative_to(ROOT)) if isinstance(v, Path) else v,
)
def test_imports_follow_the_layers(package: str, path: Path) -> None:
    wrong = _imports(path) - ALLOWED[package] - {package}
    assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"
