#!/usr/bin/env bash
# Runs one benchmark main class of the bench module: bench/run.sh CLASS [ARGS...]
# e.g. bench/run.sh DemoHeads, bench/run.sh OperationTimes
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./mvnw -q -B -DskipTests -pl bench -am package
export OMP_WAIT_POLICY=PASSIVE
class=$1
shift
exec java -Xmx4g --add-modules=jdk.incubator.vector -cp "bench/target/cnnzoo-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" "org.cnnzoo.bench.$class" "$@"
