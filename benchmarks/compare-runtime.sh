#!/usr/bin/env bash
# ctx4j against io.grpc.Context as ratios measured side by side (see CompareRuntime): builds, then
# runs every pair for the given number of rounds, alternating the two sides' forks.
# Usage: benchmarks/compare-runtime.sh [rounds] [substrings of pair names...], from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl context-runtime,checks,benchmarks -am package -DskipTests \
    dependency:build-classpath -Dmdep.outputFile=target/cp.txt
uptime
exec java -cp "benchmarks/target/classes:$(cat benchmarks/target/cp.txt)" \
     org.ctx4j.bench.CompareRuntime "$@"
