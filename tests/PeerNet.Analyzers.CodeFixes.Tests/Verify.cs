using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>Runs a code-fix test on the .NET 8 reference pack plus PeerNet's netstandard2.0 build.</summary>
internal static class Verify<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public const string Usings = "using System;\nusing System.Collections.Generic;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing PeerNet;\n";

    public static CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier> Create(string source, string fixedSource, string? equivalenceKey = null)
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
            ReferenceAssemblies = ReferenceAssemblies.Net.Net80,
            CodeActionEquivalenceKey = equivalenceKey,
        };
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(PeersAndMetadata).Assembly.Location));
        test.FixedState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(PeersAndMetadata).Assembly.Location));
        return test;
    }

    /// <summary>The diagnostics are reported and no fix is offered: the code stays as it is.</summary>
    public static Task NoFixAsync(string source, string? equivalenceKey = null)
    {
        CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier> test = Create(source, source, equivalenceKey);
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        return test.RunAsync();
    }

    public static Task FixAsync(string source, string fixedSource, string? equivalenceKey = null) =>
        Create(source, fixedSource, equivalenceKey).RunAsync();
}
