# Counterclaim web image: gunicorn serving Django, static files by whitenoise.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH

RUN pip install --no-cache-dir uv \
    && useradd --create-home --uid 10001 counterclaim

WORKDIR /app
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
# collectstatic needs settings to load; these values exist only for this build step.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build LOCAL_MEMORY_CACHE=true \
    python manage.py collectstatic --noinput

# Archived copies (MEDIA_ROOT) and the open-data dump (OPEN_DATA_DIR): a named volume
# mounted here takes this owner on first use.
RUN mkdir -p /app/media /app/open-data && chown counterclaim /app/media /app/open-data

USER counterclaim
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
# --timeout: a whole export of a large archive streams for minutes (docs/performance.md); a
# sync worker that has not finished its request by then is killed (gunicorn's default: 30 s).
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "600", "--access-logfile", "-"]
