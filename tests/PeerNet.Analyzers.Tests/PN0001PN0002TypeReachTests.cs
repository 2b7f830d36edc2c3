using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using PeerNet.Analyzers.Flow;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// The forward cone binds a unit that mentions a source's name only when the unit can reference a member of
/// the source's type (<c>RelevantSymbols.TypeReach</c>): it names a value or type whose declaration leads to that
/// type, or lies inside such a type. Every way code reaches a <c>MembershipCache</c> without naming it must still
/// be found (the senders below), while the units reading a same-named member of an unrelated type are never bound.
/// Each shape is checked with the source and sink given by attribute and, through the compiler's own parser, by a
/// .globalconfig; with the backward search only, with the cone at once, and with the default budget.
/// </summary>
public class PN0001PN0002TypeReachTests
{
    private const string Model = """
        using System;
        using System.Threading.Tasks;
        using PeerNet.Annotations;

        namespace Shapes
        {
            public class MembershipCache
            {
                /*source*/ public string Latest => "v2";
                /*source*/ public static string Shared => "v1";
            }

            public class OtherCache { public string Latest => "v2"; public static string Shared => "v1"; }
            public class Link { public void Send(/*sink*/ string route) { } }
            public class Registry { public MembershipCache Cache { get; } = new(); }
            public static class Factory { public static MembershipCache Make() => new(); }
            public static class Helpers { public static string With(Func<MembershipCache, string> f) => f(new MembershipCache()); }
            public class CacheEnumerator { public MembershipCache Current => new(); public bool MoveNext() => false; }
            public class CacheList { public CacheEnumerator GetEnumerator() => new(); }
            public class CacheBag { }
            public static class BagExtensions { public static CacheEnumerator GetEnumerator(this CacheBag bag) => new(); }
            public class CacheTable { public MembershipCache this[int i] => new(); }
            public class Pair { public void Deconstruct(out MembershipCache cache, out int n) { cache = new(); n = 0; } }
            public delegate MembershipCache CacheSource();
            public class Loader { public Task<MembershipCache> LoadAsync() => Task.FromResult(new MembershipCache()); }
            public struct CacheKey { public static MembershipCache operator +(CacheKey a, CacheKey b) => new(); }
            public class DerivedCache : MembershipCache { }
            public class Relay { readonly Registry _r = new(); public string Forwarded => _r.Cache.Latest; }
            public partial class ViaPartial { readonly MembershipCache _fromOtherPart = new(); }
            public class EscapedHolder { public Membership\u0043ache Escaped = new(); }
            public class FormattedHolder { public MembershipCa/*ZWNJ*/che Formatted = new(); }
        }
        """;

    private const string Aliases = """
        global using CacheAlias = Shapes.MembershipCache;
        """;

