namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>
/// One fix case, written once: the input with its expected diagnostics marked, and the output of the fix with the
/// given equivalence key (or none: no such fix is offered, the input stays as it is). Run against the shipped
/// analyzers; <see cref="ContractStubFixTests"/> reruns a few against the contract stand-in.
/// </summary>
internal sealed class FixCase
{
    private bool _consoleApplication;
    private (int Incremental, int InDocument, int InProject, int InSolution)? _fixAll;

    private FixCase(string markup, string? fixedCode, string equivalenceKey)
    {
        Markup = markup;
        FixedCode = fixedCode;
        EquivalenceKey = equivalenceKey;
    }

    public string Markup { get; }

    /// <summary>The expected output; null when no fix with <see cref="EquivalenceKey"/> may change the input.</summary>
    public string? FixedCode { get; }

    public string EquivalenceKey { get; }

    public static FixCase Fix(string markup, string fixedCode, string equivalenceKey) => new(markup, fixedCode, equivalenceKey);

    public static FixCase NoFix(string markup, string equivalenceKey) => new(markup, null, equivalenceKey);

    /// <summary>Top-level statements.</summary>
    public FixCase AsConsoleApplication()
    {
        _consoleApplication = true;
        return this;
    }

    /// <summary>Several diagnostics: one-by-one fixing takes <paramref name="incremental"/> rounds, Fix All one per scope.</summary>
    public FixCase WithFixAll(int incremental)
    {
        _fixAll = (incremental, 1, 1, 1);
        return this;
    }

    /// <summary>The case against the shipped analyzers.</summary>
    public Task ValidateAsync() => Build(FixTest.Shipped(Markup)).ValidateAsync();

    /// <summary>The case against the contract stand-in (same input, same expected output).</summary>
    public Task ValidateWithContractStubAsync() => Build(FixTest.ContractStub(Markup)).ValidateAsync();

    /// <summary>The test of this case, to extend (e.g. with more documents).</summary>
    public FixTest Build(FixTest test)
    {
        test = FixedCode == null ? test.ShouldOfferNoFix(EquivalenceKey) : test.ShouldFixTo(FixedCode, EquivalenceKey);
        if (_consoleApplication)
        {
            test = test.AsConsoleApplication();
        }

        if (_fixAll is { } f)
        {
            test = test.WithFixAll(f.Incremental, f.InDocument, f.InProject, f.InSolution);
        }

        return test;
    }
}

/// <summary>A table of fix cases by name; its names feed a theory.</summary>
internal sealed class FixCaseTable : Dictionary<string, FixCase>
{
    public FixCaseTable()
        : base(StringComparer.Ordinal)
    {
    }

    public TheoryData<string> Names
    {
        get
        {
            var names = new TheoryData<string>();
            foreach (string name in Keys)
            {
                names.Add(name);
            }

            return names;
        }
    }
}
