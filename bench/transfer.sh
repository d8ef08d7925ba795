#!/usr/bin/env bash
# Featurization vs inference throughput, and head epochs from the feature cache vs through the frozen backbone.
# Usage: bench/transfer.sh [SIDE [IMAGES]]   (default 64 1000; the results table also has 224 400)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./mvnw -q -B -DskipTests -pl bench -am package
export OMP_WAIT_POLICY=PASSIVE
exec java -Xmx3g -cp "bench/target/cnnzoo-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.cnnzoo.bench.TransferThroughput "$@"
