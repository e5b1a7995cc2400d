"""Docstring examples are run or not written: ``make test`` runs every package's doctests
(``--doctest-modules`` over the packages in pyproject's ``testpaths``), so none may be skipped."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "corpus", "crawler", "indexer", "ops", "search_ui", "vestnik", "webapi")


def test_no_skipped_docstring_examples() -> None:
    marker = "doctest: " + "+SKIP"  # split so this file does not match itself
    skipped = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if marker in line
    ]
    assert skipped == [], "write a runnable example or a plain 'Usage::' block instead"


def test_the_doctests_are_collected() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "--doctest-modules" in text
    assert all(f'"{p}"' in text.split("testpaths", 1)[1].split("\n", 1)[0] for p in PACKAGES)
