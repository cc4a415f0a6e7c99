"""Two-factor sign-in (filled in by the two-factor commit)."""

from __future__ import annotations


def token_otp_error(user, code: str) -> str | None:
    return None
