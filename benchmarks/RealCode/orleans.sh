#!/usr/bin/env bash
# What PeerNet.Analyzers costs on a real codebase that does not use PeerNet: dotnet/orleans'
# Orleans.Core and Orleans.Runtime, compiled with their real package references, PeerNet.dll
# referenced (as after installing the package), against the compiler's own (Csc task) time.
#
#   benchmarks/RealCode/orleans.sh --orleans PATH [--runs N] [--warmups N] [--configs "none with configured"]
#                                  [--analyzer-dll PATH] [--peernet-dll PATH] [--baseline-dll PATH]
#
# PATH is a checkout of https://github.com/dotnet/orleans (its working tree is not edited: restore uses
# this repository's nuget.config, and inject.targets is imported through CustomAfterMicrosoftCommonTargets).
# Configurations: none = PeerNet.dll referenced, our analyzers not loaded; with = loaded, nothing
# configured; configured = loaded, with orleans.globalconfig naming Orleans' membership APIs as sources
# and its message send as a sink; lookup = orleans.globalconfig with, instead of ours, the do-nothing
# LookupOnly analyzer that only resolves the configured members (what the compiler charges for that). Each round rebuilds both projects once per configuration (one file
# touched so that Csc recompiles everything) with -p:ReportAnalyzer=true and a binlog; the binlogs are
# replayed at detailed verbosity and summarized by ../AnalyzerCost/report.py.
# --baseline-dll PATH adds the configuration "baseline" (configured, with that build of PeerNet.Analyzers.dll
# instead): two builds of the analyzer compared in the same rounds, alternated, so that the machine's drift
# over the minutes a run takes falls on both (e.g. --configs "baseline configured").
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
orleans=""
runs=3
warmups=1
configs="none with configured"
analyzer_dll=""
peernet_dll=""
baseline_dll=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --orleans) orleans="$(realpath "$2")"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --warmups) warmups="$2"; shift 2 ;;
    --configs) configs="$2"; shift 2 ;;
    --analyzer-dll) analyzer_dll="$(realpath "$2")"; shift 2 ;;
    --peernet-dll) peernet_dll="$(realpath "$2")"; shift 2 ;;
    --baseline-dll) baseline_dll="$(realpath "$2")"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | grep '^#'; exit 0 ;;
    *) echo "orleans.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[[ -n $orleans && -f $orleans/src/Orleans.Runtime/Orleans.Runtime.csproj ]] ||
  { echo "orleans.sh: --orleans must name a checkout of dotnet/orleans (src/Orleans.Runtime/Orleans.Runtime.csproj not found)" >&2; exit 2; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out="$here/generated"
results="$out/results"
rm -rf "$results"
mkdir -p "$results" "$out/_peernet"

if [[ -z $analyzer_dll ]]; then
  dotnet build "$repo/src/PeerNet.Analyzers/PeerNet.Analyzers.csproj" -c Release -nologo -v:q -clp:ErrorsOnly --artifacts-path "$out/_build"
  analyzer_dll="$(find "$out/_build/bin/PeerNet.Analyzers" -name PeerNet.Analyzers.dll | head -1)"
fi
if [[ -z $peernet_dll ]]; then
  dotnet build "$repo/src/PeerNet/PeerNet.csproj" -c Release -f net10.0 -nologo -v:q -clp:ErrorsOnly --artifacts-path "$out/_build"
  peernet_dll="$(find "$out/_build/bin/PeerNet" -path '*net10.0*' -name PeerNet.dll | head -1)"
fi
lookup_dll=""
if [[ " $configs " == *" lookup "* ]]; then
  dotnet build "$here/LookupOnly/LookupOnly.csproj" -c Release -nologo -v:q -clp:ErrorsOnly --artifacts-path "$out/_build"
  lookup_dll="$out/_peernet/PeerNet.Analyzers.LookupOnly.dll"
fi
# Private copies: a concurrent rebuild of src/ cannot swap the dlls under the measurement.
cp "$analyzer_dll" "$peernet_dll" "$out/_peernet/"
[[ -z $lookup_dll ]] || cp "$(find "$out/_build/bin/LookupOnly" -name PeerNet.Analyzers.LookupOnly.dll | head -1)" "$lookup_dll"
analyzer_dll="$out/_peernet/PeerNet.Analyzers.dll"
if [[ -n $baseline_dll ]]; then
  mkdir -p "$out/_baseline"
  cp "$baseline_dll" "$out/_baseline/PeerNet.Analyzers.dll"
  baseline_dll="$out/_baseline/PeerNet.Analyzers.dll"
  sha256sum "$baseline_dll" | sed 's/$/ (baseline)/' > "$results/baseline.sha256"
fi
peernet_dll="$out/_peernet/PeerNet.dll"
sha256sum "$analyzer_dll" | tee "$results/analyzer.sha256"
git -C "$repo" log -1 --format='commit %H %cd' > "$results/commit.txt" || true
git -C "$orleans" log -1 --format='orleans %H %cd' >> "$results/commit.txt" || true

common=(
  -c Release -nologo
  -p:DefaultTargetFrameworks=net10.0       # one target framework (Orleans builds net8.0 too)
  -p:SourceLinkCreate=false                # SourceLink's Azure Repos package is not on the public registry
  -p:TreatWarningsAsErrors=false
  "-p:NoWarn=NU1603%3BNU1608%3BCS1591"
  -p:CustomAfterMicrosoftCommonTargets="$here/inject.targets"
  -p:PeerNetDll="$peernet_dll"
  -p:UseSharedCompilation=true
)
config_args() {
  case "$1" in
    none) extra=() ;;
    with) extra=(-p:PeerNetAnalyzerDll="$analyzer_dll") ;;
    configured) extra=(-p:PeerNetAnalyzerDll="$analyzer_dll" -p:PeerNetGlobalConfig="$here/orleans.globalconfig") ;;
    lookup) extra=(-p:PeerNetAnalyzerDll="$lookup_dll" -p:PeerNetGlobalConfig="$here/orleans.globalconfig") ;;
    baseline)
      [[ -n $baseline_dll ]] || { echo "orleans.sh: the baseline configuration needs --baseline-dll" >&2; exit 2; }
      extra=(-p:PeerNetAnalyzerDll="$baseline_dll" -p:PeerNetGlobalConfig="$here/orleans.globalconfig") ;;
    *) echo "orleans.sh: unknown config '$1' (none, with, configured, lookup, baseline)" >&2; exit 2 ;;
  esac
}
projects=(src/Orleans.Core/Orleans.Core.csproj src/Orleans.Runtime/Orleans.Runtime.csproj)

