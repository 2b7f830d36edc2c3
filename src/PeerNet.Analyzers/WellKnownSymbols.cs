using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PeerNet.Analyzers
{
    /// <summary>
    /// PeerNet's symbols and the annotation attributes, resolved once per compilation. Every decision is by
    /// symbol identity (or, for the three annotation attributes, by attribute class name in any namespace,
    /// so that users can declare their own copies); never by member names of unannotated code.
    /// </summary>
    internal sealed class WellKnownSymbols
    {
        // The annotation attributes: the only place their names are spelled. They are recognized by class
        // name in any namespace (PeerNet.Annotations' or a user's own copy).
        public const string CachedSnapshotReadName = "CachedSnapshotReadAttribute";
        public const string RequiresCurrentProtocolName = "RequiresCurrentProtocolAttribute";
        public const string SnapshotVersionCheckName = "SnapshotVersionCheckAttribute";

        // The declarations added for sinks beyond parameters and for correct designs (docs/configuration.md).
        public const string RequiresCurrentReceiverName = "RequiresCurrentReceiverAttribute";
        public const string ValidatedSnapshotVersionName = "ValidatedSnapshotVersionAttribute";
        public const string ConnectionOwnerName = "ConnectionOwnerAttribute";

        private const string AttributeSuffix = "Attribute";

        /// <summary>The annotation attributes' class names.</summary>
        public static readonly ImmutableArray<string> AnnotationAttributeNames =
            ImmutableArray.Create(
                CachedSnapshotReadName, RequiresCurrentProtocolName, SnapshotVersionCheckName,
                RequiresCurrentReceiverName, ValidatedSnapshotVersionName, ConnectionOwnerName);

        /// <summary>The same names as usually written in source, without the "Attribute" suffix.</summary>
        public static readonly ImmutableArray<string> AnnotationShortNames =
            AnnotationAttributeNames.Select(n => n.Substring(0, n.Length - AttributeSuffix.Length)).ToImmutableArray();

        private static readonly string[] s_annotationAttributeNames = AnnotationAttributeNames.ToArray();

        /// <summary>
        /// Whether <paramref name="name"/>, an attribute's name as written in source (simple name, with or
        /// without the suffix), names the annotation attribute <paramref name="attributeName"/>.
        /// </summary>
        public static bool IsAnnotationName(string name, string attributeName) =>
            name == attributeName ||
            (name.Length == attributeName.Length - AttributeSuffix.Length && attributeName.StartsWith(name, System.StringComparison.Ordinal));

        /// <summary>Whether <paramref name="name"/> (with or without the suffix) names one of the annotation attributes.</summary>
        public static bool IsAnyAnnotationName(string name)
        {
            foreach (var attributeName in AnnotationAttributeNames)
            {
                if (IsAnnotationName(name, attributeName)) return true;
            }

            return false;
        }

        private readonly ConcurrentDictionary<ISymbol, bool> _sources = new ConcurrentDictionary<ISymbol, bool>(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ISymbol, bool> _checks = new ConcurrentDictionary<ISymbol, bool>(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ITypeSymbol, bool> _protocolLike = new ConcurrentDictionary<ITypeSymbol, bool>(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<IParameterSymbol>> _sinks = new ConcurrentDictionary<IMethodSymbol, ImmutableArray<IParameterSymbol>>(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ISymbol, bool> _receiverSinks = new ConcurrentDictionary<ISymbol, bool>(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ISymbol, bool> _setterSinks = new ConcurrentDictionary<ISymbol, bool>(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<int>> _validatedVersions = new ConcurrentDictionary<IMethodSymbol, ImmutableArray<int>>(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ITypeSymbol, bool> _owners = new ConcurrentDictionary<ITypeSymbol, bool>(SymbolEqualityComparer.Default);

        private readonly Lazy<bool> _anyUsingStatic;

        private WellKnownSymbols(Compilation compilation, ConfiguredSymbols configured)
        {
            _anyUsingStatic = new Lazy<bool>(() => compilation.SyntaxTrees.Any(HasUsingStatic), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
            Compilation = compilation;
            Configured = configured;
            NetworkClient = compilation.GetTypeByMetadataName("PeerNet.NetworkClient");
            NetworkSender = compilation.GetTypeByMetadataName("PeerNet.INetworkSender");
            ConnectionBoundSender = compilation.GetTypeByMetadataName("PeerNet.IConnectionBoundSender");
            ProtocolId = compilation.GetTypeByMetadataName("PeerNet.ProtocolId");
            ProtocolIdSet = compilation.GetTypeByMetadataName("PeerNet.ProtocolIdSet");
            SnapshotVersion = compilation.GetTypeByMetadataName("PeerNet.SnapshotVersion");
            SendFailure = compilation.GetTypeByMetadataName("PeerNet.SendFailure");
            Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
            ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
            IEnumerableOfT = compilation.GetSpecialType(SpecialType.System_Collections_Generic_IEnumerable_T);
            GeneratedCodeAttribute = compilation.GetTypeByMetadataName("System.CodeDom.Compiler.GeneratedCodeAttribute");

            var trySends = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
            if (NetworkClient is not null)
            {
                foreach (var m in NetworkClient.GetMembers("TrySendWithCurrentProtocol").OfType<IMethodSymbol>()) trySends.Add(m);
            }

            if (ConnectionBoundSender is not null)
            {
                foreach (var m in ConnectionBoundSender.GetMembers("TrySendOnConnection").OfType<IMethodSymbol>()) trySends.Add(m);
            }

            foreach (var s in configured.TrySends) trySends.Add(s);
            TrySends = trySends.ToImmutable();
        }

        public Compilation Compilation { get; }

        /// <summary>Whether a file of the compilation has a <c>using static</c> directive (which brings other types' members into scope everywhere it applies).</summary>
        public bool AnyUsingStatic => _anyUsingStatic.Value;

        private static bool HasUsingStatic(SyntaxTree tree) =>
            Flow.TreeText.MayHoldWord(tree, "static") &&
            tree.GetRoot().DescendantNodes(n => n is Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.BaseNamespaceDeclarationSyntax)
                .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.UsingDirectiveSyntax>().Any(u => u.StaticKeyword.RawKind != 0);

        public ConfiguredSymbols Configured { get; }

        public INamedTypeSymbol? NetworkClient { get; }

        public INamedTypeSymbol? NetworkSender { get; }

        public INamedTypeSymbol? ConnectionBoundSender { get; }

        public INamedTypeSymbol? ProtocolId { get; }

        public INamedTypeSymbol? ProtocolIdSet { get; }

        public INamedTypeSymbol? SnapshotVersion { get; }

        public INamedTypeSymbol? SendFailure { get; }

        public INamedTypeSymbol? Task { get; }

        public INamedTypeSymbol? ValueTask { get; }

        public INamedTypeSymbol IEnumerableOfT { get; }

        public INamedTypeSymbol? GeneratedCodeAttribute { get; }

        /// <summary>Methods whose result alone tells whether the send failed (PN0003).</summary>
        public ImmutableHashSet<ISymbol> TrySends { get; }

        /// <summary>
        /// Resolves the symbols, or returns null when the compilation can contain no finding: no PeerNet,
        /// no annotation attribute declared anywhere, no configured extra.
        /// </summary>
        public static WellKnownSymbols? TryCreate(Compilation compilation, AnalyzerConfigOptionsProvider options)
        {
            // PN0001, PN0002 and PN0003 each ask in their compilation-start action: resolve once per
            // compilation (and options provider) and share, caches of annotated symbols included.
            var entry = s_byCompilation.GetValue(compilation, c => new Resolved(options, Resolve(c, options)));
            return ReferenceEquals(entry.Options, options) ? entry.Symbols : Resolve(compilation, options);
        }

        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Compilation, Resolved> s_byCompilation =
            new System.Runtime.CompilerServices.ConditionalWeakTable<Compilation, Resolved>();

        private sealed class Resolved
        {
            public Resolved(AnalyzerConfigOptionsProvider options, WellKnownSymbols? symbols)
            {
                Options = options;
                Symbols = symbols;
            }

            public AnalyzerConfigOptionsProvider Options { get; }

            public WellKnownSymbols? Symbols { get; }
        }

        private static WellKnownSymbols? Resolve(Compilation compilation, AnalyzerConfigOptionsProvider options)
        {
            var configured = ConfiguredSymbols.Read(compilation, options);

            // Before the first symbol is asked for (see AnnotationReach): where nothing is configured and no code
            // can reach an annotated member, nothing of the compilation is bound at all.
            if (configured.IsEmpty && configured.Errors.IsEmpty)
            {
                if (!AnnotationReach.MayReachAnnotations(compilation, System.Threading.CancellationToken.None)) return null;

                // Code can reach an annotated member: the analysis will look for its names in every tree. The texts are
                // read before the first symbol is asked for (TreeText.ReadWords).
                Flow.TreeText.ReadWords(compilation, System.Threading.CancellationToken.None);
            }

            bool relevant =
                !configured.IsEmpty || !configured.Errors.IsEmpty ||
                compilation.GetTypeByMetadataName("PeerNet.NetworkClient") is not null ||
                DeclaresAttribute(compilation);
            return relevant ? new WellKnownSymbols(compilation, configured) : null;
        }

        private static bool DeclaresAttribute(Compilation compilation)
        {
            var names = s_annotationAttributeNames;

            // The source's own copies: a type of that name can only be declared in a tree whose text holds
            // the name, and searching the texts is cheaper than building the compilation's type-name table
            // (measured with benchmarks/AnalyzerCost/Profile --first-lookup).
            if (AnySourceTextContains(compilation, names))
            {
                foreach (var name in names)
                {
                    if (compilation.ContainsSymbolsWithName(name, SymbolFilter.Type)) return true;
                }
            }

            foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
            {
                if (!MayDeclareAttributes(assembly)) continue;
                var typeNames = assembly.TypeNames;
                foreach (var name in names)
                {
                    if (typeNames.Contains(name)) return true;
                }
            }

            return false;
        }

        private static bool AnySourceTextContains(Compilation compilation, string[] names)
        {
            foreach (var tree in compilation.SyntaxTrees)
            {
                if (Flow.TreeText.ContainsAny(tree, names)) return true;
            }

            return false;
        }

        /// <summary>
        /// Whether a referenced assembly can declare one of the annotation attributes (by name). The
        /// framework's and Microsoft's own signed assemblies cannot, and skipping them keeps the bail-out
        /// from enumerating the type names of every framework reference.
        /// </summary>
        public static bool MayDeclareAttributes(IAssemblySymbol assembly)
        {
            var token = assembly.Identity.PublicKeyToken;
            if (token.Length != 8) return true;
            var hex = string.Concat(token.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
            return hex is not ("b03f5f7f11d50a3a" or "b77a5c561934e089" or "31bf3856ad364e35" or "cc7b13ffcd2ddd51" or "adb9793829ddae60" or "7cec85d7bea7798e");
        }

        /// <summary>Whether <paramref name="symbol"/> itself carries the annotation attribute <paramref name="attributeName"/> (any namespace).</summary>
        public static bool HasAnnotation(ISymbol symbol, string attributeName) => HasAttribute(symbol, attributeName);

        private static bool HasAttribute(ISymbol symbol, string name)
        {
            foreach (var a in symbol.GetAttributes())
            {
                if (a.AttributeClass is { } c && c.Name == name) return true;
            }

            return false;
        }

        /// <summary>[CachedSnapshotRead] (on it, on what it overrides or implements) or a configured source.</summary>
        public bool IsSnapshotRead(ISymbol symbol)
        {
            symbol = symbol.OriginalDefinition;
            return _sources.GetOrAdd(symbol, s => Configured.Sources.Contains(s) || AnyInHierarchy(s, CachedSnapshotReadName));
        }

        /// <summary>[SnapshotVersionCheck] (on it, on what it overrides or implements) or a configured check.</summary>
        public bool IsVersionCheck(ISymbol symbol)
        {
            symbol = symbol.OriginalDefinition;
            return _checks.GetOrAdd(symbol, s => Configured.VersionChecks.Contains(s) || AnyInHierarchy(s, SnapshotVersionCheckName));
        }

        private bool AnyInHierarchy(ISymbol symbol, string attributeName)
        {
            foreach (var s in Hierarchy(symbol))
            {
                if (HasAttribute(s, attributeName)) return true;
                if (s is IMethodSymbol { AssociatedSymbol: IPropertySymbol p } && HasAttribute(p, attributeName)) return true;
                if (Configured.Sources.Contains(s.OriginalDefinition) && attributeName == CachedSnapshotReadName) return true;
            }

            return false;
        }

        /// <summary>The symbol, what it overrides, and the interface members it implements.</summary>
        private static ImmutableArray<ISymbol> Hierarchy(ISymbol symbol)
        {
            var result = ImmutableArray.CreateBuilder<ISymbol>();
            result.Add(symbol);
            ISymbol? current = symbol;
            int guard = 0;
            while (current is not null && guard++ < 16)
            {
                current = current switch
                {
                    IMethodSymbol m => m.OverriddenMethod,
                    IPropertySymbol p => p.OverriddenProperty,
                    _ => null,
                };
                if (current is not null) result.Add(current.OriginalDefinition);
            }

            var type = symbol.ContainingType;
            if (type is not null && type.TypeKind != TypeKind.Interface && symbol is IMethodSymbol or IPropertySymbol)
            {
                foreach (var iface in type.AllInterfaces)
                {
                    foreach (var member in iface.GetMembers(symbol.Name))
                    {
                        var impl = type.FindImplementationForInterfaceMember(member);
                        if (impl is not null && SymbolEqualityComparer.Default.Equals(impl.OriginalDefinition, symbol)) result.Add(member.OriginalDefinition);
                    }
                }
            }

            if (symbol is IMethodSymbol { ExplicitInterfaceImplementations.Length: > 0 } explicitImpl)
            {
                foreach (var e in explicitImpl.ExplicitInterfaceImplementations) result.Add(e.OriginalDefinition);
            }

            return result.ToImmutable();
        }

        /// <summary>
        /// The [RequiresCurrentProtocol] parameters of <paramref name="method"/> (on it or on what it overrides
        /// or implements) and configured sink parameters. Empty when it is not a sink.
        /// </summary>
        public ImmutableArray<IParameterSymbol> SinkParameters(IMethodSymbol method)
        {
            method = method.OriginalDefinition;
            return _sinks.GetOrAdd(method, m =>
            {
                var builder = ImmutableArray.CreateBuilder<IParameterSymbol>();
                foreach (var p in m.Parameters)
                {
                    bool sink = false;
                    foreach (var s in Hierarchy(m))
                    {
                        if (s is IMethodSymbol hm && p.Ordinal < hm.Parameters.Length)
                        {
                            if (HasAttribute(hm.Parameters[p.Ordinal], RequiresCurrentProtocolName)) sink = true;
                            if (Configured.Sinks.TryGetValue(hm, out var ordinals) && ordinals.Contains(p.Ordinal)) sink = true;
                        }
                    }

                    if (sink) builder.Add(p);
                }

                return builder.ToImmutable();
            });
        }

        /// <summary>
        /// Whether the object <paramref name="method"/> is called on is a sink: [RequiresCurrentReceiver] on the
        /// method (or what it overrides or implements), or configured as <c>M:...|this</c>.
        /// </summary>
        public bool IsReceiverSink(IMethodSymbol method)
        {
            if (method.IsStatic || method.MethodKind != MethodKind.Ordinary) return false;
            return _receiverSinks.GetOrAdd(method.OriginalDefinition, m =>
            {
                foreach (var s in Hierarchy(m))
                {
                    if (HasAttribute(s, RequiresCurrentReceiverName) || Configured.ReceiverSinks.Contains(s.OriginalDefinition)) return true;
                }

                return false;
            });
        }

        /// <summary>
        /// Whether assigning <paramref name="property"/> is a send of the assigned value: [RequiresCurrentProtocol]
        /// on the property (or what it overrides or implements), or configured as <c>P:...|value</c>.
        /// </summary>
        public bool IsSetterSink(IPropertySymbol property) =>
            _setterSinks.GetOrAdd(property.OriginalDefinition, p =>
            {
                foreach (var s in Hierarchy(p))
                {
                    if (HasAttribute(s, RequiresCurrentProtocolName) || Configured.SetterSinks.Contains(s.OriginalDefinition)) return true;
                }

                return false;
            });

        /// <summary>
        /// The ordinals of <paramref name="method"/>'s parameters that carry a snapshot version its receiver
        /// validates: [ValidatedSnapshotVersion] (on it or what it overrides or implements) or configured in
        /// <c>peernet.validated_versions</c>.
        /// </summary>
        public ImmutableArray<int> ValidatedVersionParameters(IMethodSymbol method) =>
            _validatedVersions.GetOrAdd(method.OriginalDefinition, m =>
            {
                var builder = ImmutableArray.CreateBuilder<int>();
                foreach (var p in m.Parameters)
                {
                    foreach (var s in Hierarchy(m))
                    {
                        if (s is IMethodSymbol hm && p.Ordinal < hm.Parameters.Length &&
                            (HasAttribute(hm.Parameters[p.Ordinal], ValidatedSnapshotVersionName) ||
                             (Configured.ValidatedVersions.TryGetValue(hm, out var ordinals) && ordinals.Contains(p.Ordinal))))
                        {
                            builder.Add(p.Ordinal);
                            break;
                        }
                    }
                }

                return builder.ToImmutable();
            });

        /// <summary>
        /// Whether <paramref name="type"/> owns its connection (a per-connection actor): [ConnectionOwner] on it
        /// or a base type, or configured in <c>peernet.connection_owners</c>.
        /// </summary>
        public bool IsConnectionOwner(ITypeSymbol type) =>
            _owners.GetOrAdd(type.OriginalDefinition, t =>
            {
                int guard = 0;
                for (ITypeSymbol? current = t; current is not null && guard++ < 32; current = current.BaseType)
                {
                    if (HasAttribute(current, ConnectionOwnerName) || Configured.ConnectionOwners.Contains(current.OriginalDefinition)) return true;
                }

                return false;
            });

        /// <summary>Whether <paramref name="method"/> is one of PeerNet's own raw INetworkSender sends.</summary>
        public bool IsPeerNetSend(IMethodSymbol method) =>
            (NetworkSender is not null && SymbolEqualityComparer.Default.Equals(method.OriginalDefinition.ContainingType, NetworkSender)) ||
            (ConnectionBoundSender is not null && SymbolEqualityComparer.Default.Equals(method.OriginalDefinition.ContainingType, ConnectionBoundSender) &&
             method.Name is "SendTo" or "SendRpcAsync");

        /// <summary>"Rpc" when the send returns an awaitable with a result (an RPC), else "Direct".</summary>
        public string SendKind(IMethodSymbol method)
        {
            if (method.ReturnType is INamedTypeSymbol { IsGenericType: true } named)
            {
                var def = named.OriginalDefinition;
                if (def.Name is "Task" or "ValueTask" && def.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks") return DiagnosticProperties.Rpc;
            }

            return DiagnosticProperties.Direct;
        }

        /// <summary>
        /// Whether values of <paramref name="type"/> carry protocol information: PeerNet.ProtocolId (or
        /// nullable), ProtocolIdSet, or a sequence/array of ProtocolId. A branch on such a value chooses a
        /// protocol; a branch on other snapshot data (connection state, null checks) does not.
        /// </summary>
        public bool IsProtocolLike(ITypeSymbol? type)
        {
            if (type is null || ProtocolId is null) return false;
            return _protocolLike.GetOrAdd(type, ComputeProtocolLike);
        }

        private bool ComputeProtocolLike(ITypeSymbol type)
        {
            if (IsProtocolId(type) || SymbolEqualityComparer.Default.Equals(type, ProtocolIdSet)) return true;
            if (type is IArrayTypeSymbol array) return IsProtocolId(array.ElementType);
            if (type is INamedTypeSymbol named)
            {
                if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T) return IsProtocolId(named.TypeArguments[0]);
                if (IsEnumerableOfProtocol(named)) return true;
                foreach (var i in named.AllInterfaces)
                {
                    if (IsEnumerableOfProtocol(i)) return true;
                }
            }

            return false;
        }

        private bool IsProtocolId(ITypeSymbol type) => SymbolEqualityComparer.Default.Equals(type, ProtocolId);

        private bool IsEnumerableOfProtocol(INamedTypeSymbol type) =>
            type.IsGenericType && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, IEnumerableOfT) && IsProtocolId(type.TypeArguments[0]);

        /// <summary>
        /// Whether the result of reading source <paramref name="symbol"/> (of type <paramref name="type"/>)
        /// carries protocol information: by type for PeerNet's own reads; always for users' annotated or
        /// configured reads, whose protocol types the analyzer cannot know.
        /// </summary>
        public bool IsProtocolBearingSource(ISymbol symbol, ITypeSymbol? type) =>
            IsProtocolLike(type) || NetworkClient is null || !SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, NetworkClient.ContainingAssembly);

        public bool IsSnapshotVersion(ITypeSymbol? type) =>
            type is not null && SnapshotVersion is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, SnapshotVersion);

        /// <summary>Whether the symbol or a containing type is marked [GeneratedCode].</summary>
        public bool IsInGeneratedType(ISymbol symbol)
        {
            if (GeneratedCodeAttribute is null) return false;
            for (ISymbol? s = symbol; s is not null; s = s.ContainingType)
            {
                foreach (var a in s.GetAttributes())
                {
                    if (SymbolEqualityComparer.Default.Equals(a.AttributeClass, GeneratedCodeAttribute)) return true;
                }
            }

            return false;
        }
    }
}
