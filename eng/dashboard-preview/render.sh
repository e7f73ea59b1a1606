#!/usr/bin/env bash
# Renders docs/images/grafana-dashboard.png: the chart's Grafana dashboard drawn with SAMPLE data by
# render-html.mjs and screenshotted with headless Chromium (apt-get install -y chromium).
#
# Usage: eng/dashboard-preview/render.sh [OUTPUT.png]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${here}/../.." && pwd)"
dashboard="${repo_root}/deploy/helm/whereabouts/dashboards/whereabouts.json"
output="$(realpath -m "${1:-${repo_root}/docs/images/grafana-dashboard.png}")"
chromium="${CHROMIUM:-chromium}"

command -v "${chromium}" >/dev/null 2>&1 || {
  echo "dashboard-preview: ${chromium} not found; apt-get install -y chromium" >&2
  exit 1
}

scratch="$(mktemp -d)"
trap 'rm -rf "${scratch}"' EXIT

node "${here}/render-html.mjs" "${dashboard}" >"${scratch}/preview.html"
# The page is 1600 px wide; its height follows the dashboard's grid (8 rows of 30 px per panel row).
height="$(node -e '
  const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(Math.max(...d.panels.map((p) => p.gridPos.y + p.gridPos.h)) * 30 + 70);
' "${dashboard}")"

mkdir -p "$(dirname "${output}")"
"${chromium}" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
  --user-data-dir="${scratch}/profile" --window-size="1600,${height}" \
  --screenshot="${output}" "file://${scratch}/preview.html" 2>"${scratch}/chromium.log" || {
  cat "${scratch}/chromium.log" >&2
  exit 1
}
echo "dashboard-preview: wrote ${output}"
