#!/usr/bin/env bash
# The test command: publishes the NativeAOT binaries (the end-to-end tests run them), then runs every test project.
# The arm64 plugin is cross-built too: the tests check that it is an aarch64 executable on the glibc 2.17 baseline.
# End-to-end tests need root for network namespaces; deployment tests need eng/install-test-tools.sh once.
set -euo pipefail
cd "$(dirname "$0")"
./build.sh
./build.sh --arch arm64 plugin
dotnet test --solution Whereabouts.slnx "$@"
