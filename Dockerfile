# syntax=docker/dockerfile:1
# Multi-stage build for hosts other than Render's native Rust runtime.
#   docker build --build-arg GIT_COMMIT=$(git rev-parse HEAD) -t pipeline-core .

FROM rust:1-bookworm AS build
ARG GIT_COMMIT=""
ENV GIT_COMMIT=${GIT_COMMIT}
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p pms-api --bin pipeline-core \
    && cp target/release/pipeline-core /usr/local/bin/pipeline-core

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home pipeline
COPY --from=build /usr/local/bin/pipeline-core /usr/local/bin/pipeline-core
USER pipeline
ENV HOST=0.0.0.0 PORT=8080 LOG_FORMAT=json
EXPOSE 8080
# SIGTERM starts a graceful drain; keep the runtime's stop timeout above SHUTDOWN_GRACE_SECS.
STOPSIGNAL SIGTERM
ENTRYPOINT ["pipeline-core"]
CMD ["serve"]
