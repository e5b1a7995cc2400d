"""Settings: one TOML file, typed sections with documented defaults, environment overrides, and
where each value came from.

Every section of the TOML file is a frozen dataclass below (``[politeness]`` is
``PolitenessSettings``); a field's default is its documented default, its type is the type the value
must have (an int is accepted where a float is expected), and its metadata names an environment
variable that overrides it. Code reads typed attributes — ``settings.politeness.delay`` — never
dotted strings. Precedence, lowest first: the defaults, the config file (``--config FILE``, else
``$VESTNIK_CONFIG``, else ``./vestnik.toml`` when present), environment variables, then command-line
options (dotted keys, given by the CLI). An unknown key, a value of the wrong type or an unreadable
file is a ``ConfigError`` when the file is loaded. ``vestnik config`` prints the result.

>>> s = load_settings(None, {"politeness.delay": 2})
>>> s.politeness.delay, s.sources["politeness.delay"]
(2.0, 'command line')

To add a setting, add a field (with ``_opt``) to the right section, or a new section class and a
field of that type on ``Settings``; then a row in docs/configuration.md.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from core.errors import ConfigError

__all__ = [
    "MAX_CONFIG_BYTES",
    "ApiSettings",
    "AttachmentSettings",
    "ClusterSettings",
    "CrawlerSettings",
    "FeedSettings",
    "IndexSettings",
    "LogSettings",
    "PolitenessSettings",
    "ScheduleSettings",
    "SearchSettings",
    "Settings",
    "SmtpSettings",
    "StoreSettings",
    "default_data_dir",
    "env_vars",
    "load_settings",
]

MAX_CONFIG_BYTES = 1_000_000  # a configuration file larger than this is refused


def _opt(default: Any, env: str = "", choices: tuple[str, ...] = ()) -> Any:
    return field(default=default, metadata={"env": env, "choices": choices})


@dataclass(frozen=True)
class LogSettings:
    """``[log]``: log lines on stderr."""

    level: str = _opt("info", "VESTNIK_LOG_LEVEL", ("debug", "info", "warning", "error"))
    format: str = _opt("text", "VESTNIK_LOG_FORMAT", ("text", "json"))


@dataclass(frozen=True)
class CrawlerSettings:
    """``[crawler]``: what the crawler sends and how much it takes."""

    user_agent: str = _opt(
        "vestnik/0.1 (+https://github.com/vestnik-news/vestnik)", "VESTNIK_USER_AGENT"
    )
    contact: str = _opt("", "VESTNIK_CONTACT")  # a URL or e-mail put into the User-Agent
    max_pages: int = _opt(0, "VESTNIK_MAX_PAGES")  # per site and run; 0: no limit
    concurrency: int = _opt(8, "VESTNIK_CONCURRENCY")  # requests in flight over all hosts
    stop_after_unchanged_listing_pages: int = 2  # incremental listing walk
    use_sitemaps: bool = True
    # crawler traps (docs/crawling.md "Traps"): per site and run
    max_depth: int = 25  # link hops from a start URL (pagination hops not counted)
    pattern_budget: int = 200  # pages of one URL pattern beyond the documents the site gave
    site_budget: int = 50_000  # pages requested per site and run; 0: no limit
    max_url_length: int = 2048  # longer URLs are not requested
    # many workers on one PostgreSQL store: a claimed URL is held this long (renewed before its
    # request; at least total_timeout + 5 s), so a killed worker's URLs return after it
    lease: float = 300.0


@dataclass(frozen=True)
class PolitenessSettings:
    """``[politeness]``: how the crawler treats each host."""

    delay: float = _opt(1.0, "VESTNIK_DELAY")  # seconds between requests to one host
    per_host_concurrency: int = 2
    respect_robots: bool = _opt(True, "VESTNIK_RESPECT_ROBOTS")
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 60.0
    retries: int = 3
    backoff: float = 1.0  # first retry delay, doubled each time, with jitter
    retry_after_cap: float = 120.0
    max_bytes: int = 10_000_000  # of the decoded body, enforced while it streams
    max_redirects: int = 5
    max_crawl_delay: float = 60.0  # a longer robots.txt Crawl-delay is capped (logged, recorded)
    robots_max_bytes: int = 500_000  # robots.txt read up to this size (the rest ignored)


@dataclass(frozen=True)
class ScheduleSettings:
    """``[schedule]``: what ``vestnik schedule`` runs when given no option."""

    cron: str = _opt("", "VESTNIK_SCHEDULE_CRON")
    every: str = _opt("", "VESTNIK_SCHEDULE_EVERY")


@dataclass(frozen=True)
class IndexSettings:
    """``[index]``: the derive and index stages."""

    procs: int = _opt(0, "VESTNIK_INDEX_PROCS")  # worker processes for big batches; 0: all cores

    @property
    def workers(self) -> int:
        """``procs``, with 0 meaning the machine's cores."""
        return self.procs if self.procs > 0 else max(os.cpu_count() or 1, 1)


