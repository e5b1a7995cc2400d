"""Hostile and careless command lines: every command exits 0, 1 or 2 with at most one clear line on
stderr — never a traceback, never the catch-all "unexpected error" — within a bounded time.

Each test runs the real ``vestnik`` entry point (in-process, ``main(argv)``) on a real store and
Whoosh index built from a few ingested files; the bound on time is pytest-timeout's, not a timing
assertion.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from vestnik.cli import main

TEXTS = {
    "a.txt": "Соглашение с Курской областью\n\nМинистерство подписало соглашение о сотрудничестве "
    "с Курской областью. Товарооборот вырос на 12 процентов.",
    "b.txt": "Делегация Гродненской области\n\nДелегация Гродненской области посетила Смоленск; "
    "подписан план мероприятий на 2025-2026 годы.",
}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``vestnik ARGV``; argparse's exit 2 included."""
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse: bad usage
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def assert_clean(code: int, err: str, allowed: tuple[int, ...] = (0, 1, 2)) -> None:
    """The exit code is allowed and stderr holds no traceback and at most one error line."""
    assert code in allowed, (code, err)
    assert "Traceback" not in err and "unexpected error" not in err, err
    errors = [line for line in err.splitlines() if line.startswith("vestnik:")]
    assert len(errors) <= 1, err
    if code == 1:
        assert errors, f"exit 1 without saying why: {err!r}"


def _indexed(root: Path) -> Path:
    """A data directory under ``root`` with ``TEXTS`` ingested and indexed."""
    files = root / "files"
    files.mkdir()
    for name, text in TEXTS.items():
        (files / name).write_text(text, encoding="utf-8")
    data = root / "data"
    assert main(["--quiet", "ingest", str(files), "--data", str(data)]) == 0
    assert main(["--quiet", "index", "--data", str(data)]) == 0
    return data


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield _indexed(tmp_path_factory.mktemp("hostile-cli"))


QUERIES = [
    '"несбалансированные кавычки',
    "((соглашение",
    "соглашение))",
    "AND",
    "OR",
    "NOT",
    "НЕ",
    "ИЛИ ИЛИ",
    ")",
    "*",
    "**",
    "title:",
    'region:""',
    "site:",
    ":::",
    "соглашение\x00\x01\x02",
    "\u202eсоглашение\u2066 \u200f",
    "\ufeff\u00a0\u3000",
    "а" * 10_000,
    " ".join(["соглашение"] * 2_000),
    "соглашение " + "OR " * 500,
    "(" * 300 + "соглашение" + ")" * 300,
    '"' * 999,
    "\\",
    "соглаш*" * 50,
]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: repr(q[:20]))
def test_hostile_queries(data_dir: Path, query: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["search", query, "--data", str(data_dir)], capsys)
    assert_clean(code, err, (0, 1))
    code, out, err = run(["search", query, "--data", str(data_dir), "--json"], capsys)
    assert_clean(code, err, (0, 1))
    code, out, err = run(["facts", query, "--data", str(data_dir)], capsys)
    assert_clean(code, err, (0, 1))


