#!/usr/bin/env bash
# Builds the benchmark harness and runs its tests (unit tests, then small scenarios against the real hub).
# Needs the hub's jar (../target/quicksilver.jar); builds it when missing. Called from .ci/run.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -f ../target/quicksilver.jar ]; then
  (cd .. && mvn -B -q package -DskipTests)
fi
mvn -B package
ls -l target/quicksilver-bench.jar
