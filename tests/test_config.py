"""Settings: defaults, file, environment, command line, and where each value came from."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from core.errors import ConfigError
from core.settings import load_settings
from vestnik._logging import setup_logging
from vestnik.cli import main


def test_precedence_default_file_env_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "v.toml"
    cfg.write_text(
        'data_dir = "/from/file"\n[politeness]\ndelay = 2\n[crawler]\ncontact = "mailto:a@b.by"\n'
    )
    monkeypatch.setenv("VESTNIK_DELAY", "3.5")
    s = load_settings(str(cfg), {"data_dir": "/from/cli", "crawler.max_pages": None})
    assert s.data_dir == Path("/from/cli") and s.sources["data_dir"] == "command line"
    assert s.politeness.delay == 3.5 and s.sources["politeness.delay"] == "env VESTNIK_DELAY"
    assert s.crawler.max_pages == 0 and s.sources["crawler.max_pages"] == "default"
    assert s.sources["crawler.contact"] == f"file {cfg}"
    assert "mailto:a@b.by" in s.user_agent()


def test_default_data_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("VESTNIK_DATA", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert load_settings().data_dir == tmp_path / "vestnik"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[crawler]\nmax_pages = 'many'\n", "crawler.max_pages must be of type int"),
        ("[nope]\nx = 1\n", "unknown setting 'nope.x'"),
        ("data_dir = \n", "not valid TOML"),
        ("[log]\nformat = 'xml'\n", "log.format"),
        ("sites = 3\n", "[[sites]] must be a list of tables"),
    ],
)
def test_bad_files_are_config_errors(tmp_path: Path, text: str, message: str) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_settings(str(cfg))


def test_bad_environment_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VESTNIK_CONCURRENCY", "lots")
    with pytest.raises(ConfigError, match="environment VESTNIK_CONCURRENCY"):
        load_settings()


def test_config_command_prints_values_and_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "v.toml"
    cfg.write_text('[[sites]]\nname = "mpt"\nstart_urls = ["https://www.mpt.gov.by/ru/news"]\n')
    monkeypatch.setenv("VESTNIK_USER_AGENT", "tester/1.0")
    assert main(["config", "--config", str(cfg), "--data", str(tmp_path / "d")]) == 0
    out = capsys.readouterr().out
    assert f"data_dir = '{tmp_path / 'd'}'  # command line" in out
    assert "crawler.user_agent = 'tester/1.0'  # env VESTNIK_USER_AGENT" in out
    assert "politeness.delay = 1.0  # default" in out
    assert f"[[sites]] mpt  # {cfg}" in out


def test_json_log_lines(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("info", "json")
    logging.getLogger("vestnik.test").info("привет %d", 5)
    line = capsys.readouterr().err.strip().splitlines()[-1]
    entry = json.loads(line)
    assert (
        entry["level"] == "info"
        and entry["message"] == "привет 5"
        and entry["logger"] == "vestnik.test"
    )
    setup_logging("warning", "text")
    logging.getLogger("vestnik.test").info("hidden")
    assert "hidden" not in capsys.readouterr().err
