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
            IPropertySymbol { GetMethod: null } => "has no getter, so nothing is read from it",
            IPropertySymbol => null,
            IFieldSymbol => null,
            _ => $"is {KindOf(symbol)}; a source must be a method (M:), a property (P:) or a field (F:)",
        };

        /// <summary>
        /// A sink is a parameter of a called method or of a delegate type's Invoke (a call of the delegate),
        /// the receiver of a called instance method (<c>|this</c>), or a property's setter (<c>P:...|value</c>).
        /// </summary>
        public static string? WhyNotSink(ISymbol symbol) => symbol switch
        {
            IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.DelegateInvoke } => null,
            IMethodSymbol { MethodKind: MethodKind.PropertySet, AssociatedSymbol: { } property } =>
                $"is a property setter; name the property: '{property.GetDocumentationCommentId()}|value'",
            IMethodSymbol m => $"is {Describe(m)}; a sink must be a parameter of an ordinary method or of a delegate type's Invoke",
            INamedTypeSymbol { TypeKind: TypeKind.Delegate, DelegateInvokeMethod: { } invoke } =>
                $"is a delegate type; name its Invoke method with the parameter: '{invoke.GetDocumentationCommentId()}|parameter'",
            IPropertySymbol { SetMethod: null } => "has no setter, so nothing is sent by assigning it",
            IPropertySymbol => null,
            _ => $"is {KindOf(symbol)}; a sink must be a method (M:) with '|parameter' or '|this', or a property (P:) with '|value'",
        };

        /// <summary>Where a sink entry names its receiver (<c>|this</c>): an instance method.</summary>
        public static string? WhyNotReceiverSink(IMethodSymbol method) =>
            method.IsStatic ? "is static, so no object is called; name a parameter instead of 'this'" : null;

        /// <summary>A version check is recorded where it is called (a method), read (a property or indexer) or loaded (a field).</summary>
        public static string? WhyNotVersionCheck(ISymbol symbol) => symbol switch
        {
            IMethodSymbol { MethodKind: MethodKind.Ordinary } => null,
            IMethodSymbol { MethodKind: MethodKind.PropertyGet, AssociatedSymbol: { } property } =>
                $"is the getter of a property; name the property itself: '{property.GetDocumentationCommentId()}'",
            IMethodSymbol m => $"is {Describe(m)}; a version check must be an ordinary method, a property or a field",
            IPropertySymbol { GetMethod: null } => "has no getter, so it is never read as a check",
            IPropertySymbol => null,
            IFieldSymbol => null,
            _ => $"is {KindOf(symbol)}; a version check must be a method (M:), a property (P:) or a field (F:)",
        };

        /// <summary>A validated version is a parameter of an ordinary method (<c>M:...|param</c>).</summary>
        public static string? WhyNotValidatedVersion(ISymbol symbol) => symbol switch
        {
            IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.DelegateInvoke } => null,
            IMethodSymbol m => $"is {Describe(m)}; a validated version must be a parameter of an ordinary method",
            _ => $"is {KindOf(symbol)}; a validated version must be a method (M:) followed by '|parameter'",
        };

        /// <summary>A connection owner is a class, struct or record whose own members read its connection's state.</summary>
        public static string? WhyNotConnectionOwner(ISymbol symbol) => symbol switch
        {
            INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } => null,
            INamedTypeSymbol => "is not a class or struct; a connection owner is the type whose instances own a connection",
            _ => $"is {KindOf(symbol)}; a connection owner must be a type (T:)",
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
