"""The command contract of docs/cli.md: names, options, help with examples, exit codes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from vestnik.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = [
    "crawl",
    "ingest",
    "index",
    "derive",
    "update",
    "search",
    "facts",
    "region",
    "extract",
    "repeats",
    "schedule",
    "ui",
    "watch",
    "serve",
    "demo",
    "config",
    "migrate",
]


def _subparsers() -> dict[str, object]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return dict(action.choices)  # type: ignore[attr-defined]


def test_every_command_exists_with_help_and_example() -> None:
    subs = _subparsers()
    assert sorted(subs) == sorted(COMMANDS)
    for name, sub in subs.items():
        text = sub.format_help()  # type: ignore[attr-defined]
        assert "Example:" in text and f"vestnik {name}" in text


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_documented(name: str) -> None:
    assert f"vestnik {name}" in (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert f"vestnik {name}" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("line", "options"),
    [
        ("crawl", ["--config", "--data", "--max-pages", "--delay", "--concurrency"]),
        ("index", ["--data", "--rebuild"]),
        (
            "search",
            ["--data", "--limit", "--since", "--until", "--site", "--lang", "--sort", "--json"],
        ),
        ("facts", ["--data", "--type", "--since", "--until", "--format", "--excel", "--output"]),
        ("extract", ["--format"]),
        ("schedule", ["--cron", "--every", "--data"]),
        ("ui", ["--data", "--port"]),
    ],
)
def test_contract_options(line: str, options: list[str]) -> None:
    help_text = _subparsers()[line].format_help()  # type: ignore[attr-defined]
    for option in options:
        assert re.search(rf"{re.escape(option)}\b", help_text), option


def test_search_help_documents_query_syntax_in_russian() -> None:
    help_text = _subparsers()["search"].format_help()  # type: ignore[attr-defined]
    for word in ("OR", "NOT", "кавычках", "префикс*", "поле:значение"):
        assert word in help_text


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["search", "--since", "09.01.2023"])
    assert exc.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_bad_config_is_one_line_and_exit_1(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[crawler]\nno_such_key = 1\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "vestnik.cli", "config", "--config", str(cfg)],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0
    assert "unknown setting 'crawler.no_such_key'" in proc.stderr
    debug = subprocess.run(
        [sys.executable, "-m", "vestnik.cli", "--debug", "config", "--config", str(cfg)],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert debug.returncode == 1 and "Traceback" in debug.stderr
