#!/usr/bin/env bash
# Runs the packaging benchmark on the data-science layer built from the offline wheelhouse.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/fixtures/wheelhouse/build-wheelhouse.sh .cache/wheelhouse
dotnet run -c Release --project bench/LambdaSlim.Bench -- .cache/wheelhouse "${1:-3}"
