using Microsoft.CodeAnalysis;

namespace PeerNet.Analyzers.Tests;

/// <summary>
/// WellKnownSymbols is the one recognizer of the annotation attributes (by class name in any namespace,
/// PeerNet.Annotations' or a user's own copy), for the analyzers and the code fixes alike.
/// </summary>
public class WellKnownSymbolsTests
{
    [Theory]
    [InlineData("CachedSnapshotRead", WellKnownSymbols.CachedSnapshotReadName, true)]
    [InlineData("CachedSnapshotReadAttribute", WellKnownSymbols.CachedSnapshotReadName, true)]
    [InlineData("RequiresCurrentProtocol", WellKnownSymbols.RequiresCurrentProtocolName, true)]
    [InlineData("SnapshotVersionCheckAttribute", WellKnownSymbols.SnapshotVersionCheckName, true)]
    [InlineData("CachedSnapshot", WellKnownSymbols.CachedSnapshotReadName, false)]
    [InlineData("CachedSnapshotReadAttr", WellKnownSymbols.CachedSnapshotReadName, false)]
    [InlineData("RequiresCurrentProtocol", WellKnownSymbols.CachedSnapshotReadName, false)]
    [InlineData("cachedsnapshotread", WellKnownSymbols.CachedSnapshotReadName, false)]
    public void Attribute_names_are_recognized_with_or_without_the_suffix(string written, string attribute, bool expected) =>
        Assert.Equal(expected, WellKnownSymbols.IsAnnotationName(written, attribute));

    [Fact]
    public void The_six_annotations_and_nothing_else()
    {
        Assert.Equal(new[] { "CachedSnapshotRead", "RequiresCurrentProtocol", "SnapshotVersionCheck", "RequiresCurrentReceiver", "ValidatedSnapshotVersion", "ConnectionOwner" }, WellKnownSymbols.AnnotationShortNames);
        Assert.All(WellKnownSymbols.AnnotationShortNames.Concat(WellKnownSymbols.AnnotationAttributeNames), n => Assert.True(WellKnownSymbols.IsAnyAnnotationName(n), n));
        Assert.False(WellKnownSymbols.IsAnyAnnotationName("Obsolete"));
        Assert.False(WellKnownSymbols.IsAnyAnnotationName("Attribute"));
        Assert.False(WellKnownSymbols.IsAnyAnnotationName(string.Empty));
    }

    [Fact]
    public async Task A_users_own_copy_of_an_annotation_is_recognized_like_PeerNets()
    {
        var compilation = await DirectRunner.CompileAsync(new[]
        {
            ("/0/A.cs", """
                namespace Contoso.Annotations
                {
                    [System.AttributeUsage(System.AttributeTargets.All)]
                    public sealed class CachedSnapshotReadAttribute : System.Attribute { }
                }

                public class Cache
                {
                    [Contoso.Annotations.CachedSnapshotRead] public int Read() => 1;
                    [PeerNet.Annotations.CachedSnapshotRead] public int ReadToo() => 2;
                    public int Plain() => 3;
                }
                """),
        });
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var symbols = WellKnownSymbols.TryCreate(compilation, new DirectRunner.DictionaryOptionsProvider(new Dictionary<string, string>()))!;
        var cache = compilation.GetTypeByMetadataName("Cache")!;
        IMethodSymbol Method(string name) => (IMethodSymbol)cache.GetMembers(name).Single();

        Assert.True(WellKnownSymbols.HasAnnotation(Method("Read"), WellKnownSymbols.CachedSnapshotReadName));
        Assert.True(WellKnownSymbols.HasAnnotation(Method("ReadToo"), WellKnownSymbols.CachedSnapshotReadName));
        Assert.False(WellKnownSymbols.HasAnnotation(Method("Plain"), WellKnownSymbols.CachedSnapshotReadName));
        Assert.False(WellKnownSymbols.HasAnnotation(Method("Read"), WellKnownSymbols.SnapshotVersionCheckName));
        Assert.True(symbols.IsSnapshotRead(Method("Read")));
        Assert.True(symbols.IsSnapshotRead(Method("ReadToo")));
        Assert.False(symbols.IsSnapshotRead(Method("Plain")));
    }
}
