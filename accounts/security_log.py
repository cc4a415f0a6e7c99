"""The security-event log (filled in by the security-event commit)."""

from __future__ import annotations


def record_token_use(token) -> None:
    return None
