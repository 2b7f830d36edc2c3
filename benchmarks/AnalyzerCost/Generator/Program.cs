using System.Text;
using AnalyzerCost.Generator;

// Writes a large, realistic C# project for measuring analyzer cost:
//   dotnet run --project benchmarks/AnalyzerCost/Generator -- [--out DIR] [--files N] [--no-peernet]
//     [--peernet-every K] [--repo-root DIR] [--seed S]
// Default: about 1,000 files / 150,000 lines of ordinary business code (DTOs, services, LINQ, async,
// validation), with every K-th file (default 10; 1 = every file) a PeerNet file mixing racy and correct sends,
// wrappers and async RPCs. --no-peernet writes the same project with no PeerNet reference and
// look-alike messaging code in place of the PeerNet files (the analyzer's bail-out case); the
// analyzer is referenced in both.
var options = GeneratorOptions.Parse(args);
if (options is null)
{
    return 2;
}

var generator = new ProjectWriter(options);
var (files, lines, peerNetFiles) = generator.Write();
Console.WriteLine($"generated {files} files, {lines:N0} lines ({peerNetFiles} PeerNet files) in {options.OutputDirectory} " +
                  $"({(options.WithPeerNet ? "PeerNet referenced" : "no PeerNet reference")}; analyzer referenced)");
return 0;

namespace AnalyzerCost.Generator
{
    internal sealed record GeneratorOptions(string OutputDirectory, int Files, bool WithPeerNet, int PeerNetEvery, string RepoRoot, int Seed)
    {
        public static GeneratorOptions? Parse(string[] args)
        {
            string? output = null;
            string? repoRoot = null;
            var files = 1000;
            var withPeerNet = true;
            var every = 10;
            var seed = 42;
            for (var i = 0; i < args.Length; i++)
            {
                string Value()
                {
                    if (i + 1 >= args.Length)
                    {
                        throw new ArgumentException($"option {args[i]} needs a value");
                    }

                    return args[++i];
                }

                switch (args[i])
                {
                    case "--out": output = Value(); break;
                    case "--files": files = int.Parse(Value()); break;
                    case "--no-peernet": withPeerNet = false; break;
                    case "--peernet-every": every = int.Parse(Value()); break;
                    case "--repo-root": repoRoot = Value(); break;
                    case "--seed": seed = int.Parse(Value()); break;
                    case "-h":
                    case "--help":
                        Console.WriteLine("usage: Generator [--out DIR] [--files N] [--no-peernet] [--peernet-every K] [--repo-root DIR] [--seed S]");
                        return null;
                    default:
                        Console.Error.WriteLine($"unknown option '{args[i]}' (try --help)");
                        return null;
                }
            }

            repoRoot ??= FindRepoRoot();
            if (repoRoot is null)
            {
                Console.Error.WriteLine("cannot find the repository root (a folder with PeerNet.Analyzers.sln above the current directory); pass --repo-root");
                return null;
            }

            if (files < 10 || every < 1)
            {
                Console.Error.WriteLine("--files must be >= 10 and --peernet-every >= 1 (1: every file uses PeerNet)");
                return null;
            }

            output ??= Path.Combine(repoRoot, "benchmarks", "AnalyzerCost", "generated", withPeerNet ? "with-peernet" : "without-peernet");
            return new GeneratorOptions(Path.GetFullPath(output), files, withPeerNet, every, Path.GetFullPath(repoRoot), seed);
        }