    /// <summary>Each sender reads the source through a shape whose unit never names <c>MembershipCache</c>.</summary>
    private const string Senders = """
        using System.Threading.Tasks;

        namespace Shapes
        {
            class ViaProperty { void Send(Registry r, Link l) => l.Send(r.Cache.Latest); }
            class ViaFactory { void Send(Link l) { var c = Factory.Make(); l.Send(c.Latest); } }
            class ViaInheritance : MembershipCache { void Send(Link l) => l.Send(Latest); }
            class ViaConstraint<TCache> where TCache : MembershipCache, new() { readonly TCache _constrained = new(); void Send(Link l) => l.Send(_constrained.Latest); }
            class ViaAlias { readonly CacheAlias _c = new(); void Send(Link l) => l.Send(_c.Latest); }
            class ViaLambda { void Send(Link l) => l.Send(Helpers.With(c => c.Latest)); }
            class ViaEnumerator { readonly CacheList _all = new(); void Send(Link l) { foreach (var c in _all) l.Send(c.Latest); } }
            class ViaExtensionEnumerator { readonly CacheBag _bag = new(); void Send(Link l) { foreach (var c in _bag) l.Send(c.Latest); } }
            class ViaIndexer { readonly CacheTable _t = new(); void Send(Link l) => l.Send(_t[0].Latest); }
            class ViaDeconstruction { readonly Pair _pair = new(); void Send(Link l) { var (c, _) = _pair; l.Send(c.Latest); } }
            class ViaDelegate { readonly CacheSource _source = () => new(); void Send(Link l) => l.Send(_source().Latest); }
            class ViaAwait { readonly Loader _loader = new(); async Task Send(Link l) => l.Send((await _loader.LoadAsync()).Latest); }
            class ViaOperator { CacheKey _a, _b; void Send(Link l) => l.Send((_a + _b).Latest); }
            class ViaPrimaryConstructor(MembershipCache cache) { void Send(Link l) => l.Send(cache.Latest); }
            class ViaDerivedValue { readonly DerivedCache _d = new(); void Send(Link l) => l.Send(_d.Latest); }
            class ViaRelay { readonly Relay _relay = new(); void Send(Link l) => l.Send(_relay.Forwarded); }
            partial class ViaPartial { void Send(Link l) => l.Send(_fromOtherPart.Latest); }
            class ViaStaticName { void Send(Link l) => l.Send(MembershipCache.Shared); }
            class ViaEscapedName { void Send(EscapedHolder h, Link l) => l.Send(h.Escaped.Latest); }
            class ViaFormattedName { void Send(FormattedHolder h, Link l) => l.Send(h.Formatted.Latest); }
        }
        """;

    private const string StaticImport = """
        using static Shapes.MembershipCache;

        namespace Shapes
        {
            class ViaUsingStatic { void Send(Link l) => l.Send(Shared); }
        }
        """;

    /// <summary>
    /// Members that a unit reading the source assigns by simple name: an inherited field (read elsewhere through the
    /// base type), an outer type's static field, a static field brought into scope by <c>using static</c>; and a
    /// method reached through the interface it implements; a field assigned through another object. Each is read back in a method that yields it, by code
    /// that names only the declaring type, so the gate's closure must follow the name with that type.
    /// </summary>
    private const string Stores = """
        namespace Shapes
        {
            public class BaseHolder { public string Route = ""; }
            class Filler : BaseHolder { void Fill(MembershipCache c) { Route = c.Latest; } }
            class ViaBaseField { string PickInherited(BaseHolder h) => h.Route; void Send(BaseHolder h, Link l) => l.Send(PickInherited(h)); }

            public class Outer
            {
                public static string Cached = "";
                class Inner { void Fill(MembershipCache c) { Cached = c.Latest; } }
            }

            class ViaOuterStatic { string PickOuter() => Outer.Cached; void Send(Link l) => l.Send(PickOuter()); }

            public static class Globals { public static string Imported = ""; }
            class ViaImportedStatic { string PickImported() => Globals.Imported; void Send(Link l) => l.Send(PickImported()); }

            public class RouteBox { public string Routed = ""; }
            class BoxFiller { void Fill(MembershipCache c, RouteBox box) { box.Routed = c.Latest; } }
            class ViaQualifiedStore { string PickBoxed(RouteBox box) => box.Routed; void Send(RouteBox box, Link l) => l.Send(PickBoxed(box)); }

            public interface IChooser { string Choose(); }
            class CacheChooser : IChooser { readonly MembershipCache _c = new(); public string Choose() => _c.Latest; }
            class ViaInterface { string PickChosen(IChooser chooser) => chooser.Choose(); void Send(IChooser chooser, Link l) => l.Send(PickChosen(chooser)); }
        }
        """;

    private const string ImportingStores = """
        using static Shapes.Globals;

        namespace Shapes
        {
            class ImportingFiller { void Fill(MembershipCache c) { Imported = c.Latest; } }
        }
        """;

    private const int UnrelatedCount = 40;

