#!/usr/bin/env bash
# Publishes the NativeAOT executables: whereabouts (the CNI plugin) and whereabouts-controller.
# Usage: ./build.sh [--arch x64|arm64] [plugin|controller]...   (default: both, for this machine's architecture)
#
# The architecture is --arch, else $WHEREABOUTS_ARCH, else this machine's (uname -m); amd64/x86_64 and
# aarch64 are accepted too. Every build lands in artifacts/bin/linux-<arch>/; a build for this machine's own
# architecture is also copied to artifacts/bin/, where the tests and the demo run it.
#
# The plugin runs on the nodes with their own libraries, so it is linked with Zig against glibc 2.17 (eng/zig-cc,
# Zig from eng/install-zig.sh; see docs/portable-build.md). The controller runs in the image and is linked
# normally with the platform toolchain, for this machine's architecture only.
set -euo pipefail
cd "$(dirname "$0")"

die() {
  echo "build.sh: $*" >&2
  exit 2
}

normalize_arch() {
  case "$1" in
    x64 | x86_64 | amd64) echo x64 ;;
    arm64 | aarch64) echo arm64 ;;
    *) die "unsupported architecture '$1' (use x64 or arm64)" ;;
  esac
}

host_arch="$(normalize_arch "$(uname -m)")"
arch="${WHEREABOUTS_ARCH:-${host_arch}}"
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) [ $# -ge 2 ] || die "--arch needs a value"; arch="$2"; shift 2 ;;
    --arch=*) arch="${1#--arch=}"; shift ;;
    plugin | controller) targets+=("$1"); shift ;;
    *) die "unknown argument: $1 (usage: ./build.sh [--arch x64|arm64] [plugin|controller]...)" ;;
  esac
done
arch="$(normalize_arch "${arch}")"
rid="linux-${arch}"
[ ${#targets[@]} -eq 0 ] && targets=(plugin controller)

publish() {
  local project=$1 binary=$2
  shift 2
  local out="artifacts/bin/${rid}" publish_dir="artifacts/publish/${rid}/${project}"
  echo "==> publishing ${binary} (NativeAOT, ${rid})"
  dotnet publish "src/${project}/${project}.csproj" -c Release -r "${rid}" --nologo -v quiet \
    -p:TreatWarningsAsErrors=true -o "${publish_dir}" "$@"
  mkdir -p "${out}"
  install -m 0755 "${publish_dir}/${binary}" "${out}/${binary}.tmp"
  mv -f "${out}/${binary}.tmp" "${out}/${binary}"
  echo "    ${out}/${binary} ($(stat -c %s "${out}/${binary}") bytes)"
  if [ "${arch}" = "${host_arch}" ]; then
    install -m 0755 "${out}/${binary}" "artifacts/bin/${binary}.tmp"
    mv -f "artifacts/bin/${binary}.tmp" "artifacts/bin/${binary}"
  fi
}

publish_plugin() {
  command -v llvm-objcopy >/dev/null 2>&1 || die "llvm-objcopy is required to strip the plugin (apt-get install llvm)"
  if [ -z "${WHEREABOUTS_ZIG:-}" ]; then
    bash eng/install-zig.sh >/dev/null
  fi
  # An incremental publish keeps the old link when only the linker changes: always link afresh.
  rm -rf "artifacts/build/obj/Whereabouts.Plugin/release_${rid}/native"
  # llvm-objcopy strips either architecture; binutils' objcopy knows only the build machine's.
  publish Whereabouts.Plugin whereabouts -p:CppCompilerAndLinker="${PWD}/eng/zig-cc" -p:ObjCopyName=llvm-objcopy
}

publish_controller() {
  [ "${arch}" = "${host_arch}" ] ||
    die "the controller is built for this machine's architecture (${host_arch}) only; build it on a machine of that architecture (deploy/Dockerfile does)"
  publish Whereabouts.Controller whereabouts-controller
}

for target in "${targets[@]}"; do
  case "${target}" in
    plugin) publish_plugin ;;
    controller) publish_controller ;;
  esac
done
