#!/usr/bin/env bash
# Development entry point for the Chaoyang Preschool Portal (see README "Quick start").
#
#   ./dev.sh start   set everything up (system packages, .venv, dependencies, migrations,
#                    demo data, one run of the nightly job) and serve http://127.0.0.1:8000
#   ./dev.sh test    the same set-up, then ruff, the migrations check and the whole test suite
#
# Every step checks before it acts, so a second run needs no network and is quick.
# The embedded default needs no other server: SQLite and in-process tasks. Set DATABASE_URL /
# CELERY_BROKER_URL in the environment (as .ci/run does) to use PostgreSQL and Redis instead.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

VENV=.venv
PY="$VENV/bin/python"
REQUIREMENTS=requirements.txt
REQUIREMENTS_STAMP="$VENV/.requirements.sha256"
# chromium: browser tests; fonts-noto-cjk: Chinese glyphs in PDFs and screenshots;
# poppler-utils: reading generated PDFs back in tests; gettext: compilemessages;
# pango/harfbuzz: what WeasyPrint needs to render PDFs.
SYSTEM_PACKAGES=(chromium fonts-noto-cjk poppler-utils gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b)

say() { printf '\n==> %s\n' "$*"; }
die() {
    printf 'dev.sh: %s\n' "$*" >&2
    exit 1
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run: $* (install sudo or run as root)"
    fi
}

APT_UPDATED=0
apt_install() {
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install these packages yourself: $*"
    if [ "$APT_UPDATED" -eq 0 ]; then
        as_root apt-get update -q
        APT_UPDATED=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

ensure_system_packages() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        echo "dev.sh: not a Debian system; make sure these are installed: ${SYSTEM_PACKAGES[*]}" >&2
        return 0
    fi
    local missing=() package
    for package in "${SYSTEM_PACKAGES[@]}"; do
        is_installed "$package" || missing+=("$package")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        say "Installing system packages: ${missing[*]}"
        apt_install "${missing[@]}"
    fi
}

# A Python >= 3.11 that can create virtual environments; Debian 12's own python3 is 3.11.
find_python() {
    local candidate
    for candidate in python3.11 python3.12 python3.13 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

ensure_venv() {
    if [ -x "$PY" ] && "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
        return 0
    fi
    local python
    if ! python=$(find_python); then
        say "Installing Python 3 (python3, python3-venv)"
        apt_install python3 python3-venv
        python=$(find_python) || die "no Python >= 3.11 with venv support found"
    fi
    say "Creating $VENV with $("$python" --version 2>&1)"
    rm -rf "$VENV"
    "$python" -m venv "$VENV"
    rm -f "$REQUIREMENTS_STAMP"
}

ensure_dependencies() {
    local wanted
    wanted=$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)
    if [ -f "$REQUIREMENTS_STAMP" ] && [ "$(cat "$REQUIREMENTS_STAMP")" = "$wanted" ]; then
        return 0
    fi
    say "Installing Python dependencies from $REQUIREMENTS"
    "$PY" -m pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
    echo "$wanted" >"$REQUIREMENTS_STAMP"
}

ensure_env_file() {
    [ -f .env ] && return 0
    say "Writing .env (DEBUG=1 and a new SECRET_KEY; not committed)"
    local key
    key=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
    (
        umask 077 # the key is a secret: readable by its owner only
        printf '# Local development settings (see README "Configuration"). Not committed.\nDEBUG=1\nSECRET_KEY=%s\n' "$key" >.env
    )
}

compile_messages() {
    if [ -d locale ]; then
        "$PY" manage.py compilemessages --ignore="$VENV" --ignore=node_modules --verbosity 0
    fi
}

setup() {
    ensure_system_packages
    ensure_venv
    ensure_dependencies
}

# Whether some app provides a management command (a file check: starting Django costs seconds).
has_command() {
    compgen -G "*/management/commands/$1.py" >/dev/null
}

cmd_start() {
    setup
    ensure_env_file
    say "Applying migrations"
    "$PY" manage.py migrate --noinput
    compile_messages
    say "Loading demo data"
    "$PY" manage.py seed_demo
    if has_command compute_indicators; then
        say "Running the nightly job once (compute_indicators)"
        # The portal is still worth serving if the job fails; its own output says why.
        "$PY" manage.py compute_indicators || echo "dev.sh: compute_indicators failed (see above); serving the portal anyway" >&2
        say "Computing the annual figures of past school years (compute_indicators --backfill --missing-only)"
        # One computation per school year with data, on its statistical date; a second start finds them done.
        "$PY" manage.py compute_indicators --backfill --missing-only || echo "dev.sh: the backfill failed (see above)" >&2
    fi
    say "Portal: http://127.0.0.1:8000/  (demo logins above, password chaoyang2025; Ctrl-C stops)"
    exec "$PY" manage.py runserver 127.0.0.1:8000
}

cmd_test() {
    setup
    # Tests never read .env's key; settings refuse to start without one when DEBUG is off.
    export SECRET_KEY="${SECRET_KEY:-test-only-secret-key-not-for-production}"
    say "ruff check"
    "$VENV/bin/ruff" check .
    say "Checking that models and migrations agree"
    "$PY" manage.py makemigrations --check --dry-run
    compile_messages
    # One worker per core (pytest-xdist), each with its own test database; `-n 0` (or any -n)
    # given as an argument overrides it.
    say "pytest -n auto ${*:-}"
    local status=0
    "$VENV/bin/pytest" -n auto "$@" || status=$?
    if [ "$status" -eq 5 ]; then
        die "pytest collected no tests (exit 5); the suite must never be empty"
    fi
    return "$status"
}

usage() {
    cat <<'EOF'
Usage: ./dev.sh COMMAND [ARGS]

  start        set up everything (system packages, .venv, dependencies, migrations, demo data,
               one run of the nightly job) and serve the portal at http://127.0.0.1:8000
  test [ARGS]  the same set-up, then ruff, the migrations check and pytest (ARGS go to pytest)
EOF
}

case "${1:-}" in
start)
    shift
    cmd_start "$@"
    ;;
test)
    shift
    cmd_test "$@"
    ;;
-h | --help | help | "")
    usage
    ;;
*)
    usage >&2
    exit 2
    ;;
esac