    /// <summary>Units that read the same names from another type: never a source, and never worth binding.</summary>
    private static string Unrelated()
    {
        var text = new System.Text.StringBuilder("namespace Shapes\n{\n");
        for (var i = 0; i < UnrelatedCount; i++)
        {
            text.Append($"    class Unrelated{i} {{ readonly OtherCache _o = new(); void Send(Link l) {{ l.Send(_o.Latest); l.Send(OtherCache.Shared); }} }}\n");
        }

        return text.Append("}\n").ToString();
    }

    private static readonly string[] Expected =
    [
        "ViaProperty", "ViaFactory", "ViaInheritance", "ViaConstraint", "ViaAlias", "ViaLambda", "ViaEnumerator", "ViaExtensionEnumerator",
        "ViaIndexer", "ViaDeconstruction", "ViaDelegate", "ViaAwait", "ViaOperator", "ViaPrimaryConstructor", "ViaDerivedValue", "ViaRelay",
        "ViaPartial", "ViaStaticName", "ViaEscapedName", "ViaFormattedName", "ViaUsingStatic", "ViaBaseField", "ViaOuterStatic", "ViaImportedStatic", "ViaInterface", "ViaQualifiedStore",
    ];

    public enum Form
    {
        Attributes,
        GlobalConfig,
    }

    private static IEnumerable<(string Path, string Text)> Corpus(Form form)
    {
        var model = form == Form.Attributes
            ? Model.Replace("/*source*/", "[CachedSnapshotRead]", StringComparison.Ordinal).Replace("/*sink*/", "[RequiresCurrentProtocol]", StringComparison.Ordinal)
            : Model.Replace("/*source*/ ", string.Empty, StringComparison.Ordinal).Replace("/*sink*/ ", string.Empty, StringComparison.Ordinal).Replace("using PeerNet.Annotations;\n", string.Empty, StringComparison.Ordinal);
        // A zero-width non-joiner (a formatting character) inside a type's name: the identifier's value drops it.
        model = model.Replace("/*ZWNJ*/", "\u200C", StringComparison.Ordinal);
        return new[]
        {
            ("/0/Aliases.cs", Aliases),
            ("/0/Model.cs", model),
            ("/0/Senders.cs", Senders),
            ("/0/StaticImport.cs", StaticImport),
            ("/0/Stores.cs", Stores),
            ("/0/ImportingStores.cs", ImportingStores),
            ("/0/Unrelated.cs", Unrelated()),
        };
    }

    /// <summary>The options: none for attributes; else a .globalconfig read by the compiler's own parser.</summary>
    private static AnalyzerConfigOptionsProvider Options(Form form)
    {
        var text = form == Form.Attributes
            ? "is_global = true\n"
            : "is_global = true\n" +
              "peernet.sources = P:Shapes.MembershipCache.Latest, P:Shapes.MembershipCache.Shared\n" +
              "peernet.sinks = M:Shapes.Link.Send(System.String)|route\n";
        var set = AnalyzerConfigSet.Create(ImmutableArray.Create(AnalyzerConfig.Parse(SourceText.From(text), "/0/.globalconfig")));
        Assert.Empty(set.GlobalConfigOptions.Diagnostics);
        return new AnalyzerRegistrationTests.ConfigSetProvider(set);
    }

    private static async Task<Compilation> CompileAsync(Form form)
    {
        var compilation = await DirectRunner.CompileAsync(Corpus(form));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return compilation;
    }

    /// <summary>The classes holding a PN0001, with the analyzer's gate given <paramref name="budget"/>.</summary>
    private static async Task<List<string>> ReportedInAsync(Compilation compilation, Form form, int budget)
    {
        var analyzer = new PN0001PN0002SnapshotRaceAnalyzer { BackwardBudget = budget };
        var withAnalyzers = compilation.WithAnalyzers(
            ImmutableArray.Create<DiagnosticAnalyzer>(analyzer),
            new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, Options(form)), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        Assert.DoesNotContain(diagnostics, d => d.Id is "AD0001" or "PN0000");
        return diagnostics.Where(d => d.Id == "PN0001")
            .Select(d => d.Location.SourceTree!.GetRoot().FindNode(d.Location.SourceSpan).FirstAncestorOrSelf<TypeDeclarationSyntax>()!.Identifier.ValueText)
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();
    }

