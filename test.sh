#!/usr/bin/env bash
# The test command: publishes the NativeAOT binaries (the end-to-end tests run them), then runs every test project.
# The arm64 plugin is cross-built too: the tests check that it is an aarch64 executable on the glibc 2.17 baseline.
# End-to-end tests need root for network namespaces; deployment tests need eng/install-test-tools.sh once.
set -euo pipefail
cd "$(dirname "$0")"
./build.sh
./build.sh --arch arm64 plugin

# The failures are printed among thousands of log lines; a CI system that keeps only the tail would lose them, so
# they are printed again, last, when the run fails.
log=artifacts/test-output.log
mkdir -p artifacts
set +e
dotnet test --solution Whereabouts.slnx "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -ne 0 ]; then
  echo
  echo "Failed tests (repeated from $log):"
  # A failure block starts with "failed <test name> (<time>)" and ends at the next unindented line.
  sed 's/\x1b\[[0-9;]*m//g' "$log" |
    awk '/^failed / { on = 1; n = 0; print; next } on && /^[^ ]/ { on = 0 } on && n++ < 40 { print }'
fi
exit "$rc"
