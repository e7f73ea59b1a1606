#!/usr/bin/env bash
# Copies the Helm chart (deploy/helm/whereabouts, the one template source) into the imgpkg bundle at
# bundle/config/chart, where the Package's helmTemplate step renders it. Run deploy/sync-crds.sh first
# so the chart carries the current CRDs. Tests fail when the copy drifts from the chart.
set -euo pipefail

carvel_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
chart="${carvel_dir}/../helm/whereabouts"
target="${carvel_dir}/bundle/config/chart"

[[ -f "${chart}/Chart.yaml" ]] || {
  echo "sync-bundle: no chart at ${chart}" >&2
  exit 1
}

rm -rf "${target}"
mkdir -p "${target}"
cp -R "${chart}/." "${target}/"
echo "sync-bundle: copied $(find "${target}" -type f | wc -l) chart files into ${target}"