    [Theory]
    [InlineData(Form.Attributes)]
    [InlineData(Form.GlobalConfig)]
    public async Task Every_shape_that_reaches_the_source_type_without_naming_it_is_found_whatever_the_budget(Form form)
    {
        var compilation = await CompileAsync(form);
        var backward = await ReportedInAsync(compilation, form, int.MaxValue);
        var cone = await ReportedInAsync(compilation, form, 0);
        var byDefault = await ReportedInAsync(compilation, form, RelevantSymbols.DefaultBackwardBudget);
        Assert.Equal(Expected.OrderBy(n => n, StringComparer.Ordinal), backward);
        Assert.Equal(backward, cone);
        Assert.Equal(backward, byDefault);
    }

    [Fact]
    public async Task Every_prefix_of_the_declarations_analyzes_without_exceptions_with_the_cone_at_once()
    {
        // The declarations TypeReach reads (base lists, aliases, constraints, pattern members, primary constructors),
        // cut every few characters as while typing, beside the complete senders: no analyzer exception.
        var corpus = Corpus(Form.Attributes).ToList();
        var model = corpus.Single(f => f.Path.EndsWith("Model.cs", StringComparison.Ordinal)).Text;
        var runs = 0;
        for (var cut = 0; cut <= model.Length; cut += 41)
        {
            var sources = corpus.Select(f => f.Path.EndsWith("Model.cs", StringComparison.Ordinal) ? (f.Path, model.Substring(0, cut)) : f)
                .Append(("/0/Open.cs", Aliases.Replace("global using", "using", StringComparison.Ordinal) + "\nclass Open : MembershipCache where T : CacheAlias { public CacheAlias this[int i] => " + model.Substring(0, cut % 97)));
            var compilation = await DirectRunner.CompileAsync(sources);
            var analyzer = new PN0001PN0002SnapshotRaceAnalyzer { BackwardBudget = 0 };
            // Throws "the analyzer threw (AD0001)" on any analyzer exception.
            var diagnostics = await DirectRunner.RunAsync(analyzer, compilation);
            Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
            runs++;
        }

        Assert.True(runs > 40, $"only {runs} prefixes analyzed");
    }

    [Theory]
    [InlineData(Form.Attributes)]
    [InlineData(Form.GlobalConfig)]
    public async Task The_cone_binds_no_unit_that_reads_the_same_names_from_an_unrelated_type(Form form)
    {
        var compilation = await CompileAsync(form);
        var symbols = WellKnownSymbols.TryCreate(compilation, Options(form))!;
        var backward = new CompilationAnalysis(symbols, int.MaxValue);
        var forward = new CompilationAnalysis(symbols, 0);
        var bodies = compilation.SyntaxTrees
            .SelectMany(t => t.GetRoot().DescendantNodes().Where(n => n is BaseMethodDeclarationSyntax or PropertyDeclarationSyntax or AccessorDeclarationSyntax))
            .ToList();
        foreach (var body in bodies)
        {
            var answer = forward.RelevantSymbols.IsMentionedIn(body, default);
            Assert.True(answer == backward.RelevantSymbols.IsMentionedIn(body, default), $"IsMentionedIn differs for {body.ToString().Split('\n')[0]}");
            var type = body.FirstAncestorOrSelf<TypeDeclarationSyntax>()!.Identifier.ValueText;
            if (type.StartsWith("Unrelated", StringComparison.Ordinal)) Assert.False(answer, type);
            if (Expected.Contains(type) && body is MethodDeclarationSyntax) Assert.True(answer, type);
        }

        // The sources question was answered from its cone, which bound the senders and the members on the way
        // (about 25 units), none of the 40 units that read OtherCache's members of the same names.
        Assert.True(forward.RelevantSymbols.UsesCones.Sources);
        Assert.InRange(forward.RelevantSymbols.BoundUnitCount, Expected.Length, Expected.Length + 15);
    }
}
