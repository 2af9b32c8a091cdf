# qunbot in a container: `docker compose up -d` with compose.yaml (PostgreSQL beside it), or
# alone on SQLite: docker run -v qunbot-data:/var/lib/qunbot -e QUNBOT_TELEGRAM_TOKEN=... qunbot
# See docs/deployment.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
# The dependencies install from wheels (x86_64 and arm64): no compiler in the image.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY plugins ./plugins
RUN pip install . && rm -rf /src

# Not root; its home is the data volume: SQLite's file (data/qunbot.sqlite3) and the console's
# files live there.
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/qunbot --create-home qunbot
USER qunbot
WORKDIR /var/lib/qunbot
VOLUME ["/var/lib/qunbot"]

# `qunbot run` stops cleanly on SIGTERM (docker stop): let it finish (stop_grace_period).
STOPSIGNAL SIGTERM
ENTRYPOINT ["qunbot"]
CMD ["run"]
