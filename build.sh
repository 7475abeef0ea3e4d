#!/usr/bin/env bash
# The main job: build the example app (examples/item-prediction) with LambdaSlim, like the seed's ./build.sh.
# Extra arguments go to `lambdaslim build` (e.g. --clean, --verbose, --find-links DIR).
# With a reachable package index pip installs real manylinux wheels from it; without one, the build
# uses the offline wheelhouse made from this machine's real packages, and says so.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build src/LambdaSlim.Cli -c Release -nologo -v quiet -clp:ErrorsOnly >&2

index=${PIP_INDEX_URL:-$(python3 -m pip config get global.index-url 2>/dev/null || true)}
index=${index:-https://pypi.org/simple/}
args=()
if python3 - "$index" <<'PY' 2>/dev/null
import sys, urllib.request
urllib.request.urlopen(urllib.request.Request(sys.argv[1].rstrip("/") + "/pip/", method="HEAD"), timeout=5)
PY
then
  echo "package index $index is reachable: installing manylinux wheels from it" >&2
else
  echo "package index $index cannot be reached: building from the offline wheelhouse made from this machine's packages (use --find-links DIR for your own wheels)" >&2
  bash tests/fixtures/wheelhouse/build-wheelhouse.sh .cache/wheelhouse
  # Debian's numpy/scipy/scikit-learn link the system's BLAS, LAPACK and a newer glibc than Lambda has: the audit
  # rightly reports that they would not load on Lambda. Manylinux wheels from a package index pass it.
  echo "note: offline wheels come from Debian and would not load on Lambda; the audit lists why and this build goes on with --audit warn. Wheels from a package index pass the audit." >&2
  args=(--no-index --find-links .cache/wheelhouse --platform linux_x86_64 --audit warn)
fi
exec dotnet src/LambdaSlim.Cli/bin/Release/net10.0/LambdaSlim.Cli.dll build -p examples/item-prediction "${args[@]}" "$@"
