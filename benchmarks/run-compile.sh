#!/usr/bin/env bash
# What the ctx4j checks add to javac + Error Prone 2.42.0 (JDK 17): builds the checks and the
# benchmark module, fetches a real library's sources from Maven Central, then runs
# org.ctx4j.compiletime.CompileBenchmark on three corpora: generated context-heavy code without a
# finding (clean), the same with one mistake a file (violations), and the library's sources plus
# one file that uses ctx4j (library). Prints CPU-time ratios against Error Prone with every check off.
#
# Usage, from anywhere: benchmarks/run-compile.sh [files] [runs] [corpora]
#   files    generated files per corpus (default 2000)
#   runs     timed rounds per corpus (default 5); each round compiles once per configuration
#   corpora  comma-separated subset of clean,violations,library (default all three)
# Extra CompileBenchmark options go in BENCH_OPTS, extra JVM options in BENCH_JVM_OPTS, e.g.
#   BENCH_OPTS=--singles=false benchmarks/run-compile.sh 500 3 clean
set -euo pipefail
cd "$(dirname "$0")/.."

FILES=${1:-2000}
RUNS=${2:-5}
CORPORA=${3:-clean,violations,library}
LIBRARY=org.apache.commons:commons-lang3:3.17.0
LIBDIR=benchmarks/target/library

mvn -B -q -ntp -DskipTests -pl benchmarks -am package dependency:build-classpath -Dmdep.outputFile=target/cp.txt
CP="benchmarks/target/classes:$(cat benchmarks/target/cp.txt)"

bench() {
  # shellcheck disable=SC2086
  java @benchmarks/jvm.args -Xms2g -Xmx4g ${BENCH_JVM_OPTS:-} -cp "$CP" \
    org.ctx4j.compiletime.CompileBenchmark --runs="$RUNS" ${BENCH_OPTS:-} "$@"
}

echo "== $(date -u '+%F %T') UTC; $(uptime)"
for corpus in ${CORPORA//,/ }; do
  case "$corpus" in
    clean|violations) bench --corpus="$corpus" --files="$FILES" ;;
    library)
      # The sources jar is fetched at run time into target/ and never committed.
      if [ ! -d "$LIBDIR/src" ]; then
        mvn -B -q -ntp -N dependency:copy -Dartifact="$LIBRARY:jar:sources" -DoutputDirectory="$LIBDIR"
        mkdir -p "$LIBDIR/src"
        (cd "$LIBDIR/src" && jar xf ../*-sources.jar)
      fi
      bench --corpus=library --sources="$LIBDIR/src" ;;
    *) echo "run-compile.sh: unknown corpus $corpus (expected clean, violations or library)" >&2; exit 2 ;;
  esac
  echo "== $(date -u '+%F %T') UTC; $(uptime)"
done
