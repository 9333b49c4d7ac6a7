#!/usr/bin/env bash
# Builds the runtime benchmarks and runs them with a short configuration and JMH's gc profiler.
# Usage: benchmarks/run-runtime.sh [JMH regexp and options...], from the repository root.
# Default: every org.ctx4j.bench benchmark, 1 fork, 3 x 1 s warm-up, 5 x 1 s measurement.
# The build packages the modules in one reactor run and takes the benchmark classpath from it, so
# nothing is installed into the local Maven repository.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl context-runtime,checks,benchmarks -am package -DskipTests \
    dependency:build-classpath -Dmdep.outputFile=target/cp.txt
uptime
if [ "$#" -eq 0 ]; then
  set -- 'org\.ctx4j\.bench\.' -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc
fi
exec java -cp "benchmarks/target/classes:$(cat benchmarks/target/cp.txt)" org.openjdk.jmh.Main "$@"
