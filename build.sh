#!/usr/bin/env bash
# Publishes the NativeAOT executables into artifacts/bin/: whereabouts (the CNI plugin) and whereabouts-controller.
# Usage: ./build.sh [plugin|controller]...   (default: both)
set -euo pipefail
cd "$(dirname "$0")"

out=artifacts/bin
mkdir -p "$out"

publish() {
  local project=$1 binary=$2
  echo "==> publishing $binary (NativeAOT, linux-x64)"
  dotnet publish "src/$project/$project.csproj" -c Release -r linux-x64 --nologo -v quiet \
    -p:TreatWarningsAsErrors=true -o "artifacts/publish/$project"
  install -m 0755 "artifacts/publish/$project/$binary" "$out/$binary.tmp"
  mv -f "$out/$binary.tmp" "$out/$binary"
  echo "    $out/$binary ($(stat -c %s "$out/$binary") bytes)"
}

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(plugin controller)
for target in "${targets[@]}"; do
  case "$target" in
    plugin) publish Whereabouts.Plugin whereabouts ;;
    controller) publish Whereabouts.Controller whereabouts-controller ;;
    *) echo "unknown target: $target (use plugin or controller)" >&2; exit 2 ;;
  esac
done