@dataclass(frozen=True)
class StoreSettings:
    """``[store]``: where the corpus lives."""

    url: str = _opt("", "VESTNIK_STORE")  # "" means sqlite:///DATA/corpus.sqlite


@dataclass(frozen=True)
class ClusterSettings:
    """``[clusters]``: story clusters (``indexer.clusters.ClusterParams``; docs/clusters.md). A
    change re-clusters every document at the next derive run."""

    shingle_words: int = 3  # words per shingle
    stem_chars: int = 6  # words are cut to this many letters
    num_perm: int = 128  # MinHash permutations (signature length)
    lsh_threshold: float = 0.2  # MinHash LSH threshold for candidate pairs
    jaccard: float = _opt(0.25, "VESTNIK_CLUSTER_JACCARD")  # estimated Jaccard for one story
    containment: float = _opt(0.55, "VESTNIK_CLUSTER_CONTAINMENT")  # or: smaller set inside larger
    min_shingles: int = 25  # the smaller set has at least this many shingles
    window_days: int = _opt(30, "VESTNIK_CLUSTER_WINDOW_DAYS")  # dates at most this far apart
    seed: int = 20240  # MinHash seed
    boilerplate_docs: int = 3  # template guard: passages in this many documents of one site


@dataclass(frozen=True)
class SearchSettings:
    """``[search]``: which search backend serves queries."""

    backend: str = _opt("whoosh", "VESTNIK_SEARCH_BACKEND", ("whoosh", "postgres"))


@dataclass(frozen=True)
class AttachmentSettings:
    """``[attachments]``: files linked from articles (PDF, DOCX, ODT, RTF, DOC) and their text."""

    fetch: bool = _opt(True, "VESTNIK_ATTACHMENTS")  # fetch and read linked files
    max_bytes: int = 20_000_000  # download cap per file
    max_unpacked: int = 100_000_000  # inflated size cap of a DOCX/ODT (zip bombs stop here)
    max_pages: int = 100  # PDF pages read; the rest is noted, not read
    max_chars: int = 2_000_000  # text kept per file
    memory_mb: int = 768  # address-space cap of the extraction worker process
    seconds: float = 30.0  # time limit of one file's extraction


@dataclass(frozen=True)
class FeedSettings:
    """``[feeds]``: RSS/Atom feeds and sitemap ``lastmod`` as the cheap way to find new items."""

    use: bool = _opt(True, "VESTNIK_USE_FEEDS")  # read feeds (discovered or at common paths)
    common_paths: bool = True  # probe /rss.xml, /feed, ... once when a site names no feed
    trust_lastmod: bool = True  # an update skips known pages whose lastmod has not moved
    max_bytes: int = 5_000_000  # a feed larger than this is one recorded error
    max_sitemap_bytes: int = 52_428_800  # a sitemap larger than this (fetched or inflated) too
    max_sitemaps: int = 50  # nested sitemaps read per site and run


