#!/usr/bin/env bash
# Runs every LambdaSlim test on a fresh machine: builds the offline wheelhouse from this machine's real
# packages (idempotent, cached in .cache/), runs the .NET tests (real pip, CPython, cfn-lint), then builds
# the example with the tool and runs the example's own Python tests against the built zips, then runs every
# benchmark once in quick mode. Prints the 10 slowest .NET tests, and ends with "tests: N passed, N failed".
# The quick .NET tests alone, without pip or CPython: dotnet test --filter "Category!=Integration".
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
cache=.cache
mkdir -p "$cache"
passed=0 failed=0

step() { printf '\n== %s\n' "$*" >&2; }

step "offline wheelhouse"
bash tests/fixtures/wheelhouse/build-wheelhouse.sh "$cache/wheelhouse" || { echo "tests: 0 passed, 1 failed"; exit 1; }
command -v cfn-lint >/dev/null || python3 -m pip install --quiet cfn-lint
# libdeflate is the compressor LambdaSlim prefers; installing it keeps zip hashes the same on every test machine.
dpkg -s libdeflate0 >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq libdeflate0; } >&2
# The HTML size report is tested by rendering it in headless Chromium.
command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } >&2

step ".NET tests"
rm -rf "$cache/test-results"
dotnet build LambdaSlim.slnx -c Release -nologo -v quiet -clp:ErrorsOnly || { echo "tests: 0 passed, 1 failed"; exit 1; }
# What the tests make in the temporary folder (projects, builds, installs) goes into one folder for this run,
# removed at the end, so that repeated runs do not fill the disk.
run_tmp=$(mktemp -d "${TMPDIR:-/tmp}/lambdaslim-run.XXXXXX")
chmod 0755 "$run_tmp" # tests that drop to an unprivileged user (setpriv) must still reach their projects
trap 'rm -rf "$run_tmp"' EXIT
TMPDIR="$run_tmp" dotnet test LambdaSlim.slnx -c Release --no-build --nologo --logger "trx;LogFileName=dotnet.trx" --results-directory "$cache/test-results"
trx="$cache/test-results/dotnet.trx"
if [ -f "$trx" ]; then
  p=$(grep -o '<Counters [^>]*' "$trx" | grep -o ' passed="[0-9]*"' | grep -o '[0-9]*')
  f=$(grep -o '<Counters [^>]*' "$trx" | grep -o ' failed="[0-9]*"' | grep -o '[0-9]*')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
else
  failed=$((failed + 1))
fi

step "example app: build with lambdaslim, then its unittest suite against the built zips"
example=$(mktemp -d)
cp -r examples/item-prediction/. "$example/"
rm -rf "$example/.lambdaslim"
if dotnet src/LambdaSlim.Cli/bin/Release/net10.0/LambdaSlim.Cli.dll build -p "$example" \
     --no-index --find-links "$cache/wheelhouse" --platform linux_x86_64 --audit warn >&2; then
  out=$(python3 tests/e2e/example_against_artifacts.py "$example" "$example/.e2e" 2>&1); rc=$?
  printf '%s\n' "$out" >&2
  ran=$(printf '%s\n' "$out" | sed -n 's/^Ran \([0-9]*\) tests\{0,1\}.*/\1/p' | tail -1)
  bad=$(printf '%s\n' "$out" | sed -n 's/^FAILED (\(.*\))/\1/p' | grep -o '[0-9]\+' | awk '{s+=$1} END {print s+0}')
  ran=${ran:-0}; bad=${bad:-0}
  if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
  passed=$((passed + ran - bad)); failed=$((failed + bad))
else
  failed=$((failed + 1))
fi
rm -rf "$example"

# Every benchmark once, on a small tree: a change that breaks a bench fails here (one test; its numbers mean nothing).
step "benchmarks, quick mode"
if dotnet bench/LambdaSlim.Bench/bin/Release/net10.0/LambdaSlim.Bench.dll "$cache/wheelhouse" all 1 --quick >&2; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi

if [ -f "$trx" ]; then
  step "10 slowest .NET tests"
  python3 - "$trx" <<'PY' >&2
import html, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
def seconds(d):
    h, m, s = d.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)
rows = [(seconds(m.group(2)), html.unescape(m.group(1))) for r in re.finditer(r"<UnitTestResult [^>]*>", text)
        if (m := re.search(r'testName="([^"]*)"[^>]*duration="([^"]*)"', r.group(0)))]
for secs, name in sorted(rows, reverse=True)[:10]:
    print(f"{secs:7.1f} s  {name}")
PY
fi

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
