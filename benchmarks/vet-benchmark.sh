#!/usr/bin/env bash
# What ctx4j-vet costs next to the compilation a build already does: times, side by side in one
# run, `java -jar vet/target/ctx4j-vet.jar` (every ctx4j check, stopping after flow analysis) and a
# plain javac of the same sources with Error Prone loaded and every check off
# (-Xplugin:ErrorProne -XepDisableAllChecks, class files written), each in its own JVM as a user
# runs them, and prints the CPU time (user + system, of the whole process) of each and their ratio.
#
# The corpus is real code: the sources of a few widely used libraries (Guava, jackson-databind,
# commons-lang3, commons-collections4, commons-io), fetched from Maven Central into
# benchmarks/target/vet-benchmark/ (never committed), compiled together against their own
# dependencies, plus one file that uses org.ctx4j.Context.
#
# Usage, from anywhere: benchmarks/vet-benchmark.sh [runs]     (default 3; the medians are printed)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-3}
WORK=benchmarks/target/vet-benchmark
JAR=vet/target/ctx4j-vet.jar
LIBS=(
  com.google.guava:guava:33.4.0-jre
  com.fasterxml.jackson.core:jackson-databind:2.18.2
  org.apache.commons:commons-lang3:3.17.0
  org.apache.commons:commons-collections4:4.4
  commons-io:commons-io:2.18.0
)

if [ ! -f "$JAR" ]; then
  mvn -B -q -ntp -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -pl vet -am package
fi
mkdir -p "$WORK"

if [ ! -f "$WORK/sources.txt" ]; then
  # A pom that depends on the libraries: Maven resolves their dependencies (the class path) and
  # unpacks their sources.
  {
    echo '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
    echo '<groupId>bench</groupId><artifactId>vet-corpus</artifactId><version>1</version><dependencies>'
    for lib in "${LIBS[@]}"; do
      IFS=: read -r g a v <<<"$lib"
      echo "<dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version></dependency>"
    done
    echo '</dependencies></project>'
  } >"$WORK/pom.xml"
  excluded=$(for lib in "${LIBS[@]}"; do IFS=: read -r _ a _ <<<"$lib"; printf '%s,' "$a"; done)
  mvn -B -q -ntp -f "$WORK/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile="$PWD/$WORK/classpath.txt" -Dmdep.includeScope=compile -DexcludeArtifactIds="${excluded%,}"
  rm -rf "$WORK/src"
  for lib in "${LIBS[@]}"; do
    IFS=: read -r _ a _ <<<"$lib"
    mvn -B -q -ntp -f "$WORK/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:unpack \
      -Dartifact="$lib:jar:sources" -DoutputDirectory="$PWD/$WORK/src/$a" -Dmdep.unpack.includes='**/*.java'
  done
  find "$WORK/src" -name module-info.java -delete
  mkdir -p "$WORK/src/ctx4j/bench"
  cat >"$WORK/src/ctx4j/bench/UsesContext.java" <<'JAVA'
package bench;

import java.time.Duration;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;

/** One file that uses ctx4j, so that no check can skip the compilation as a whole. */
final class UsesContext {
  int call(Context ctx, String name) {
    try (CancellableContext timed = Context.withTimeout(ctx, Duration.ofSeconds(1))) {
      return name.length() + (timed.err() == null ? 0 : 1);
    }
  }
}
JAVA
  find "$WORK/src" -name '*.java' | sort >"$WORK/sources.txt"
fi

# The runtime jar the vet jar carries, for the baseline's class path too.
unzip -o -q -d "$WORK" "$JAR" org/ctx4j/vet/runtime/ctx4j-runtime.jar
CP="$(cat "$WORK/classpath.txt"):$WORK/org/ctx4j/vet/runtime/ctx4j-runtime.jar"
FILES=$(wc -l <"$WORK/sources.txt")
LINES=$(xargs cat <"$WORK/sources.txt" | wc -l)
JAVAC_J=()
while read -r flag; do
  [ -n "$flag" ] && JAVAC_J+=("-J$flag")
done < <(sed 's/ /=/' .mvn/jvm.config)

vet() {
  java -jar "$JAR" --classpath "$CP" "$WORK/src"
}
baseline() {
  rm -rf "$WORK/classes" && mkdir -p "$WORK/classes"
  javac "${JAVAC_J[@]}" -XDcompilePolicy=simple --should-stop=ifError=FLOW -proc:none -implicit:none \
    -nowarn -Xlint:none -encoding UTF-8 -processorpath "$JAR" '-Xplugin:ErrorProne -XepDisableAllChecks' \
    -cp "$CP" -d "$WORK/classes" @"$WORK/sources.txt"
}
# Prints "cpu wall" seconds of one run; its output goes to $WORK/<name>.out, and a failure stops us
# (vet's exit status 1 means findings, which this corpus must not have).
timed() {
  local name=$1 TIMEFORMAT='%U %S %R'
  if ! { time "$name" >"$WORK/$name.out" 2>&1; } 2>"$WORK/$name.time"; then
    echo "vet-benchmark: $name failed:" >&2
    tail -20 "$WORK/$name.out" >&2
    exit 1
  fi
  awk '{printf "%.2f %.2f\n", $1 + $2, $3}' "$WORK/$name.time"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "== $(date -u '+%F %T') UTC; $(nproc) cores; $(uptime | sed 's/.*load/load/')"
echo "== corpus: $FILES files, $LINES lines ($(printf '%s ' "${LIBS[@]}")+ 1 file using ctx4j)"
echo "== $(java -version 2>&1 | head -1); $(java -jar "$JAR" --version)"
timed vet >/dev/null # warm the file system cache, once each, untimed
timed baseline >/dev/null
: >"$WORK/vet.cpu"; : >"$WORK/baseline.cpu"; : >"$WORK/vet.wall"; : >"$WORK/baseline.wall"
printf '%-6s %22s %22s %8s\n' run 'ctx4j-vet cpu/wall s' 'javac+EP off cpu/wall' ratio
for i in $(seq 1 "$RUNS"); do
  # Alternate which goes first, so that neither always runs on a cooler machine.
  if [ $((i % 2)) -eq 1 ]; then
    read -r vc vw < <(timed vet); read -r bc bw < <(timed baseline)
  else
    read -r bc bw < <(timed baseline); read -r vc vw < <(timed vet)
  fi
  echo "$vc" >>"$WORK/vet.cpu"; echo "$bc" >>"$WORK/baseline.cpu"
  echo "$vw" >>"$WORK/vet.wall"; echo "$bw" >>"$WORK/baseline.wall"
  printf '%-6s %22s %22s %8.3f\n' "$i" "$vc / $vw" "$bc / $bw" "$(echo "$vc / $bc" | bc -l)"
done
vc=$(median <"$WORK/vet.cpu"); bc=$(median <"$WORK/baseline.cpu")
vw=$(median <"$WORK/vet.wall"); bw=$(median <"$WORK/baseline.wall")
printf '%-6s %22s %22s %8.3f\n' median "$vc / $vw" "$bc / $bw" "$(echo "$vc / $bc" | bc -l)"
echo "== vet's findings on the corpus: $(tail -1 "$WORK/vet.out")"
echo "== CPU-time ratio ctx4j-vet / (javac + Error Prone, every check off): $(echo "$vc / $bc" | bc -l | cut -c1-5) (target <= 1.1)"
echo "== $(date -u '+%F %T') UTC; $(uptime | sed 's/.*load/load/')"
