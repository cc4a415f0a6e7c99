# One image for the web server, the Celery worker and Celery beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Chinese fonts and Pango/HarfBuzz for WeasyPrint's PDF reports; gettext to compile translations.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected into the image with hashed names (served by WhiteNoise); the key
# exists only so settings load during the build, the real one comes from the environment.
ENV STATIC_MANIFEST=1
RUN SECRET_KEY=build-only-not-secret python manage.py compilemessages --ignore=.venv --verbosity 0 \
    && SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput --verbosity 0

# Run as an unprivileged user; var/ (uploads and generated reports) is the only writable place.
RUN useradd --system --uid 10001 --home-dir /app --no-create-home portal \
    && mkdir -p /app/var/media /app/var/reports \
    && chown -R portal:portal /app/var
USER portal
VOLUME ["/app/var"]

EXPOSE 8000
# Sync workers, 3 on 2 cores (2 x cores + 1 on bigger machines): measured against gthread and 5
# workers with bench/load.py, see docs/benchmarks.md ("Throughput"). Set CACHE_URL so the workers share a cache.
CMD ["gunicorn", "chaoyang_preschool.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "sync", "--timeout", "120", "--access-logfile", "-"]
