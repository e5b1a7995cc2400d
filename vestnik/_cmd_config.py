"""``vestnik config``: the effective configuration and where each value came from."""

from __future__ import annotations

import argparse

from core.settings import Settings

__all__ = ["SECRETS", "run"]

SECRETS = frozenset({"api.token", "smtp.password"})  # shown as "***" when set


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print ``key = value  # source`` lines, then the configured sites."""
    print(f"# config file: {settings.config_file or '(none)'}")
    for key, value in sorted(settings.items()):
        if key == "data_dir":
            value = str(settings.data_dir)
        elif key in SECRETS and value:
            value = "***"
        print(f"{key} = {value!r}  # {settings.sources.get(key, 'default')}")
    for site in settings.sites:
        print(f"[[sites]] {site.get('name', '?')}  # {site.get('_origin', '')}")
    return 0