def test_a_real_query_still_finds(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The guard against a fixture that finds nothing: the hostile cases above mean something."""
    code, out, err = run(["search", "курской области", "--data", str(data_dir), "--json"], capsys)
    assert code == 0 and "Курской" in out


@pytest.mark.parametrize(
    "args",
    [
        ["--since", "2023-02-30"],
        ["--until", "2023-13-01"],
        ["--since", "yesterday"],
        ["--limit", "-1"],
        ["--limit", "ten"],
        ["--page", "-5"],
        ["--sort", "random"],
        ["--lang", "xx"],
    ],
)
def test_bad_options_are_usage_errors(
    data_dir: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["search", "соглашение", "--data", str(data_dir), *args], capsys)
    assert code == 2 and "usage:" in err
    assert_clean(code, err)


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "args",
    [
        ["--limit", "1000000000000"],
        ["--page", "1000000000000"],
        ["--limit", "0"],
        ["--since", "2030-01-01", "--until", "2020-01-01"],
        ["--since", "0001-01-01"],
        ["--site", "\x00"],
        ["--region", "Несуществующая область"],
    ],
)
def test_odd_but_valid_options(
    data_dir: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["search", "соглашение", "--data", str(data_dir), *args], capsys)
    assert_clean(code, err, (0, 1))


def _hostile_file(kind: str, tmp_path: Path) -> Path:
    path = tmp_path / f"{kind}.html"
    if kind == "missing":
        return tmp_path / "nowhere" / "page.html"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "binary":
        path.write_bytes(random.Random(7).randbytes(200_000))
    elif kind == "nul":
        path.write_bytes(b"<html><h1>\x00\x00</h1><p>" + b"\x00" * 10_000 + b"</p></html>")
    elif kind == "folder":
        path.mkdir()
    elif kind == "symlink-loop":
        (tmp_path / "loop-a").symlink_to(tmp_path / "loop-b")
        (tmp_path / "loop-b").symlink_to(tmp_path / "loop-a")
        return tmp_path / "loop-a"
    elif kind == "huge":
        with path.open("wb") as fh:  # sparse: 200 MB on paper, nothing on disk
            fh.truncate(200_000_000)
    elif kind == "not-a-folder":
        path.write_text("x")
        return path / "inside.html"
    elif kind == "device":
        return Path("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(path)
    return path


FILE_KINDS = [
    "missing",
    "empty",
    "binary",
    "nul",
    "folder",
    "symlink-loop",
    "huge",
    "not-a-folder",
    "device",
    "fifo",
]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("kind", FILE_KINDS)
def test_extract_hostile_files(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _hostile_file(kind, tmp_path)
    code, _, err = run(["extract", str(path)], capsys)
    assert_clean(code, err, (0, 1))
    if kind in ("missing", "folder", "symlink-loop", "huge", "not-a-folder", "device", "fifo"):
        assert code == 1 and str(path) in err


@pytest.mark.timeout(60)
@pytest.mark.parametrize("kind", FILE_KINDS)
def test_ingest_hostile_files(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _hostile_file(kind, tmp_path)
    code, _, err = run(["--quiet", "ingest", str(path), "--data", str(tmp_path / "d")], capsys)
    assert_clean(code, err, (0, 1))


@pytest.mark.parametrize("where", ["missing-folder", "a-folder", "dev-full", "inside-a-file"])
def test_facts_output_that_cannot_be_written(
    data_dir: Path, where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = {
        "missing-folder": tmp_path / "no" / "such" / "facts.csv",
        "a-folder": tmp_path,
        "dev-full": Path("/dev/full"),
        "inside-a-file": tmp_path / "file.csv" / "facts.csv",
    }[where]
    if where == "inside-a-file":
        (tmp_path / "file.csv").write_text("keep me")
    before = sorted(p.name for p in tmp_path.iterdir())
    code, _, err = run(["facts", "--data", str(data_dir), "--output", str(target)], capsys)
    assert code == 1 and "cannot write" in err, err
    assert_clean(code, err)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temporary file left behind
    if where == "inside-a-file":
        assert (tmp_path / "file.csv").read_text() == "keep me"


def test_facts_output_to_a_file_works(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "facts.csv"
    code, _, err = run(["facts", "--data", str(data_dir), "--output", str(target)], capsys)
    assert code == 0 and target.read_text(encoding="utf-8").startswith("fact_type,")


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe\x00 not utf-8",
        b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n",
        b"[crawler]\nconcurrency = 99999999999999999999999999\n",
        b"[politeness]\ndelay = nan\n",
        b"[politeness]\ndelay = inf\n",
        b"\x00" * 1000,
        b"[[sites]]\nname = 1\n[[sites]]\n",
        b"x" * 2_000_000,
    ],
    ids=["utf16", "deep", "bigint", "nan", "inf", "nul", "sites", "huge"],
)
def test_hostile_config_files(
    content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "vestnik.toml"
    cfg.write_bytes(content)
    code, _, err = run(["config", "--config", str(cfg), "--data", str(tmp_path)], capsys)
    assert_clean(code, err, (0, 1))
    if content.startswith((b"\xff", b"a = [", b"\x00", b"x")):
        assert code == 1 and str(cfg) in err


def test_config_that_is_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["config", "--config", str(tmp_path)], capsys)
    assert code == 1 and "config file not found" in err
    assert_clean(code, err)


@pytest.mark.parametrize("port", ["99999", "0", "-1", "http"])
def test_ui_ports_out_of_range_are_usage_errors(
    port: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["ui", "--port", port], capsys)
    assert code == 2 and "port" in err
    assert_clean(code, err)


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://127.0.0.1:99999/news", "port"),
        ("http://127.0.0.1:0/news", "port"),
        ("http://[::1/news", "URL"),
        ("ftp://example.org/", "site"),
        ("javascript:alert(1)", ""),
        ("http://" + "a" * 10_000 + ".by/", "URL"),
        ("", ""),
    ],
    ids=["port-99999", "port-0", "bracket", "ftp", "javascript", "long-host", "empty"],
)
def test_crawl_bad_start_urls(
    url: str, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["crawl", url, "--data", str(tmp_path / "d")], capsys)
    assert code in (1, 2), err
    assert_clean(code, err)
    final = [line for line in err.splitlines() if line.startswith("vestnik:")]
    assert final and said in final[-1], err


def test_extract_bad_urls(capsys: pytest.CaptureFixture[str]) -> None:
    for url in ("http://127.0.0.1:99999/x", "http://[::1/x", "https://"):
        code, _, err = run(["extract", url], capsys)
        assert code == 1, (url, err)
        assert_clean(code, err)


def test_search_without_an_index(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["search", "соглашение", "--data", str(tmp_path / "empty")], capsys)
    assert_clean(code, err, (0, 1))


@pytest.mark.parametrize("damage", ["truncate", "zero", "garbage", "remove"])
def test_a_damaged_index_is_one_line_naming_the_rebuild(
    tmp_path: Path, damage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every segment file of a real index cut short, emptied, overwritten or removed: `vestnik search`
    exits 1 with one line that says how to recover, and `vestnik index --rebuild` recovers."""
    data = _indexed(tmp_path)
    capsys.readouterr()
    segments = [
        p for p in (data / "index").iterdir() if p.is_file() and not p.name.endswith(".toc")
    ]
    segments += [p for p in (data / "index").iterdir() if p.name.endswith(".toc")]
    assert segments, "the index has no files to damage"
    for path in segments:
        body = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(body[: len(body) // 3])
        elif damage == "zero":
            path.write_bytes(b"")
        elif damage == "garbage":
            path.write_bytes(random.Random(7).randbytes(max(64, len(body))))
        else:
            path.unlink()
    code, out, err = run(["search", "курской области", "--data", str(data)], capsys)
    assert_clean(code, err, (1,))
    assert "vestnik index --rebuild" in err or "vestnik index" in err, err
    code, _, err = run(["--quiet", "index", "--rebuild", "--data", str(data)], capsys)
    assert code == 0, err
    code, out, err = run(["search", "курской области", "--data", str(data), "--json"], capsys)
    assert code == 0 and "Курской" in out
