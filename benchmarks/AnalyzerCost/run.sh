#!/usr/bin/env bash
# Measures what PeerNet.Analyzers costs a build, against the compiler's total (Csc task) time.
# One command, from anywhere:
#   benchmarks/AnalyzerCost/run.sh [--runs N] [--files N] [--peernet-every K] [--warmups N] [--configs "none with without ca2000"]
#                                  [--analyzer-dll PATH] [--peernet-dll PATH]  (use prebuilt dlls)
#                                  [--compiler server|cli]
# --compiler server (default): the compiler server (VBCSCompiler) is warmed up and reused, as on a
# developer machine; cli: a fresh csc process per build (this machine's environment sets
# UseSharedCompilation=false, so that is what plain `dotnet build` does here; JIT time included).
# It builds src/PeerNet and src/PeerNet.Analyzers in Release, generates the large project twice
# (with PeerNet and without any PeerNet reference; the analyzer is referenced in both; "none" builds the
# PeerNet project with the analyzer left out, the baseline for build time), warms up the
# compiler server, then rebuilds every configuration once per round, N rounds (touching one file so that
# Csc recompiles everything) with -p:ReportAnalyzer=true and a binlog, replays each binlog at detailed verbosity and
# prints the medians (report.py). Everything lands in benchmarks/AnalyzerCost/generated/ (gitignored).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
runs=3
files=1000
every=10
warmups=2
configs="none with without ca2000"
analyzer_dll=""
peernet_dll=""
compiler=server
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --files) files="$2"; shift 2 ;;
    --peernet-every) every="$2"; shift 2 ;;  # every K-th file uses PeerNet (default 10; 1 = every file)
    --warmups) warmups="$2"; shift 2 ;;      # warm-up builds before the measured rounds (default 2)
    --configs) configs="$2"; shift 2 ;;
    --compiler) compiler="$2"; shift 2 ;;
    --analyzer-dll) analyzer_dll="$(realpath "$2")"; shift 2 ;;
    --peernet-dll) peernet_dll="$(realpath "$2")"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

case "$compiler" in
  server) shared=(-p:UseSharedCompilation=true) ;;
  cli) shared=(-p:UseSharedCompilation=false) ;;
  *) echo "run.sh: --compiler must be server or cli" >&2; exit 2 ;;
esac

out="$here/generated"
results="$out/results"
rm -rf "$results"
mkdir -p "$results"
if [[ -z $analyzer_dll ]]; then
  echo "== building src/PeerNet.Analyzers (Release)"
  # Own artifacts folder: never touches src/*/bin or obj, which other builds may be using.
  dotnet build "$repo/src/PeerNet.Analyzers/PeerNet.Analyzers.csproj" -c Release -nologo -v:q -clp:ErrorsOnly --artifacts-path "$out/_build"
  analyzer_dll="$(find "$out/_build/bin/PeerNet.Analyzers" -name PeerNet.Analyzers.dll | head -1)"
fi
if [[ -z $peernet_dll ]]; then
  echo "== building src/PeerNet (Release, net10.0)"
  dotnet build "$repo/src/PeerNet/PeerNet.csproj" -c Release -f net10.0 -nologo -v:q -clp:ErrorsOnly --artifacts-path "$out/_build"
  peernet_dll="$(find "$out/_build/bin/PeerNet" -path '*net10.0*' -name PeerNet.dll | head -1)"
fi
for f in "$analyzer_dll" "$peernet_dll"; do
  [[ -n $f && -f $f ]] || { echo "run.sh: $f does not exist" >&2; exit 1; }
done

echo "== generating ($files files each)"
dotnet build "$here/Generator/AnalyzerCost.Generator.csproj" -c Release -nologo -v:q -clp:ErrorsOnly
gen() { dotnet "$here/Generator/bin/Release/net10.0/AnalyzerCost.Generator.dll" --repo-root "$repo" --files "$files" --peernet-every "$every" "$@"; }
gen --out "$out/with-peernet"
gen --no-peernet --out "$out/without-peernet"
for d in with-peernet without-peernet; do
  # Private copies: a concurrent rebuild of src/ cannot swap the dlls under the measurement.
  mkdir -p "$out/$d/_peernet"
  cp "$analyzer_dll" "$out/$d/_peernet/"
  if [[ $d == with-peernet ]]; then cp "$peernet_dll" "$out/$d/_peernet/"; fi
done
sha256sum "$analyzer_dll" | tee "$results/analyzer.sha256"
git -C "$repo" log -1 --format='commit %H %cd' > "$results/commit.txt" || true

config_args() {
  case "$1" in
    none) dir="with-peernet"; extra=(-p:NoPeerNetAnalyzer=true) ;;  # the same project, our analyzers not loaded
    with) dir="with-peernet"; extra=() ;;
    without) dir="without-peernet"; extra=() ;;
    ca2000) dir="with-peernet"; extra=(-p:EnableCA2000=true) ;;
    *) echo "run.sh: unknown config '$1' (none, with, without, ca2000)" >&2; exit 2 ;;
  esac
}

for config in $configs; do
  config_args "$config"
  dotnet restore "$out/$dir/Contoso.Generated.csproj" -nologo -v:q
done

# Warm-up builds (start the compiler server, load the analyzers, let the JIT reach optimized code: the
# first measured round used to take half again as long as the others); every measured build below
# recompiles the whole project anyway (Touch.cs changed).
for ((w = 1; w <= warmups; w++)); do
  for config in $configs; do
    config_args "$config"
    echo "== warm-up build $w ($config)"
    touch "$out/$dir/src/Touch.cs"
    dotnet build "$out/$dir/Contoso.Generated.csproj" --no-restore -nologo -v:q -clp:ErrorsOnly -p:ReportAnalyzer=true "${shared[@]}" "${extra[@]}"
  done
done

# Rounds, not blocks: round r builds every configuration once, so that a slow period of the machine
# hits all configurations alike.
for ((r = 1; r <= runs; r++)); do
  for config in $configs; do
    config_args "$config"
    proj="$out/$dir/Contoso.Generated.csproj"
    touch "$out/$dir/src/Touch.cs"
    bl="$results/$config-$r.binlog"
    start=$(date +%s.%N)
    dotnet build "$proj" --no-restore -nologo -v:q -clp:ErrorsOnly -p:ReportAnalyzer=true "${shared[@]}" "${extra[@]}" -bl:"$bl"
    end=$(date +%s.%N)
    echo "$end - $start" | bc > "$results/$config-$r.wall"
    dotnet msbuild "$bl" -noconlog -nologo "-flp:logfile=$results/$config-$r.log;verbosity=detailed;performancesummary"
    echo "   round $r, $config: $(cat "$results/$config-$r.wall") s wall"
  done
done

{
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2 " GiB RAM"}'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "sdk: $(dotnet --version); $(dotnet --info | grep -m1 'MSBuild version' | sed 's/^ *//')"
  cat "$results/commit.txt"
  echo "compiler: $compiler; $runs rounds of measured rebuilds (each configuration once per round) after $warmups warm-up round(s); $files files, every $every-th uses PeerNet"
  python3 "$here/report.py" "$results" $configs
} | tee "$results/summary.md"
