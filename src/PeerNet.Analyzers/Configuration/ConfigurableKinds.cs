using Microsoft.CodeAnalysis;

namespace PeerNet.Analyzers
{
    /// <summary>
    /// Which symbols each list key can name so that the analysis acts on them, and why another cannot. Each
    /// rule here mirrors what the engine looks at today (Flow/BodyAnalyzer, PN0003): widen it here when the
    /// engine learns a new kind, and the matching PN0000 disappears. A null answer means "acts".
    /// </summary>
    internal static class ConfigurableKinds
    {
        /// <summary>A source is read where it is called (a method), read (a property) or loaded (a field).</summary>
        public static string? WhyNotSource(ISymbol symbol) => symbol switch
        {
            IMethodSymbol { MethodKind: MethodKind.PropertyGet, AssociatedSymbol: { } property } =>
                $"is the getter of a property; name the property itself: '{property.GetDocumentationCommentId()}'",
            IMethodSymbol { MethodKind: MethodKind.Ordinary } m when m.ReturnsVoid && !HasOutput(m) =>
                "returns nothing (void, no out or ref parameter), so no cached value comes from it",
            IMethodSymbol { MethodKind: MethodKind.Ordinary } => null,
            IMethodSymbol m => $"is {Describe(m)}; a source must be an ordinary method, a property or a field",
            IPropertySymbol { IsIndexer: true } => "is an indexer; indexers are not supported as sources (name a method, property or field)",
            IPropertySymbol { GetMethod: null } => "has no getter, so nothing is read from it",
            IPropertySymbol => null,
            IFieldSymbol => null,
            _ => $"is {KindOf(symbol)}; a source must be a method (M:), a property (P:) or a field (F:)",
        };

        /// <summary>A sink is a parameter of a called method, or of a delegate type's Invoke (a call of the delegate).</summary>
        public static string? WhyNotSink(ISymbol symbol) => symbol switch
        {
            IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.DelegateInvoke } => null,
            IMethodSymbol m => $"is {Describe(m)}; a sink must be a parameter of an ordinary method or of a delegate type's Invoke",
            INamedTypeSymbol { TypeKind: TypeKind.Delegate, DelegateInvokeMethod: { } invoke } =>
                $"is a delegate type; name its Invoke method with the parameter: '{invoke.GetDocumentationCommentId()}|parameter'",
            _ => $"is {KindOf(symbol)}; a sink must be a method (M:), optionally followed by '|parameter'",
        };

        /// <summary>A version check is recorded where it is called: a method.</summary>
        public static string? WhyNotVersionCheck(ISymbol symbol) => symbol switch
        {
            IMethodSymbol { MethodKind: MethodKind.Ordinary } => null,
            IPropertySymbol => "is a property; a configured version check must be a method (a property named here is never recorded as a check)",
            IMethodSymbol m => $"is {Describe(m)}; a version check must be an ordinary method",
            _ => $"is {KindOf(symbol)}; a version check must be a method (M:)",
        };

        /// <summary>A Try-send is a called method whose result tells whether the send failed.</summary>
        public static string? WhyNotTrySend(ISymbol symbol) => symbol switch
        {
            IMethodSymbol { MethodKind: MethodKind.Ordinary, ReturnsVoid: true } => "returns void, so there is no result to observe",
            IMethodSymbol { MethodKind: MethodKind.Ordinary } => null,
            IMethodSymbol m => $"is {Describe(m)}; a Try-send must be an ordinary method",
            _ => $"is {KindOf(symbol)}; a Try-send must be a method (M:)",
        };

        public static bool IsPeerNetProtocolId(ITypeSymbol type) =>
            type is { Name: "ProtocolId", ContainingNamespace: { Name: "PeerNet", ContainingNamespace.IsGlobalNamespace: true } };

        private static bool HasOutput(IMethodSymbol method)
        {
            foreach (var p in method.Parameters)
            {
                if (p.RefKind is RefKind.Out or RefKind.Ref) return true;
            }

            return false;
        }

        private static string Describe(IMethodSymbol method) => method.MethodKind switch
        {
            MethodKind.Constructor => "a constructor",
            MethodKind.StaticConstructor => "a static constructor",
            MethodKind.Destructor => "a finalizer",
            MethodKind.PropertyGet => "a property getter",
            MethodKind.PropertySet => "a property setter",
            MethodKind.EventAdd or MethodKind.EventRemove or MethodKind.EventRaise => "an event accessor",
            MethodKind.UserDefinedOperator => "an operator",
            MethodKind.Conversion => "a conversion operator",
            MethodKind.DelegateInvoke => "a delegate's Invoke method",
            _ => "a method of kind " + method.MethodKind,
        };

        private static string KindOf(ISymbol symbol) => symbol switch
        {
            INamespaceSymbol => "a namespace",
            ITypeSymbol => "a type",
            IEventSymbol => "an event",
            IPropertySymbol => "a property",
            IFieldSymbol => "a field",
            _ => "a " + symbol.Kind.ToString().ToLowerInvariant(),
        };
    }
}