echo "== restore and first build of the dependencies (once)"
dotnet restore "$orleans/src/Orleans.Runtime/Orleans.Runtime.csproj" --configfile "$repo/nuget.config" -nologo -v:q "${common[@]:2}"
dotnet build "$orleans/src/Orleans.Runtime/Orleans.Runtime.csproj" --no-restore -v:q -clp:ErrorsOnly "${common[@]}"

build_round() { # config, binlog or ""
  config_args "$1"
  local bl=()
  [[ -n $2 ]] && bl=(-bl:"$2")
  for p in "${projects[@]}"; do touch "$orleans/$(dirname "$p")/Properties/AssemblyInfo.cs" 2>/dev/null || touch "$orleans/$p"; done
  # Both projects in one build; --no-dependencies would skip Orleans.Core, so the dependencies are
  # up to date from the first build and only the two touched projects recompile.
  dotnet build "$orleans/src/Orleans.Runtime/Orleans.Runtime.csproj" --no-restore -v:q -clp:ErrorsOnly -p:ReportAnalyzer=true "${common[@]}" "${extra[@]}" "${bl[@]}"
}

for ((w = 1; w <= warmups; w++)); do
  for config in $configs; do echo "== warm-up $w ($config)"; build_round "$config" ""; done
done
for ((r = 1; r <= runs; r++)); do
  for config in $configs; do
    bl="$results/$config-$r.binlog"
    start=$(date +%s.%N)
    build_round "$config" "$bl"
    end=$(date +%s.%N)
    echo "$end - $start" | bc > "$results/$config-$r.wall"
    dotnet msbuild "$bl" -noconlog -nologo "-flp:logfile=$results/$config-$r.log;verbosity=detailed;performancesummary"
    echo "   round $r, $config: $(cat "$results/$config-$r.wall") s wall"
  done
done

{
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2 " GiB RAM"}'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "sdk: $(dotnet --version)"
  cat "$results/commit.txt"
  echo "Orleans.Core + Orleans.Runtime (net10.0, Release), $runs rounds after $warmups warm-up round(s)"
  python3 "$repo/benchmarks/AnalyzerCost/report.py" "$results" $configs
} | tee "$results/summary.md"
