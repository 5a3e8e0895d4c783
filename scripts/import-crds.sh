#!/usr/bin/env bash
# Regenerates imports/ from the CRD files listed under `imports:` in cdk8s.yaml. They are one
# multi-document file per API group: importing single CRD files of one group makes each
# overwrite the last.
set -euo pipefail
cd "$(dirname "$0")/.."
export CDK8S_CHECK_UPGRADE=false
mapfile -t files < <(sed -n '/^imports:/,$p' cdk8s.yaml | sed -n 's/^  - //p')
for f in "${files[@]}"; do
  [ -f "$f" ] || { echo "import-crds: $f not found (the vendored CRDs live in crds/, see crds/SOURCES.md)" >&2; exit 1; }
done
rm -rf imports
for f in "${files[@]}"; do
  npx cdk8s import "$f" --language typescript --output imports
done
