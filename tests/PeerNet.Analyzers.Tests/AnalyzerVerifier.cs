using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using PeerNet;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// Runs one analyzer over C# sources compiled against the .NET 8 reference pack plus PeerNet's
/// netstandard2.0 build (the one the test project references), with optional .editorconfig /
/// .globalconfig text, and compares the diagnostics, additional locations included.
/// </summary>
public static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>Usings every test source gets in front of it.</summary>
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using PeerNet;
        using PeerNet.Annotations;

        """;

    /// <summary>An expected diagnostic at markup location {|#primary:...|}, with additional locations in order.</summary>
    public static DiagnosticResult Diagnostic(string id, int primary, params int[] additional)
    {
        var result = new DiagnosticResult(id, DiagnosticSeverity.Warning).WithLocation(primary);
        if (additional.Length == 0)
        {
            return result.WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);
        }

        foreach (var a in additional)
        {
            result = result.WithLocation(a);
        }

        return result;
    }

    /// <summary>Verifies that analyzing <paramref name="source"/> (prefixed with <see cref="Usings"/>) produces exactly <paramref name="expected"/>.</summary>
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAsync(source, configure: null, expected);

    /// <summary>Same, letting the caller adjust the test (config files, compiler diagnostics, more sources).</summary>
    public static async Task VerifyAsync(string source, Action<Test>? configure, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = Usings + source };
        test.ExpectedDiagnostics.AddRange(expected);
        configure?.Invoke(test);
        await test.RunAsync(CancellationToken.None);
    }

    /// <summary>Like VerifyAsync but without the usings prefix (for sources without PeerNet, or with a leading header).</summary>
    public static async Task VerifyRawAsync(string source, Action<Test>? configure, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        configure?.Invoke(test);
        await test.RunAsync(CancellationToken.None);
    }

    /// <summary>
    /// Runs the analyzer directly (no expectations) and returns its diagnostics (PN* and AD0001), for
    /// assertions on properties and messages. Throws when the source does not compile.
    /// </summary>
    public static Task<ImmutableArray<Diagnostic>> GetDiagnosticsAsync(string source, IReadOnlyDictionary<string, string>? options = null) =>
        DirectRunner.RunAsync(new TAnalyzer(), new[] { ("/0/Test0.cs", Usings + source) }, options, requireCompiles: true);

    /// <summary>The analyzer test, set up with PeerNet referenced.</summary>
    public sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = ReferenceAssemblies.Net.Net80;
            TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(PeersAndMetadata).Assembly.Location));
        }
    }
}
