"""The dashboard's figures and panels, cached per scope until the next computation.

The dashboard is the expensive read-only page (under load it took seconds where the registry's
pages take a tenth of that: the figures, and the panels that count hazards, staff and so on).
What it shows is the same for every user of the same scope (`accounts.scoping.scope_key`) until a
computation writes new snapshots, so the key holds:

- the part of the page (the board, or one panel's name: panels are fetched apart, see
  `reports.views.DashboardPanelView`), the scope key, the sub-district shown, the date asked for
  and the language;
- the latest computation run (id, status, finish time) and the newest snapshot's id, so a run that
  starts or finishes, or snapshots written any other way, make a new key (nothing is deleted: old
  keys expire);

and an entry lives at most `DASHBOARD_CACHE_SECONDS` (default 300 s; 0 turns the cache off), which
bounds how stale the panels that read live data (open hazards, staff) can be.

The cache is Django's default cache (per worker process unless CACHES names a shared one). What
the page adds per request (messages, the sort, whether the user may run a computation, the CSRF
token) is not cached.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from accounts.scoping import scope_key

from .models import ComputationRun, IndicatorSnapshot

logger = logging.getLogger(__name__)


def computation_key() -> str:
    """Changes whenever a computation starts or finishes, or snapshots are written (two small queries)."""
    run = ComputationRun.objects.order_by("-started_at", "-pk").values("pk", "status", "finished_at").first()
    newest = IndicatorSnapshot.objects.order_by("-pk").values_list("pk", flat=True).first()
    if run is None:
        return f"none:{newest}"
    finished = run["finished_at"].isoformat() if run["finished_at"] else ""
    return f"{run['pk']}:{run['status']}:{finished}:{newest}"


def cache_key(user, subdistrict_pk: int | None, date, part: str = "board") -> str:
    raw = "|".join((part, scope_key(user), str(subdistrict_pk), str(date), get_language() or "", computation_key()))
    return "dashboard:" + hashlib.sha256(raw.encode()).hexdigest()


def cached(user, subdistrict_pk: int | None, date, build: Callable[[], object], part: str = "board") -> object:
    """`build()`'s result for this part of the page, scope and computation, from the cache when it is there."""
    seconds = getattr(settings, "DASHBOARD_CACHE_SECONDS", 300)
    if not seconds:
        return build()
    key = cache_key(user, subdistrict_pk, date, part)
    try:
        found = cache.get(key)
    except Exception as error:  # a cache that is down (Redis) must not take the page with it
        logger.warning("dashboard cache unreadable: %s", error)
        return build()
    if found is not None:
        return found
    value = build()
    try:
        cache.set(key, value, seconds)
    except (pickle.PicklingError, TypeError, AttributeError) as error:  # a panel returned something unpicklable
        logger.warning("dashboard not cached: %s", error)
    except Exception as error:  # as above: the page is shown uncached
        logger.warning("dashboard cache unwritable: %s", error)
    return value
