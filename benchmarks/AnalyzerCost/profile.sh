#!/usr/bin/env bash
# Where does the analyzer spend its time? Samples an in-process analysis (Profile tool) with EventPipe
# and aggregates the stacks that contain PeerNet.Analyzers frames.
#   benchmarks/AnalyzerCost/profile.sh [--files N]      (run run.sh first: it builds the dlls and the project)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
files=400
[[ ${1:-} == --files ]] && files="$2"
gen="$here/generated"
analyzer="$(find "$gen/_build/bin/PeerNet.Analyzers" -name PeerNet.Analyzers.dll | head -1)"
peernet="$(find "$gen/_build/bin/PeerNet" -path '*net10.0*' -name PeerNet.dll | head -1)"
tools="$gen/_tools"
[[ -x $tools/dotnet-trace ]] || dotnet tool install dotnet-trace --tool-path "$tools" >/dev/null
dotnet build "$here/Profile/AnalyzerCost.Profile.csproj" -c Release -nologo -v:q -clp:ErrorsOnly
trace="$gen/results/analyzer.nettrace"
rm -f "$trace"
DOTNET_EnableEventPipe=1 DOTNET_EventPipeOutputPath="$trace" \
DOTNET_EventPipeConfig='Microsoft-DotNETCore-SampleProfiler:0:5,Microsoft-Windows-DotNETRuntime:4c14fccbd:5' \
  dotnet "$here/Profile/bin/Release/net10.0/AnalyzerCost.Profile.dll" --dir "$gen/with-peernet" \
    --analyzer "$analyzer" --peernet "$peernet" --files "$files" --repeat 1
"$tools/dotnet-trace" convert "$trace" --format speedscope -o "${trace%.nettrace}" >/dev/null
python3 "$here/Profile/aggregate_speedscope.py" "${trace%.nettrace}.speedscope.json" | grep -v "Thread (" | cut -c1-220 | head -60
