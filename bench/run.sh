#!/usr/bin/env bash
# Runs the benchmarks on real trees from the offline wheelhouse:
#   bench/run.sh [packaging|prune|bytecode|site-packages|botocore|many-functions|incremental|plan|sync|traced|all] [RUNS] [--quick]
# traced (prune: traced on the example, two builds and its handlers, minutes) is not part of all.
# --quick runs each bench once on a small tree (six + python-dateutil) to show that it still runs; ./test.sh does that.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/fixtures/wheelhouse/build-wheelhouse.sh .cache/wheelhouse
dotnet run -c Release --project bench/LambdaSlim.Bench -- .cache/wheelhouse "${1:-all}" "${2:-3}" "${@:3}"