        private static string? FindRepoRoot()
        {
            for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "PeerNet.Analyzers.sln")))
                {
                    return dir.FullName;
                }
            }

            return null;
        }
    }

    internal sealed class ProjectWriter
    {
        private static readonly string[] Modules = { "Billing", "Sales", "Inventory", "People", "Support", "Logistics", "Catalog", "Payments", "Reporting", "Identity", "Scheduling", "Compliance" };
        private static readonly string[] Nouns = { "Customer", "Order", "Invoice", "Shipment", "Product", "Account", "Payment", "Ticket", "Employee", "Contract", "Supplier", "Warehouse", "Refund", "Quote", "Subscription", "Campaign", "Asset", "Project", "Timesheet", "Voucher" };

        private readonly GeneratorOptions _options;

        public ProjectWriter(GeneratorOptions options) => _options = options;

        public (int Files, int Lines, int PeerNetFiles) Write()
        {
            var root = _options.OutputDirectory;
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }

            var src = Path.Combine(root, "src");
            Directory.CreateDirectory(src);
            WriteProjectFiles(root);

            var lines = 0;
            var peerNetFiles = 0;
            lines += WriteFile(Path.Combine(src, "Common.cs"), Templates.Common());
            lines += WriteFile(Path.Combine(src, "Touch.cs"), "namespace Contoso.Common;\n\ninternal static class BuildStamp\n{\n    public const int Value = 0;\n}\n");
            var written = 2;
            var random = new Random(_options.Seed);
            for (var i = 0; written < _options.Files; i++, written++)
            {
                var module = Modules[i % Modules.Length];
                var entity = Nouns[(i / Modules.Length) % Nouns.Length] + i.ToString("D4");
                string text;
                string kind;
                if (i % _options.PeerNetEvery == _options.PeerNetEvery - 1)
                {
                    var variant = (i / _options.PeerNetEvery) % 4;
                    kind = "Network";
                    if (_options.WithPeerNet)
                    {
                        text = Templates.PeerNetFile(module, entity, variant);
                        peerNetFiles++;
                    }
                    else
                    {
                        text = Templates.LookAlikeMessagingFile(module, entity, variant);
                    }
                }
                else
                {
                    switch (i % 4)
                    {
                        case 0: kind = "Models"; text = Templates.Dto(module, entity, random); break;
                        case 1: kind = "Services"; text = Templates.Service(module, entity, random); break;
                        case 2: kind = "Validation"; text = Templates.Validator(module, entity, random); break;
                        default: kind = "Reports"; text = Templates.Report(module, entity, random); break;
                    }
                }

                var dir = Path.Combine(src, module, kind);
                Directory.CreateDirectory(dir);
                lines += WriteFile(Path.Combine(dir, entity + kind + ".cs"), text);
            }

            return (written, lines, peerNetFiles);
        }

        private static int WriteFile(string path, string text)
        {
            text = text.Replace("\r\n", "\n");
            File.WriteAllText(path, text, new UTF8Encoding(false));
            var count = 0;
            foreach (var c in text)
            {
                if (c == '\n')
                {
                    count++;
                }
            }

            return count;
        }

        private void WriteProjectFiles(string root)
        {
            // Stop MSBuild from importing the repository's props (warnings as errors, package management):
            // the generated project is a consumer's project, not part of ours.
            File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project>\n</Project>\n");
            File.WriteAllText(Path.Combine(root, "Directory.Build.targets"), "<Project>\n</Project>\n");
            File.WriteAllText(Path.Combine(root, "Directory.Packages.props"), "<Project>\n</Project>\n");

            // The well-known neighbour: a dataflow rule of the .NET SDK, switched on with -p:EnableCA2000=true.
            File.WriteAllText(Path.Combine(root, "ca2000.globalconfig"),
                "is_global = true\n" +
                "dotnet_diagnostic.CA2000.severity = warning\n");

            // The analyzer and the library are referenced as built dlls (Release, as a package would ship
            // them), so that rebuilding this project recompiles only this project. run.sh copies them to
            // _peernet/ first, so a concurrent rebuild of src/ cannot swap them mid-measurement; by hand,
            // pass -p:PeerNetBin=<folder holding PeerNet.dll and PeerNet.Analyzers.dll>.
            var peerNetReference = _options.WithPeerNet
                ? """
                    <Reference Include="$(PeerNetBin)PeerNet.dll" />

                  """
                : string.Empty;

            var csproj = $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <!-- Generated by benchmarks/AnalyzerCost/Generator ({(_options.WithPeerNet ? "with" : "without")} PeerNet). Do not edit. -->
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <OutputType>Library</OutputType>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <LangVersion>latest</LangVersion>
                    <AssemblyName>Contoso.Generated</AssemblyName>
                    <RootNamespace>Contoso</RootNamespace>
                    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
                    <GenerateDocumentationFile>false</GenerateDocumentationFile>
                    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                    <!-- PN0001-PN0003 are expected here (racy sends on purpose). Do NOT NoWarn them (or CA2000):
                         the compiler skips an analyzer whose every diagnostic is suppressed, and the
                         measurement would be of nothing. -->
                    <PeerNetBin Condition="'$(PeerNetBin)' == ''">$(MSBuildThisFileDirectory)_peernet/</PeerNetBin>
                  </PropertyGroup>
                  <ItemGroup>
                {peerNetReference}    <Analyzer Include="$(PeerNetBin)PeerNet.Analyzers.dll" Condition="'$(NoPeerNetAnalyzer)' != 'true'" />
                  </ItemGroup>
                  <ItemGroup Condition="'$(EnableCA2000)' == 'true'">
                    <GlobalAnalyzerConfigFiles Include="ca2000.globalconfig" />
                  </ItemGroup>
                  <Target Name="CheckPeerNetBin" BeforeTargets="ResolveAssemblyReferences">
                    <Error Condition="!Exists('$(PeerNetBin)PeerNet.Analyzers.dll')" Text="PeerNet.Analyzers.dll not found in '$(PeerNetBin)': run benchmarks/AnalyzerCost/run.sh (it builds src/ in Release and copies the dlls there) or pass -p:PeerNetBin=..." />
                    <Error Condition="'{(_options.WithPeerNet ? "true" : "false")}' == 'true' And !Exists('$(PeerNetBin)PeerNet.dll')" Text="PeerNet.dll not found in '$(PeerNetBin)'." />
                  </Target>
                </Project>

                """;
            File.WriteAllText(Path.Combine(root, "Contoso.Generated.csproj"), csproj);
        }
    }
}
