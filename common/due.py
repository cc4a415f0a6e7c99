"""What is due: the registry of "due item" providers behind every user's home page.

Each app says what its users owe in its own ``<app>/due.py``: one or more functions
``provider(user, today) -> list[DueItem]`` registered with `register_due_provider` at import.
`autodiscover()` (called from ``AccountsConfig.ready()``) imports the ``due`` module of every
installed app, as the admin finds ``admin.py``; the home page asks `due_items()` and knows no app.

A provider answers for the user it is given, within that user's scope (it reads through
``restrict()``/``visible_to()`` and asks ``may()``), in a fixed number of queries whatever the
data: the home page's query count is pinned by a test. It returns nothing for a role it has no
work for.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

Text = str | Promise


class Severity(enum.IntEnum):
    """How urgent an item is; lower sorts first."""

    LATE = 0  # past its date
    DUE = 1  # has a date ahead
    NOTICE = 2  # worth knowing, nothing to do by a date


@dataclass(frozen=True)
class DueItem:
    title: Text  # what is owed ("2025–2026学年在园情况报送")
    kind: Text  # the module's label ("在园报送", "质量评估" …)
    due_on: datetime.date | None
    days_late: int  # 0 unless late
    url: str  # where the action is taken
    action: Text  # the button ("去报送")
    severity: Severity = Severity.DUE
    detail: Text = ""  # one short line under the title (a status, a count, a kindergarten)
    date_label: Text = ""  # what `due_on` is, when not a deadline ("入园评估日期", "最早截止")

    @property
    def is_late(self) -> bool:
        return self.severity == Severity.LATE

    @property
    def sort_key(self) -> tuple:
        # Late first (the latest of them first), then by date, undated last.
        return (self.severity, -self.days_late, self.due_on or datetime.date.max, str(self.title))


Provider = Callable[[object, datetime.date], list[DueItem]]
_providers: list[Provider] = []


def register_due_provider(provider: Provider) -> Provider:
    """Adds `provider` (usable as a decorator); registering the same function twice keeps one."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def providers() -> tuple[Provider, ...]:
    return tuple(_providers)


def due_items(user, today: datetime.date, only: Iterable[Severity] | None = None) -> list[DueItem]:
    """Every provider's items for `user`, late first, then by date."""
    wanted = set(only) if only is not None else None
    items = [item for provider in _providers for item in provider(user, today)]
    if wanted is not None:
        items = [item for item in items if item.severity in wanted]
    return sorted(items, key=lambda item: item.sort_key)


def autodiscover() -> None:
    """Imports every installed app's ``due`` module, so its providers register themselves."""
    autodiscover_modules("due")
