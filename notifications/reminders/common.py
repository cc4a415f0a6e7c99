"""A reminder before it is addressed to people, and the phrases reminders share."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Reminder:
    """One reminder about one record, before it is addressed to people."""

    kind: str
    key: str
    title: str
    body: str
    kindergarten_id: int
    subdistrict_id: int
    link: str  # for the director(s) and `user_ids`
    # The sub-district's officials are told too (an escalation), with this link; "" = not told.
    official_link: str = ""
    # Further recipients by user id (the inspector who issued an order).
    user_ids: tuple[int, ...] = ()


def days_left(days: int) -> str:
    if days == 0:
        return _("今天到期")
    return ngettext("还有 %(n)s 天", "还有 %(n)s 天", days) % {"n": days}


def days_late(days: int) -> str:
    return ngettext("已逾期 %(n)s 天", "已逾期 %(n)s 天", days) % {"n": days}


def short(text: str, length: int = 60) -> str:
    return Truncator(" ".join(text.split())).chars(length)
