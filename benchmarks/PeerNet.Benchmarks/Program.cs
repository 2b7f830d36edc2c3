using BenchmarkDotNet.Running;
using PeerNet.Benchmarks;

// One command runs everything and checks the targets:
//   dotnet run -c Release --project benchmarks/PeerNet.Benchmarks -- --filter '*' --job short
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return TargetReport.Print(summaries);
