"""Settings: one TOML file, documented defaults, environment overrides, and where each value came from.

Precedence, lowest first: the defaults below, the config file (``--config FILE``, else
``$VESTNIK_CONFIG``, else ``./vestnik.toml`` when present), environment variables
(``VESTNIK_DATA`` ...), then command-line options. ``vestnik config`` prints the result.
An unknown key or a value of the wrong type is a ``ConfigError`` when the file is loaded.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vestnik._errors import ConfigError

__all__ = ["DEFAULTS", "ENV_VARS", "Settings", "default_data_dir", "load_settings"]


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/vestnik``, i.e. ``~/.local/share/vestnik`` by default."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "vestnik"


# Every known key, dotted as in the TOML file, with its default. The type of the default is the
# type the value must have (int accepted where float is expected).
DEFAULTS: dict[str, Any] = {
    "data_dir": "",  # "" means default_data_dir()
    "log.level": "info",  # debug | info | warning | error
    "log.format": "text",  # text | json
    "crawler.user_agent": "vestnik/0.1 (+https://github.com/vestnik-news/vestnik)",
    "crawler.contact": "",  # a URL or e-mail put into the User-Agent
    "crawler.max_pages": 0,  # per site and run; 0: no limit
    "crawler.concurrency": 8,  # requests in flight over all hosts
    "crawler.stop_after_unchanged_listing_pages": 2,  # incremental listing walk
    "crawler.use_sitemaps": True,
    "politeness.delay": 1.0,  # seconds between requests to one host
    "politeness.per_host_concurrency": 2,
    "politeness.respect_robots": True,
    "politeness.connect_timeout": 10.0,
    "politeness.read_timeout": 30.0,
    "politeness.total_timeout": 60.0,
    "politeness.retries": 3,
    "politeness.backoff": 1.0,  # first retry delay, doubled each time, with jitter
    "politeness.retry_after_cap": 120.0,
    "politeness.max_bytes": 10_000_000,
    "politeness.max_redirects": 5,
    "schedule.cron": "",
    "schedule.every": "",
    "index.procs": 2,  # index writer processes for full builds of >= 4,000 documents
}

ENV_VARS: dict[str, str] = {
    "VESTNIK_DATA": "data_dir",
    "VESTNIK_LOG_LEVEL": "log.level",
    "VESTNIK_LOG_FORMAT": "log.format",
    "VESTNIK_USER_AGENT": "crawler.user_agent",
    "VESTNIK_CONTACT": "crawler.contact",
    "VESTNIK_MAX_PAGES": "crawler.max_pages",
    "VESTNIK_CONCURRENCY": "crawler.concurrency",
    "VESTNIK_DELAY": "politeness.delay",
    "VESTNIK_RESPECT_ROBOTS": "politeness.respect_robots",
    "VESTNIK_SCHEDULE_CRON": "schedule.cron",
    "VESTNIK_SCHEDULE_EVERY": "schedule.every",
    "VESTNIK_INDEX_PROCS": "index.procs",
}


@dataclass(frozen=True)
class Settings:
    """The effective configuration: flat dotted values, their sources, and the site tables."""

    values: dict[str, Any]
    sources: dict[str, str]
    sites: tuple[dict[str, Any], ...] = ()
    config_file: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str) -> Any:
        """One value by dotted key (a ``KeyError`` for unknown keys is a programming error)."""
        return self.values[key]

    @property
    def data_dir(self) -> Path:
        """The data directory, resolved."""
        value = str(self.values["data_dir"])
        return Path(value).expanduser() if value else default_data_dir()

    def user_agent(self) -> str:
        """The User-Agent header with the configured contact."""
        ua = str(self.values["crawler.user_agent"])
        contact = str(self.values["crawler.contact"])
        if contact and contact not in ua:
            ua = ua[:-1] + f"; {contact})" if ua.endswith(")") else f"{ua} ({contact})"
        return ua


def _coerce(key: str, value: Any, origin: str) -> Any:
    default = DEFAULTS[key]
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in (
            "1",
            "true",
            "yes",
            "on",
            "0",
            "false",
            "no",
            "off",
        ):
            return value.lower() in ("1", "true", "yes", "on")
    elif isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
    elif isinstance(default, float):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                pass
    elif isinstance(value, str):
        return value
    kind = type(default).__name__
    raise ConfigError(f"{origin}: {key} must be of type {kind}, got {value!r}")


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and not any(k == dotted for k in DEFAULTS):
            flat.update(_flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


def _find_config_file(explicit: str | None) -> Path | None:
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError(f"config file not found: {path}")
        return path
    env = os.environ.get("VESTNIK_CONFIG")
    if env:
        path = Path(env).expanduser()
        if not path.is_file():
            raise ConfigError(f"config file not found: {path} (from VESTNIK_CONFIG)")
        return path
    local = Path("vestnik.toml")
    return local if local.is_file() else None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc


def load_settings(
    config_file: str | None = None, overrides: dict[str, Any] | None = None
) -> Settings:
    """Build the effective settings; ``overrides`` are command-line values (None means unset)."""
    values = dict(DEFAULTS)
    sources = dict.fromkeys(DEFAULTS, "default")
    sites: list[dict[str, Any]] = []
    path = _find_config_file(config_file)
    if path is not None:
        data = _read_toml(path)
        raw_sites = data.pop("sites", [])
        if not isinstance(raw_sites, list) or not all(isinstance(s, dict) for s in raw_sites):
            raise ConfigError(f"{path}: [[sites]] must be a list of tables")
        sites = [dict(s, _origin=str(path)) for s in raw_sites]
        for key, value in _flatten(data).items():
            if key not in DEFAULTS:
                raise ConfigError(f"{path}: unknown setting {key!r}")
            values[key] = _coerce(key, value, str(path))
            sources[key] = f"file {path}"
    for var, key in ENV_VARS.items():
        if var in os.environ:
            values[key] = _coerce(key, os.environ[var], f"environment {var}")
            sources[key] = f"env {var}"
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = _coerce(key, value, "command line")
            sources[key] = "command line"
    if values["log.format"] not in ("text", "json"):
        raise ConfigError(f"log.format must be 'text' or 'json', got {values['log.format']!r}")
    return Settings(values=values, sources=sources, sites=tuple(sites), config_file=path)
