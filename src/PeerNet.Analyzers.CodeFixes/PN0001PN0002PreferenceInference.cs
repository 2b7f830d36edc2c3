using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>
    /// PN0001/PN0002 fix, preference inference: the preference list the old code selected the protocol with
    /// (an argument of GetPreferredProtocolForPeer, the list a selection loop walks, a Contains chain, a single
    /// protocol), so that the atomic send chooses among the same protocols.
    /// </summary>
    internal static class PN0001PN0002PreferenceInference
    {
        /// <summary>
        /// The preference list the old code selected the protocol with: traced (an expression to pass at the send),
        /// the client's configured preferences (no explicit list: the overload without one), or not traceable (an
        /// explicit selection exists but cannot be carried to the send).
        /// </summary>
        public static InferredPreferences Infer(
            ExpressionSyntax protocolArg, SemanticModel model, FixSymbols symbols, SyntaxNode scope, int position,
            PN0001PN0002RemovalTracker removable, CancellationToken ct)
        {
            InferredPreferences Reusable(ExpressionSyntax list) =>
                ExpressionReuse.IsReusableAt(list, position, model, symbols, ct) ? InferredPreferences.Traced(list) : InferredPreferences.NotTraceable;

            InferredPreferences ExactlyThis(ExpressionSyntax protocol) =>
                ExpressionReuse.IsReusableAt(protocol, position, model, symbols, ct)
                    ? InferredPreferences.Traced(SyntaxBuilders.ArrayOf(new[] { protocol }))
                    : InferredPreferences.NotTraceable;

            ExpressionSyntax e = SyntaxQueries.Unparenthesize(protocolArg);

            // `chosen.Value` of a ProtocolId?
            if (e is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Value" } valueAccess &&
                model.GetTypeInfo(valueAccess.Expression, ct).Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T })
            {
                e = SyntaxQueries.Unparenthesize(valueAccess.Expression);
            }

            // A constant protocol (e.g. sent after a Contains check): exactly that one.
            if (model.GetConstantValue(e, ct).HasValue && FixSymbols.Is(model.GetTypeInfo(e, ct).Type, symbols.ProtocolId))
            {
                return ExactlyThis(e);
            }

            if (e is InvocationExpressionSyntax inlineRead &&
                FixSymbols.IsMember(model.GetSymbolInfo(inlineRead, ct).Symbol, symbols.NetworkClient, "GetPreferredProtocolForPeer"))
            {
                // Inline at the sink: the preferences expression moves to the same place; evaluated once either way.
                return inlineRead.ArgumentList.Arguments.Count == 2
                    ? InferredPreferences.Traced(inlineRead.ArgumentList.Arguments[1].Expression)
                    : InferredPreferences.NotTraceable;
            }

            if (FromSummarizedCall(e, model, symbols, position, ct) is { } fromCallee)
            {
                return fromCallee;
            }

            if (e is ConditionalExpressionSyntax conditional)
            {
                List<ExpressionSyntax>? candidates = ContainsChain(conditional, model, symbols, ct);
                if (candidates == null || !candidates.All(c => ExpressionReuse.IsReusableAt(c, position, model, symbols, ct)))
                {
                    // A selection we do not understand: we cannot say which preferences it encodes.
                    return InferredPreferences.NotTraceable;
                }

                return InferredPreferences.Traced(SyntaxBuilders.ArrayOf(candidates));
            }

            if (IsPlainProtocolValue(e, model, symbols, ct))
            {
                // A parameter, field or property holding the protocol (chosen by the caller): exactly that one.
                return ExactlyThis(e);
            }

            if (e is not IdentifierNameSyntax identifier || model.GetSymbolInfo(identifier, ct).Symbol is not ILocalSymbol local)
            {
                // Some other expression over snapshot data (e.g. `metadata.SupportedProtocols.First()`): no explicit
                // preference list; the client's configured preferences.
                return InferredPreferences.ClientConfigured;
            }

            if (local.DeclaringSyntaxReferences.Length == 1 && local.DeclaringSyntaxReferences[0].GetSyntax(ct) is ForEachStatementSyntax loop)
            {
                // Sent from inside `foreach (var candidate in preferences)`.
                return Reusable(loop.Expression);
            }

            if (SyntaxQueries.SingleAssignmentDeclarator(local, scope, model, ct) is VariableDeclaratorSyntax declarator)
            {
                removable.Candidate(local);
                ExpressionSyntax init = SyntaxQueries.Unparenthesize(declarator.Initializer!.Value);
                if (init is InvocationExpressionSyntax read &&
                    FixSymbols.IsMember(model.GetSymbolInfo(read, ct).Symbol, symbols.NetworkClient, "GetPreferredProtocolForPeer"))
                {
                    return read.ArgumentList.Arguments.Count == 2 ? Reusable(read.ArgumentList.Arguments[1].Expression) : InferredPreferences.NotTraceable;
                }

                if (FromSummarizedCall(init, model, symbols, position, ct) is { } fromInitializer)
                {
                    return fromInitializer;
                }

                if (IsPlainProtocolValue(init, model, symbols, ct))
                {
                    return ExactlyThis(init);
                }

                if (init is ConditionalExpressionSyntax chain)
                {
                    List<ExpressionSyntax>? candidates = ContainsChain(chain, model, symbols, ct);
                    if (candidates == null || !candidates.All(c => ExpressionReuse.IsReusableAt(c, position, model, symbols, ct)))
                    {
                        return InferredPreferences.NotTraceable;
                    }

                    return InferredPreferences.Traced(SyntaxBuilders.ArrayOf(candidates));
                }

                return InferredPreferences.ClientConfigured;
            }

            // Assigned in a selection loop: `foreach (var candidate in preferences) if (supported.Contains(candidate)) { chosen = candidate; break; }`
            ExpressionSyntax? loopSource = null;
            foreach (AssignmentExpressionSyntax assignment in scope.DescendantNodes().OfType<AssignmentExpressionSyntax>())
            {
                if (!assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) ||
                    !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(assignment.Left, ct).Symbol, local))
                {
                    continue;
                }

                ExpressionSyntax right = SyntaxQueries.Unparenthesize(assignment.Right);
                if (right.IsKind(SyntaxKind.NullLiteralExpression) || right.IsKind(SyntaxKind.DefaultLiteralExpression))
                {
                    continue;
                }

                if (model.GetSymbolInfo(right, ct).Symbol is ILocalSymbol iteration &&
                    iteration.DeclaringSyntaxReferences.Length == 1 &&
                    iteration.DeclaringSyntaxReferences[0].GetSyntax(ct) is ForEachStatementSyntax selection &&
                    (loopSource == null || ExpressionReuse.AreSameValue(loopSource, selection.Expression, model, ct)))
                {
                    loopSource = selection.Expression;
                    continue;
                }

                return InferredPreferences.NotTraceable;
            }

            if (loopSource != null)
            {
                return Reusable(loopSource);
            }

            return InferredPreferences.NotTraceable;
        }

        /// <summary>
        /// A protocol returned by a call to a method (or a read of a property) declared in source, which the analyzer
        /// summarized: the list its body chooses with. `=> client.GetPreferredProtocolForPeer(peer, L)` with L a
        /// client's configured list: the client's preferences; with L a parameter: the caller's argument for it,
        /// when it can be evaluated at the send. Any other body (an interface or virtual call, a field of another
        /// object, several statements): the list exists but cannot be carried to the send. Null when
        /// <paramref name="e"/> is not such a call (e.g. a method of a referenced assembly).
        /// </summary>
        private static InferredPreferences? FromSummarizedCall(ExpressionSyntax e, SemanticModel model, FixSymbols symbols, int position, CancellationToken ct)
        {
            ISymbol? member = e is InvocationExpressionSyntax or MemberAccessExpressionSyntax or IdentifierNameSyntax ? model.GetSymbolInfo(e, ct).Symbol : null;
            if (member is not (IMethodSymbol or IPropertySymbol { IsIndexer: false }) || member.DeclaringSyntaxReferences.Length == 0 ||
                !FixSymbols.Is(model.GetTypeInfo(e, ct).Type, symbols.ProtocolId))
            {
                return null;
            }

            if (member.IsAbstract || member.IsVirtual || member.IsOverride || member.ContainingType?.TypeKind == TypeKind.Interface ||
                member.DeclaringSyntaxReferences.Length != 1 ||
                ReturnedExpression(member.DeclaringSyntaxReferences[0].GetSyntax(ct)) is not InvocationExpressionSyntax { ArgumentList.Arguments.Count: 2 } read)
            {
                return InferredPreferences.NotTraceable;
            }

            SemanticModel calleeModel = read.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(read.SyntaxTree);
            if (!FixSymbols.IsMember(calleeModel.GetSymbolInfo(read, ct).Symbol, symbols.NetworkClient, "GetPreferredProtocolForPeer"))
            {
                return InferredPreferences.NotTraceable;
            }

            ExpressionSyntax list = SyntaxQueries.Unparenthesize(read.ArgumentList.Arguments[1].Expression);
            ISymbol? listSymbol = calleeModel.GetSymbolInfo(list, ct).Symbol;
            if (listSymbol is IPropertySymbol { Name: "DirectSendProtocolsAndPreferences" or "RpcProtocolsAndPreferences" } configured &&
                FixSymbols.IsMember(configured, symbols.NetworkClient, configured.Name))
            {
                return InferredPreferences.ClientConfigured;
            }

            if (listSymbol is IParameterSymbol parameter && member is IMethodSymbol method &&
                SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method.ReducedFrom ?? method.OriginalDefinition) &&
                model.GetOperation(e, ct) is Microsoft.CodeAnalysis.Operations.IInvocationOperation call)
            {
                foreach (Microsoft.CodeAnalysis.Operations.IArgumentOperation argument in call.Arguments)
                {
                    if (argument.Parameter?.Ordinal == parameter.Ordinal && argument.ArgumentKind == Microsoft.CodeAnalysis.Operations.ArgumentKind.Explicit)
                    {
                        ExpressionSyntax? value = argument.Syntax switch
                        {
                            ArgumentSyntax a => a.Expression,
                            ExpressionSyntax receiver => receiver,
                            _ => null,
                        };
                        return value != null && ExpressionReuse.IsReusableAt(value, position, model, symbols, ct)
                            ? InferredPreferences.Traced(value)
                            : InferredPreferences.NotTraceable;
                    }
                }
            }

            return InferredPreferences.NotTraceable;
        }

        /// <summary>The single expression a method, local function or get-only property returns, or null.</summary>
        private static InvocationExpressionSyntax? ReturnedExpression(SyntaxNode declaration)
        {
            (ArrowExpressionClauseSyntax? arrow, BlockSyntax? body) = declaration switch
            {
                MethodDeclarationSyntax m => (m.ExpressionBody, m.Body),
                LocalFunctionStatementSyntax f => (f.ExpressionBody, f.Body),
                PropertyDeclarationSyntax { ExpressionBody: { } p } => (p, null),
                PropertyDeclarationSyntax { AccessorList.Accessors: { Count: 1 } accessors } when accessors[0].IsKind(SyntaxKind.GetAccessorDeclaration) => (accessors[0].ExpressionBody, accessors[0].Body),
                _ => (null, null),
            };
            ExpressionSyntax? returned = arrow?.Expression ??
                (body is { Statements: { Count: 1 } statements } && statements[0] is ReturnStatementSyntax r ? r.Expression : null);
            return returned == null ? null : SyntaxQueries.Unparenthesize(returned) as InvocationExpressionSyntax;
        }

        /// <summary>A ProtocolId parameter, field or (non-snapshot) property, or a constant.</summary>
        private static bool IsPlainProtocolValue(ExpressionSyntax e, SemanticModel model, FixSymbols symbols, CancellationToken ct)
        {
            if (!FixSymbols.Is(model.GetTypeInfo(e, ct).Type, symbols.ProtocolId))
            {
                return false;
            }

            if (model.GetConstantValue(e, ct).HasValue)
            {
                return true;
            }

            ISymbol? symbol = SyntaxQueries.ValueSymbol(e, model, ct);
            return symbol is IParameterSymbol or IFieldSymbol ||
                (symbol is IPropertySymbol && !symbols.IsSnapshotRead(symbol));
        }

        /// <summary>`set.Contains(A) ? A : set.Contains(B) ? B : C` gives [A, B, C]; `... : throw ...` ends the list.</summary>
        private static List<ExpressionSyntax>? ContainsChain(ConditionalExpressionSyntax conditional, SemanticModel model, FixSymbols symbols, CancellationToken ct)
        {
            var result = new List<ExpressionSyntax>();
            ExpressionSyntax current = conditional;
            while (true)
            {
                current = SyntaxQueries.Unparenthesize(current);
                if (current is ThrowExpressionSyntax)
                {
                    return result.Count > 0 ? result : null;
                }

                if (current is ConditionalExpressionSyntax c)
                {
                    if (SyntaxQueries.Unparenthesize(c.Condition) is not InvocationExpressionSyntax contains ||
                        !FixSymbols.IsMember(model.GetSymbolInfo(contains, ct).Symbol, symbols.ProtocolIdSet, "Contains") ||
                        contains.ArgumentList.Arguments.Count != 1)
                    {
                        return null;
                    }

                    ExpressionSyntax asked = contains.ArgumentList.Arguments[0].Expression;
                    Optional<object?> askedValue = model.GetConstantValue(asked, ct);
                    Optional<object?> chosenValue = model.GetConstantValue(c.WhenTrue, ct);
                    if (!askedValue.HasValue || !chosenValue.HasValue || !Equals(askedValue.Value, chosenValue.Value))
                    {
                        return null;
                    }

                    result.Add(SyntaxQueries.Unparenthesize(c.WhenTrue));
                    current = c.WhenFalse;
                    continue;
                }

                if (model.GetConstantValue(current, ct).HasValue && FixSymbols.Is(model.GetTypeInfo(current, ct).Type, symbols.ProtocolId))
                {
                    result.Add(current);
                    return result;
                }

                return null;
            }
        }
    }

    /// <summary>What <see cref="PN0001PN0002PreferenceInference"/> found out about the preferences of a racy send.</summary>
    internal readonly struct InferredPreferences
    {
        private InferredPreferences(PreferenceSource source, ExpressionSyntax? list)
        {
            Source = source;
            List = list;
        }

        public static InferredPreferences ClientConfigured => new(PreferenceSource.ClientConfigured, null);

        public static InferredPreferences NotTraceable => new(PreferenceSource.NotTraceable, null);

        public PreferenceSource Source { get; }

        /// <summary>The list to pass at the send when <see cref="Source"/> is <see cref="PreferenceSource.Traced"/>.</summary>
        public ExpressionSyntax? List { get; }

        public static InferredPreferences Traced(ExpressionSyntax list) => new(PreferenceSource.Traced, list);
    }

    /// <summary>Where the atomic send's preferences come from.</summary>
    internal enum PreferenceSource
    {
        /// <summary>The sender's own list, traced to an expression that can be passed at the send.</summary>
        Traced,

        /// <summary>No explicit list: the client's configured preferences (the overloads without a list).</summary>
        ClientConfigured,

        /// <summary>An explicit selection that cannot be carried to the send.</summary>
        NotTraceable,
    }
}
