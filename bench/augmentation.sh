#!/usr/bin/env bash
# Decode + augment throughput at 224x224 on JPEG photos from Debian packages (opencv-doc, python3-skimage).
# Usage: bench/augmentation.sh            (installs the photo packages if missing)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

dirs=(/usr/share/doc/opencv-doc/examples/data /usr/lib/python3/dist-packages/skimage/data)
if [[ ! -d ${dirs[0]} || ! -d ${dirs[1]} ]]; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends opencv-doc python3-skimage
fi
photos=$(mktemp -d)
trap 'rm -rf "$photos"' EXIT
# real photographs only: skip skimage's deliberately truncated.jpg and the microscopy/astronomy images
for f in "${dirs[0]}"/{baboon,fruits,lena,butterfly,squirrel_cls,starry_night,orange,apple,building,home,messi5,HappyFish}.jpg \
         "${dirs[1]}"/rocket.jpg; do
  [[ -f $f ]] && ln -s "$f" "$photos/"
done

./mvnw -q -B -DskipTests -pl bench -am package
export OMP_WAIT_POLICY=PASSIVE
exec java -Xmx2g -cp "bench/target/cnnzoo-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  org.cnnzoo.bench.AugmentationThroughput "$photos"
