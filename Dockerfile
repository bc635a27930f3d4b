# syntax=docker/dockerfile:1
# Quicksilver's production image: the fat jar built with Maven, run on a JRE as UID 10001.
#
#   docker build -t quicksilver:0.1.0 .
#   docker run --rm -p 8080:8080 -e MERCURE_PUBLISHER_JWT_KEY=... -e MERCURE_SUBSCRIBER_JWT_KEY=... quicksilver:0.1.0
#
# Production defaults: no configuration file, so no development keys, no demo users, demo and debug page
# off, anonymous subscribers refused; without MERCURE_PUBLISHER_JWT_KEY and MERCURE_SUBSCRIBER_JWT_KEY the
# hub refuses to start. The laptop mode is one switch away: mount the repository's conf/ (README, "Run it in
# a container"). Base images are build arguments, so that a local registry or mirror can stand in:
#   --build-arg BUILD_IMAGE=... --build-arg RUNTIME_IMAGE=...  (a JDK 17 with Maven; a JRE 17 with a shell,
#   `sleep` for the Kubernetes preStop hook, and groupadd/useradd)
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /build
# .dockerignore keeps target/, .git, tests, the chart and node_modules out of the context.
COPY . ./
# The Maven repository is a build cache, so dependencies download once, not on every source change.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests

FROM ${RUNTIME_IMAGE}
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="Quicksilver" \
      org.opencontainers.image.description="A Mercure-compatible real-time hub on Vert.x" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.documentation="README.md and docs/KUBERNETES.md in the source repository" \
      org.opencontainers.image.base.name="${RUNTIME_IMAGE}"
# A fixed numeric UID/GID, so that Kubernetes' runAsNonRoot can verify it (the chart runs as 10001 too).
RUN groupadd --system --gid 10001 quicksilver \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin quicksilver
WORKDIR /app
COPY --from=build /build/target/quicksilver.jar /app/quicksilver.jar
# Class-data sharing: a training run of the hub (its start with the warm-up, then SIGTERM) records the classes it
# loaded in /app/quicksilver.jsa, which every start maps instead of loading, parsing and verifying them again (on
# one core, 0.6-0.9 s less CPU before the port opens; 1.3 s without the warm-up). The archive fits this JRE and
# this jar only; a JVM that cannot use it (other flags, e.g. compressed pointers off) starts without it. Random
# keys, port 0, on loopback: the run serves nobody, and nothing of it but the archive stays in the image. It is
# over once Main logs "hub listening on"; its log is printed only when it fails.
RUN set -e; \
    key=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n'); \
    MERCURE_PUBLISHER_JWT_KEY=$key MERCURE_SUBSCRIBER_JWT_KEY=$key QS_HTTP_HOST=127.0.0.1 QS_HTTP_PORT=0 \
      java -XX:ArchiveClassesAtExit=/app/quicksilver.jsa -jar /app/quicksilver.jar >/tmp/training.log 2>&1 & \
    hub=$!; tries=0; \
    until grep -q 'hub listening on' /tmp/training.log; do \
      tries=$((tries + 1)); \
      if [ $tries -gt 240 ] || ! kill -0 $hub 2>/dev/null; then cat /tmp/training.log; exit 1; fi; \
      sleep 0.5; \
    done; \
    kill -TERM $hub; wait $hub; \
    chmod 444 /app/quicksilver.jsa; rm /tmp/training.log
USER 10001:10001
# Every interface inside the container (the hub's own default is 127.0.0.1); port 8080.
ENV QS_HTTP_HOST=0.0.0.0 \
    QS_HTTP_PORT=8080 \
    JAVA_OPTS="-XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError"
# 8080: HTTP (/.well-known/mercure, /healthz, /readyz, /metrics); 5701: Hazelcast; 5702: the event bus (cluster mode).
EXPOSE 8080 5701 5702
# The image has no curl: a small JDK-only probe of /healthz (HTTPS when QS_TLS_CERT is set). Kubernetes uses
# its own probes instead.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx32m", "-XX:-UsePerfData", "-cp", "/app/quicksilver.jar", "io.quicksilver.HealthCheck"]
# java replaces the shell (exec) and is PID 1: SIGTERM reaches the hub, which drains and exits 0 (at once
# when no stream is open). JAVA_OPTS: heap 40 % of the memory limit, leaving room for Netty's direct memory
# (capped at the heap size by default; the Helm chart sets -XX:MaxDirectMemorySize from the limit). The archive's
# flag comes first, so that JAVA_OPTS can turn it off (-Xshare:off) or require it (-Xshare:on).
ENTRYPOINT ["/bin/sh", "-c", "exec java -XX:SharedArchiveFile=/app/quicksilver.jsa $JAVA_OPTS -jar /app/quicksilver.jar \"$@\"", "quicksilver"]
