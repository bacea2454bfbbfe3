# Parley in a container: a build stage makes a virtual environment from pyproject.toml, the
# runtime stage copies it into a slim image that runs as an unprivileged user, with the
# SQLite database on a volume. Build: docker build -t parley . ; see docs/deploying.md.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/parley
COPY pyproject.toml README.md LICENSE ./
COPY parley ./parley
RUN /opt/parley/bin/pip install --no-cache-dir .

FROM python:3.11-slim
RUN useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin parley \
    && mkdir -p /data && chown parley:parley /data
COPY --from=build /opt/parley /opt/parley
ENV PATH=/opt/parley/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PARLEY_DB=/data/parley.db \
    PARLEY_SLACK_HOST=0.0.0.0 \
    PARLEY_SLACK_PORT=3000
VOLUME ["/data"]
WORKDIR /data
USER 10001:10001
# Slack's HTTP mode only; Discord and Socket Mode connect out and need no port.
EXPOSE 3000
HEALTHCHECK --interval=60s --timeout=10s --start-period=30s --retries=3 \
    CMD ["parley", "health"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["parley"]
CMD ["run"]