@dataclass(frozen=True)
class ApiSettings:
    """``[api]``: the read-only HTTP API of ``vestnik serve`` (docs/api.md)."""

    host: str = _opt("127.0.0.1", "VESTNIK_API_HOST")  # another address needs a token
    port: int = _opt(8765, "VESTNIK_API_PORT")
    token: str = _opt("", "VESTNIK_API_TOKEN")  # "": no token, 127.0.0.1 only
    cors_origins: str = ""  # comma-separated origins CORS allows; "": CORS off

    def origins(self) -> tuple[str, ...]:
        """``cors_origins`` as a tuple."""
        return tuple(o.strip() for o in self.cors_origins.split(",") if o.strip())


@dataclass(frozen=True)
class SmtpSettings:
    """``[smtp]``: the e-mail digest of saved searches' new items after an update."""

    host: str = _opt("", "VESTNIK_SMTP_HOST")  # "": no digest
    port: int = _opt(25, "VESTNIK_SMTP_PORT")
    sender: str = "vestnik@localhost"
    to: str = _opt("", "VESTNIK_SMTP_TO")  # comma-separated recipients
    user: str = ""
    password: str = _opt("", "VESTNIK_SMTP_PASSWORD")
    security: str = _opt("none", "", ("none", "starttls", "tls"))
    timeout: float = 20.0

    def recipients(self) -> tuple[str, ...]:
        """``to`` as a tuple."""
        return tuple(a.strip() for a in self.to.split(",") if a.strip())


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/vestnik``, i.e. ``~/.local/share/vestnik`` by default."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "vestnik"


