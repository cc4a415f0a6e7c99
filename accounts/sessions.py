"""The session store: Django's database sessions, but an unchanged session is written at most
once a minute.

With SESSION_SAVE_EVERY_REQUEST (the idle timeout slides with each request) every page ended in
an UPDATE and a commit of the session row; under load that write was a share of every page's
time (docs/benchmarks.md, "Throughput, cheaper pages"). Now a request that changes nothing in the
session moves its expiry only when the stored one is at least ``REFRESH_SECONDS`` old, so the
idle timeout is SESSION_COOKIE_AGE after the last request, less at most that minute. Any change
to the session's data (sign-in, sign-out, a message, the two-factor step) is saved at once.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

REFRESH_SECONDS = 60


class SessionStore(DatabaseSessionStore):
    _stored_expiry = None  # the row's expire_date when it was read in this request

    def _get_session_from_db(self):
        stored = super()._get_session_from_db()
        self._stored_expiry = stored.expire_date if stored is not None else None
        return stored

    def save(self, must_create: bool = False) -> None:
        unchanged = not must_create and not self.modified and self._stored_expiry is not None
        if unchanged and self.get_expiry_date() - self._stored_expiry < timedelta(seconds=REFRESH_SECONDS):
            return
        super().save(must_create=must_create)
        self._stored_expiry = None
