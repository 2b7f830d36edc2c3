using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>
/// One fix case, checked from one input (as Meziantou's ProjectBuilder does): the markup says where each diagnostic
/// is expected (<c>{|PN0001:...|}</c>), the analyzers must report exactly those, and the same input fixed with the
/// given equivalence key must give the expected output (which must itself be free of them). Compiled against the
/// .NET 8 reference pack and PeerNet's netstandard2.0 build; both code fixes are registered.
/// </summary>
internal sealed class FixTest
{
    private readonly Test _test;
    private readonly string _markup;

    private FixTest(ImmutableArray<DiagnosticAnalyzer> analyzers, string markup)
    {
        _markup = markup;
        _test = new Test(analyzers) { TestCode = markup, ReferenceAssemblies = ReferenceAssemblies.Net.Net80 };
        MetadataReference peerNet = MetadataReference.CreateFromFile(typeof(PeersAndMetadata).Assembly.Location);
        _test.TestState.AdditionalReferences.Add(peerNet);
        _test.FixedState.AdditionalReferences.Add(peerNet);
    }

    /// <summary>A case run against the shipped analyzers (the default for every fix case).</summary>
    public static FixTest Shipped(string markup) => new(TestAnalyzers.Shipped(), markup);

    /// <summary>A case run against <see cref="ContractStubAnalyzer"/>: only where the fix must be isolated from the analyzer.</summary>
    public static FixTest ContractStub(string markup) => new(TestAnalyzers.ContractStub(), markup);

    /// <summary>The fix with <paramref name="equivalenceKey"/> turns the input into <paramref name="fixedCode"/>.</summary>
    public FixTest ShouldFixTo(string fixedCode, string equivalenceKey)
    {
        _test.FixedCode = fixedCode;
        _test.CodeActionEquivalenceKey = equivalenceKey;
        return this;
    }

    /// <summary>The diagnostics are reported, and no fix with <paramref name="equivalenceKey"/> changes anything.</summary>
    public FixTest ShouldOfferNoFix(string equivalenceKey)
    {
        _test.FixedCode = _markup;
        _test.FixedState.MarkupHandling = MarkupMode.Allow;
        _test.CodeActionEquivalenceKey = equivalenceKey;
        return this;
    }

    /// <summary>Another document of the same project, with its expected fixed text.</summary>
    public FixTest WithDocument(string path, string markup, string fixedCode)
    {
        _test.TestState.Sources.Add((path, markup));
        _test.FixedState.Sources.Add((path, fixedCode));
        return this;
    }

    /// <summary>
    /// Fix All: how many rounds one-by-one fixing takes, and how many Fix All rounds per scope (document,
    /// project, solution) reach the same output.
    /// </summary>
    public FixTest WithFixAll(int incremental, int inDocument = 1, int inProject = 1, int inSolution = 1)
    {
        _test.NumberOfIncrementalIterations = incremental;
        _test.NumberOfFixAllInDocumentIterations = inDocument;
        _test.NumberOfFixAllInProjectIterations = inProject;
        _test.NumberOfFixAllIterations = inSolution;
        return this;
    }

    /// <summary>Top-level statements: the project is a console application.</summary>
    public FixTest AsConsoleApplication()
    {
        _test.TestState.OutputKind = OutputKind.ConsoleApplication;
        _test.FixedState.OutputKind = OutputKind.ConsoleApplication;
        return this;
    }

    public Task ValidateAsync() => _test.RunAsync();

    private sealed class Test : CSharpCodeFixTest<EmptyDiagnosticAnalyzer, EmptyCodeFixProvider, DefaultVerifier>
    {
        private readonly ImmutableArray<DiagnosticAnalyzer> _analyzers;

        public Test(ImmutableArray<DiagnosticAnalyzer> analyzers) => _analyzers = analyzers;

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => _analyzers;

        protected override IEnumerable<CodeFixProvider> GetCodeFixProviders() =>
            new CodeFixProvider[] { new PN0001PN0002UseTrySendWithCurrentProtocolCodeFixProvider(), new PN0003ObserveTrySendResultCodeFixProvider() };
    }
}
