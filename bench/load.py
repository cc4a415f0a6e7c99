"""A bounded load test: 50 signed-in users against a gunicorn server that this script starts.

Usage (loopback only; the database must exist, be migrated and hold seed_demo's registry and at
least one finished computation — see docs/benchmarks.md, "Throughput"):

    SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1/harden_load \
        .venv/bin/python bench/load.py --duration 45 --workers 3 --worker-class sync [--threads 1]

What it does:
1. Creates (once; idempotent) the load users: bureau officials, sub-district officials spread over
   the sub-districts and directors spread over the operating kindergartens (roles without
   two-factor; the bureau administrator, who needs it, is not one of them), and a session for
   each (signed in directly in the session store, so django-axes and the login page are not part
   of the measurement).
2. Starts gunicorn on 127.0.0.1 with production-like settings (DEBUG=0, the Dockerfile's command
   with the given worker model and count), waits until it answers.
3. Runs ``--users`` threads, each a user: a request from its role's mix, then ``--think`` seconds
   of think time, until ``--duration`` seconds have passed (starts are spread over the first
   think time). Nothing but 127.0.0.1 is ever requested.
4. Stops gunicorn and prints requests/s, p50/p95/p99, errors, the same per kind of page, and the
   load average (1 min) before and after.

A response other than 200 is an error. The load generator runs on the same machine, so it takes
CPU from the server; the figures are for this setup, not for a separate client.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"

# Role mixes: (weight, kind, url template). Placeholders are filled per user: {own_sub} the
# user's sub-district, {sub} any sub-district, {kg} a kindergarten in the user's scope, {own_kg}
# the director's kindergarten, {page} a registry page, {api_page} a page of the API's list.
MIXES: dict[str, list[tuple[int, str, str]]] = {
    "bureau": [
        (3, "dashboard (district)", "/dashboard/"),
        (2, "dashboard (sub-district)", "/dashboard/subdistrict/{sub}/"),
        (3, "registry list", "/kindergartens/?page={page}"),
        (3, "kindergarten detail", "/kindergartens/{kg}/"),
        (1, "sub-district detail", "/kindergartens/subdistricts/{sub}/"),
        (2, "api list", "/api/kindergartens/?page={api_page}"),
        (1, "api list", "/api/indicators/"),
        (1, "warnings list", "/dashboard/warnings/"),
    ],
    "subdistrict": [
        (4, "dashboard (sub-district)", "/dashboard/subdistrict/{own_sub}/"),
        (3, "registry list", "/kindergartens/"),
        (3, "kindergarten detail", "/kindergartens/{kg}/"),
        (1, "sub-district detail", "/kindergartens/subdistricts/{own_sub}/"),
        (2, "api list", "/api/kindergartens/"),
        (1, "warnings list", "/dashboard/warnings/"),
    ],
    "director": [
        (3, "home", "/"),
        (4, "kindergarten detail", "/kindergartens/{own_kg}/"),
        (2, "registry list", "/kindergartens/"),
        (2, "api list", "/api/kindergartens/"),
        (1, "api list", "/api/classes/"),
    ],
}


@dataclass
class LoadUser:
    username: str
    mix: str  # which page mix of MIXES the simulated user follows
    session: str
    own_sub: int | None = None
    own_kg: int | None = None
    kindergartens: list[int] = field(default_factory=list)


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chaoyang_preschool.settings")
    import django

    django.setup()


def prepare_users(n_users: int, mix: tuple[int, int, int]) -> tuple[list[LoadUser], list[int], tuple[int, int]]:
    """The load users with a fresh session each, every sub-district id and the registry's pages."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.choices import Role
    from accounts.models import User
    from kindergartens.models import Kindergarten, Subdistrict
    from reports.models import ComputationRun

    if not ComputationRun.objects.filter(finished_at__isnull=False).exists():
        sys.exit("no finished computation run: run `manage.py compute_indicators` first")
    subs = list(Subdistrict.objects.order_by("pk").values_list("pk", flat=True))
    by_sub: dict[int, list[int]] = {}
    for pk, sub in Kindergarten.objects.values_list("pk", "subdistrict_id"):
        by_sub.setdefault(sub, []).append(pk)
    everyone = [pk for pks in by_sub.values() for pk in pks]
    directors_at = list(Kindergarten.objects.operating().order_by("code").values_list("pk", "subdistrict_id"))
    if not subs or not directors_at:
        sys.exit("the database holds no registry: run `manage.py seed_demo` first")
    bureau, sub_officials, _directors = mix
    users = []
    for i in range(n_users):
        if i % sum(mix) < bureau:
            kind, name, fields = "bureau", f"load-bureau-{i}", {"role": Role.BUREAU_OFFICIAL}
            scope, own_sub = everyone, None
        elif i % sum(mix) < bureau + sub_officials:
            sub = subs[i % len(subs)]
            kind, name, fields = (
                "subdistrict",
                f"load-sub-{i}",
                {"role": Role.SUBDISTRICT_OFFICIAL, "subdistrict_id": sub},
            )
            scope, own_sub = by_sub.get(sub) or everyone[:1], sub
        else:
            kg, sub = directors_at[(i * 7) % len(directors_at)]
            kind, name, fields = "director", f"load-director-{i}", {"role": Role.DIRECTOR, "kindergarten_id": kg}
            scope, own_sub = [kg], sub
        user, created = User.objects.get_or_create(username=name, defaults=fields)
        if created:
            user.set_unusable_password()
            user.save()
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        users.append(
            LoadUser(
                username=name,
                mix=kind,
                session=store.session_key,
                own_sub=own_sub,
                own_kg=user.kindergarten_id,
                kindergartens=scope,
            )
        )
    from django.conf import settings

    from kindergartens.views import KindergartenListView

    per_page, per_api_page = KindergartenListView.paginate_by, settings.REST_FRAMEWORK["PAGE_SIZE"]
    pages = (max(1, -(-len(everyone) // per_page)), max(1, -(-len(everyone) // per_api_page)))
    return users, subs, pages


def start_server(args: argparse.Namespace) -> subprocess.Popen:
    env = dict(os.environ, DEBUG="0", HTTPS="0", DATABASE_URL=args.database_url, ALLOWED_HOSTS=HOST)
    # Production refuses to start without its own ID_NUMBER_KEY; the same key the seeding used
    # (derived from SECRET_KEY when none is set) keeps the stored id numbers readable.
    env.setdefault("ID_NUMBER_KEY", f"derived-from-secret-key:{os.environ.get('SECRET_KEY', '')}")
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "chaoyang_preschool.wsgi",
        "--bind",
        f"{HOST}:{args.port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://{HOST}:{args.port}/accounts/login/", timeout=2).status_code == 200:
                return server
        except requests.RequestException:
            pass
        if server.poll() is not None:
            sys.exit("gunicorn exited before answering")
        time.sleep(0.5)
    stop_server(server)
    sys.exit("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def workers_cpu_s(server: subprocess.Popen) -> float:
    """CPU seconds used so far by gunicorn's workers (Linux /proc): the cost of the requests
    whatever the machine's load, which latencies are not. PostgreSQL's own CPU is not in it."""
    total = 0
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run_user(user: LoadUser, args, subs, pages, stop_at: float, results: list, lock: threading.Lock) -> None:
    rng = random.Random(hash(user.username))
    mix = MIXES[user.mix]
    weights = [w for w, _k, _u in mix]
    http = requests.Session()
    http.cookies.set("sessionid", user.session, domain=HOST)
    base = f"http://{HOST}:{args.port}"
    time.sleep(rng.random() * args.think)  # spread the starts
    mine = []
    while time.monotonic() < stop_at:
        _w, kind, template = rng.choices(mix, weights)[0]
        url = template.format(
            own_sub=user.own_sub,
            sub=rng.choice(subs),
            kg=rng.choice(user.kindergartens),
            own_kg=user.own_kg,
            page=rng.randint(1, min(pages[0], 10)),
            api_page=rng.randint(1, min(pages[1], 10)),
        )
        started = time.monotonic()
        try:
            status = http.get(base + url, allow_redirects=False, timeout=60).status_code
        except requests.RequestException as error:
            status = type(error).__name__  # no answer: counted as an error
        mine.append((kind, time.monotonic() - started, status, url))
        time.sleep(args.think)
    with lock:
        results.extend(mine)


def summarise(results: list, elapsed: float) -> dict:
    times = [t for _k, t, _s, _u in results]
    errors = [(s, u) for _k, _t, s, u in results if s != 200]
    by_kind: dict[str, list[float]] = {}
    for kind, t, _s, _u in results:
        by_kind.setdefault(kind, []).append(t)
    return {
        "requests": len(results),
        "requests_per_s": round(len(results) / elapsed, 1),
        "p50_ms": round(percentile(times, 50) * 1000),
        "p95_ms": round(percentile(times, 95) * 1000),
        "p99_ms": round(percentile(times, 99) * 1000),
        "errors": len(errors),
        "error_samples": errors[:5],
        "by_kind": {
            kind: {
                "n": len(ts),
                "p50_ms": round(statistics.median(ts) * 1000),
                "p95_ms": round(percentile(ts, 95) * 1000),
            }
            for kind, ts in sorted(by_kind.items())
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1/harden_load")
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--mix", default="10,20,20", help="bureau,sub-district,director share of the users")
    parser.add_argument("--duration", type=float, default=45, help="seconds of load (at most 300)")
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--json", type=Path, help="append the result as one JSON line")
    args = parser.parse_args()
    args.duration = min(args.duration, 300)
    mix = tuple(int(x) for x in args.mix.split(","))

    setup_django(args.database_url)
    users, subs, pages = prepare_users(args.users, mix)
    server = start_server(args)
    try:
        time.sleep(5)  # the other workers finish importing Django (not a request's cost)
        load_before = os.getloadavg()[0]
        cpu_before = workers_cpu_s(server)
        results: list = []
        lock = threading.Lock()
        started = time.monotonic()
        stop_at = started + args.duration
        threads = [
            threading.Thread(target=run_user, args=(u, args, subs, pages, stop_at, results, lock), daemon=True)
            for u in users
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.duration + 120)
        elapsed = time.monotonic() - started
        load_after = os.getloadavg()[0]
        server_cpu_s = workers_cpu_s(server) - cpu_before
    finally:
        stop_server(server)
    summary = summarise(results, elapsed)
    summary.update(
        config=f"{args.worker_class} workers={args.workers} threads={args.threads}",
        users=args.users,
        duration_s=round(elapsed, 1),
        load_before=round(load_before, 2),
        load_after=round(load_after, 2),
        server_cpu_s=round(server_cpu_s, 1),
        server_cpu_ms_per_request=round(server_cpu_s * 1000 / max(1, len(results)), 1),
    )
    print(f"{summary['config']}, {args.users} users, {summary['duration_s']} s, think {args.think} s")
    print(
        f"  {summary['requests']} requests, {summary['requests_per_s']} req/s, "
        f"p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, p99 {summary['p99_ms']} ms, "
        f"errors {summary['errors']} {summary['error_samples'] or ''}"
    )
    for kind, figures in summary["by_kind"].items():
        print(f"    {kind:26} n={figures['n']:5}  p50 {figures['p50_ms']:6} ms  p95 {figures['p95_ms']:6} ms")
    print(f"  load average (1 min) {summary['load_before']} before, {summary['load_after']} after")
    print(f"  gunicorn workers' CPU {summary['server_cpu_s']} s, {summary['server_cpu_ms_per_request']} ms per request")
    if args.json:
        with args.json.open("a") as out:
            out.write(json.dumps(summary, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
