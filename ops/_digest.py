"""The e-mail digest after an update: one plain-text message listing each saved search's new items.

Sent through the ``[smtp]`` server of the settings (no host or no recipient: nothing is sent).
Delivery problems are logged and answered with ``False``, never raised: a mail server that is
down must not fail the update that found the items.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from core.settings import SmtpSettings
from ops._watches import WatchEntry, http_url

__all__ = ["DigestSection", "digest_message", "send_digest"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestSection:
    """One saved search and the entries an update found for it."""

    name: str
    query: str
    entries: tuple[WatchEntry, ...]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def digest_message(
    smtp: SmtpSettings, sections: Sequence[DigestSection], run_id: int | None
) -> EmailMessage:
    """The digest as an e-mail message (UTF-8 plain text)."""
    total = sum(len(s.entries) for s in sections)
    msg = EmailMessage()
    msg["Subject"] = f"Вестник: новые материалы по подпискам ({total})"
    msg["From"] = smtp.sender
    msg["To"] = ", ".join(smtp.recipients())
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = make_msgid("vestnik")
    lines = [f"Обновление #{run_id} нашло новые материалы." if run_id else "Новые материалы.", ""]
    for section in sections:
        lines.append(f"== {_one_line(section.name)} ({len(section.entries)})")
        if section.query:
            lines.append(f"   запрос: {_one_line(section.query)}")
        for entry in section.entries:
            lines.append(f"- {_one_line(entry.item.title or entry.item.url)}")
            lines.append(f"  {entry.summary}")
            if link := http_url(entry.item.url):
                lines.append(f"  {link}")
            lines.extend(f"  — {_one_line(sentence)}" for sentence in entry.facts[:5])
        lines.append("")
    msg.set_content("\n".join(lines))
    return msg


def send_digest(
    smtp: SmtpSettings, sections: Sequence[DigestSection], run_id: int | None = None
) -> bool:
    """Send the digest of the ``sections`` that have entries; True when the server took it."""
    sections = [s for s in sections if s.entries]
    if not smtp.host or not smtp.recipients() or not sections:
        return False
    message = digest_message(smtp, sections, run_id)
    try:
        client: smtplib.SMTP
        if smtp.security == "tls":
            client = smtplib.SMTP_SSL(
                smtp.host, smtp.port, timeout=smtp.timeout, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        with client:
            if smtp.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if smtp.user:
                client.login(smtp.user, smtp.password)
            client.send_message(message)
    except (OSError, smtplib.SMTPException, UnicodeError, ValueError) as exc:
        log.warning(
            "the digest e-mail could not be sent through %s:%s: %s",
            smtp.host, smtp.port, _one_line(str(exc)) or type(exc).__name__,
        )  # fmt: skip
        return False
    log.info("digest e-mail sent to %s (%d saved searches)", smtp.to, len(sections))
    return True
