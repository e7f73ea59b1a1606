#!/usr/bin/env bash
# The test command: publishes the NativeAOT binaries (the end-to-end tests run them), then runs every test project.
# End-to-end tests need root for network namespaces; deployment tests need eng/install-test-tools.sh once.
set -euo pipefail
cd "$(dirname "$0")"
./build.sh
dotnet test --solution Whereabouts.slnx "$@"
