#!/usr/bin/env bash
# Copies the CRDs from deploy/crds/ (their one source) into the Helm chart's crds/ directory,
# because Helm cannot package files from outside the chart. Tests fail when the copy drifts.
set -euo pipefail

deploy_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source_dir="${deploy_dir}/crds"
chart_crds="${deploy_dir}/helm/whereabouts/crds"

shopt -s nullglob
crds=("${source_dir}"/*.yaml)
if ((${#crds[@]} == 0)); then
  echo "sync-crds: no CRDs in ${source_dir}" >&2
  exit 1
fi

mkdir -p "${chart_crds}"
rm -f "${chart_crds}"/*.yaml
cp "${crds[@]}" "${chart_crds}/"
echo "sync-crds: copied ${#crds[@]} CRDs into ${chart_crds}"