@dataclass(frozen=True)
class Settings:
    """The effective configuration: typed sections, the site tables, and each value's source."""

    data_dir_value: str = ""  # as configured; "" means default_data_dir()
    log: LogSettings = field(default_factory=LogSettings)
    crawler: CrawlerSettings = field(default_factory=CrawlerSettings)
    politeness: PolitenessSettings = field(default_factory=PolitenessSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    index: IndexSettings = field(default_factory=IndexSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    search: SearchSettings = field(default_factory=SearchSettings)
    clusters: ClusterSettings = field(default_factory=ClusterSettings)
    attachments: AttachmentSettings = field(default_factory=AttachmentSettings)
    feeds: FeedSettings = field(default_factory=FeedSettings)
    api: ApiSettings = field(default_factory=ApiSettings)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    sites: tuple[dict[str, Any], ...] = ()
    config_file: Path | None = None
    sources: Mapping[str, str] = field(default_factory=dict)

    @property
    def data_dir(self) -> Path:
        """The data directory, resolved."""
        value = self.data_dir_value
        return Path(value).expanduser() if value else default_data_dir()

    @property
    def store_url(self) -> str:
        """The corpus store's URL: ``store.url``, else the SQLite file of the data directory
        (``sqlite:///DATA/corpus.sqlite``; ``corpus.STORE_FILENAME``)."""
        url = self.store.url.strip()
        return url or "sqlite:///" + str(self.data_dir.absolute() / "corpus.sqlite")

    def user_agent(self) -> str:
        """The User-Agent header with the configured contact."""
        ua, contact = self.crawler.user_agent, self.crawler.contact
        if contact and contact not in ua:
            ua = ua[:-1] + f"; {contact})" if ua.endswith(")") else f"{ua} ({contact})"
        return ua

    def items(self) -> Iterator[tuple[str, Any]]:
        """Every setting as ``(dotted key, value)``, in a stable order."""
        yield "data_dir", self.data_dir_value
        for name in _sections():
            section = getattr(self, name)
            for f in dataclasses.fields(section):
                yield f"{name}.{f.name}", getattr(section, f.name)

    def replace(self, values: Mapping[str, Any], source: str) -> Settings:
        """A copy with dotted ``values`` set (checked as a file's would be), marked as ``source``."""
        return _apply(self, dict(values), source)


@cache
def _sections() -> dict[str, type[Any]]:
    hints = typing.get_type_hints(Settings)
    return {
        f.name: hints[f.name]
        for f in dataclasses.fields(Settings)
        if dataclasses.is_dataclass(hints[f.name])
    }


@cache
def _keys() -> dict[str, tuple[type[Any], dataclasses.Field[Any]]]:
    """Every dotted key with its value type and field."""
    keys: dict[str, tuple[type[Any], dataclasses.Field[Any]]] = {}
    for name, cls in _sections().items():
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            keys[f"{name}.{f.name}"] = (hints[f.name], f)
    return keys


def env_vars() -> dict[str, str]:
    """Environment variable -> dotted key, for every setting that has one."""
    out = {"VESTNIK_DATA": "data_dir"}
    for key, (_, f) in _keys().items():
        if f.metadata.get("env"):
            out[f.metadata["env"]] = key
    return out


_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def _coerce(key: str, kind: type[Any], value: Any, origin: str) -> Any:
    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
            return value.strip().lower() in _TRUE
    elif kind is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 20:
            return int(value)
    elif kind is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                pass
            else:
                if number == number and abs(number) != float("inf"):
                    return number
    elif kind is str and isinstance(value, str):
        return value
    raise ConfigError(f"{origin}: {key} must be of type {kind.__name__}, got {_short(value)}")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _apply(settings: Settings, values: dict[str, Any], origin: str, source: str = "") -> Settings:
    """``settings`` with dotted ``values`` coerced and set; ``origin`` names where they came from in
    error messages, ``source`` (default: ``origin``) in ``settings.sources``."""
    keys = _keys()
    sources = dict(settings.sources)
    changes: dict[str, dict[str, Any]] = {}
    data_dir = settings.data_dir_value
    for key, value in values.items():
        if key == "data_dir":
            if not isinstance(value, str):
                raise ConfigError(f"{origin}: data_dir must be of type str, got {_short(value)}")
            data_dir = value
        elif key in keys:
            kind, f = keys[key]
            coerced = _coerce(key, kind, value, origin)
            choices = f.metadata.get("choices") or ()
            if choices and coerced not in choices:
                allowed = " | ".join(choices)
                raise ConfigError(f"{origin}: {key} must be one of {allowed}, got {_short(value)}")
            section, name = key.split(".", 1)
            changes.setdefault(section, {})[name] = coerced
        else:
            raise ConfigError(f"{origin}: unknown setting {key!r}")
        sources[key] = source or origin
    new_sections = {
        name: dataclasses.replace(getattr(settings, name), **fields)
        for name, fields in changes.items()
    }
    return dataclasses.replace(settings, data_dir_value=data_dir, sources=sources, **new_sections)


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
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
            raw = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_CONFIG_BYTES:,} bytes; not a vestnik config")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except RecursionError as exc:
        raise ConfigError(f"{path}: not valid TOML: nested too deeply") from exc


def load_settings(
    config_file: str | None = None, overrides: Mapping[str, Any] | None = None
) -> Settings:
    """Build the effective settings; ``overrides`` are command-line values (None means unset)."""
    settings = Settings(sources=dict.fromkeys(["data_dir", *_keys()], "default"))
    path = _find_config_file(config_file)
    if path is not None:
        data = _read_toml(path)
        raw_sites = data.pop("sites", [])
        if not isinstance(raw_sites, list) or not all(isinstance(s, dict) for s in raw_sites):
            raise ConfigError(f"{path}: [[sites]] must be a list of tables")
        settings = _apply(settings, _flatten(data), str(path), f"file {path}")
        sites = tuple(dict(s, _origin=str(path)) for s in raw_sites)
        settings = dataclasses.replace(settings, sites=sites, config_file=path)
    for var, key in env_vars().items():
        if var in os.environ:
            settings = _apply(settings, {key: os.environ[var]}, f"environment {var}", f"env {var}")
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    if given:
        settings = _apply(settings, given, "command line")
    return settings
