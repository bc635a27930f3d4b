# syntax=docker/dockerfile:1
# Quicksilver image: build the fat jar with Maven, run it on a JRE as a non-root user.
#   docker build -t quicksilver:0.1.0 .
#   docker run --rm -p 8080:8080 quicksilver:0.1.0          # development keys from conf/quicksilver.yaml
#   docker run --rm quicksilver:0.1.0 token --publish '*'   # the CLI commands work too

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# .dockerignore keeps target/, .git, tests, the chart and node_modules out of the context.
COPY . ./
# The Maven repository is a build cache (BuildKit), so dependencies download once, not on every source change.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
# A fixed numeric UID/GID, so that Kubernetes' runAsNonRoot can verify it (the chart runs as 10001 too).
RUN groupadd --system --gid 10001 quicksilver \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin quicksilver
WORKDIR /app
COPY --from=build /build/target/quicksilver.jar /app/quicksilver.jar
# The laptop configuration (development keys): used only when QS_CONFIG points nowhere else. The Helm chart
# mounts its own file (no secrets) and sets QS_CONFIG.
COPY conf/ /app/conf/
USER 10001:10001
# Listen on every interface inside the container (the hub's own default is 127.0.0.1).
ENV QS_HTTP_HOST=0.0.0.0
# 8080: HTTP (/.well-known/mercure, /healthz, /readyz, /metrics); 5701: Hazelcast (cluster mode).
EXPOSE 8080 5701
# The JVM sizes its heap from the container's memory limit; an OutOfMemoryError ends the process so the
# orchestrator restarts it instead of leaving a half-working hub. java is PID 1 and gets SIGTERM directly,
# which starts the hub's drain. Extra flags: JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:InitialRAMPercentage=25", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/quicksilver.jar"]
