using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers
{
    /// <summary>
    /// PN0003's summaries: a user's own method whose returned value is a Try-send's result (directly, or
    /// through another such method, awaited or not, at any depth) is a Try-send itself; a Task or ValueTask
    /// made from a lambda returning a Try-send's result (`Task.Run(() => client.TrySend...(...))`) carries
    /// that result. Whether a method is such a wrapper is computed once per method and compilation, mutual
    /// recursion solved to a fixed point (<see cref="Flow.FixedPointCache{TKey, TValue}"/>). Names are
    /// collected per compilation from syntax first, so only calls by those names are bound.
    /// </summary>
    internal sealed class PN0003TrySendWrappers
    {
        private static readonly object IsWrapperValue = true;
        private static readonly object NotWrapper = false;

        /// <summary>Library methods that wrap what their delegate (or argument) returns in a task (data, not code).</summary>
        public static readonly HashSet<string> TaskWrappingMethods = new HashSet<string>(StringComparer.Ordinal) { "Run", "StartNew", "FromResult" };

        private readonly Func<IMethodSymbol, bool> _isTrySend;
        private readonly Compilation _compilation;
        private readonly Flow.FixedPointCache<IMethodSymbol, object> _wrappers;

        public PN0003TrySendWrappers(Compilation compilation, Func<IMethodSymbol, bool> isTrySend)
        {
            _compilation = compilation;
            _isTrySend = isTrySend;
            _wrappers = new Flow.FixedPointCache<IMethodSymbol, object>(new Flow.FixedPointStack(), SymbolEqualityComparer.Default, NotWrapper, NotWrapper, ReferenceEquals);
        }

        /// <summary>
        /// The names of methods and local functions declared in <paramref name="trees"/> whose bodies call one
        /// of <paramref name="names"/>, or of a name found so, until no name is added: the candidates for wrappers.
        /// </summary>
        public static HashSet<string> CandidateNames(IEnumerable<SyntaxTree> trees, HashSet<string> names, CancellationToken cancellationToken)
        {
            var result = new HashSet<string>(StringComparer.Ordinal);
            var frontier = new HashSet<string>(names, StringComparer.Ordinal);

            // Only the trees whose text holds a name of the frontier are looked into, each through its
            // callers index (built once per tree, kept while the tree lives).
            while (frontier.Count > 0)
            {
                var next = new HashSet<string>(StringComparer.Ordinal);
                foreach (var tree in trees)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!Flow.TreeText.ContainsAny(tree, frontier)) continue;
                    var callers = Callers.Of(tree, cancellationToken);
                    foreach (var name in frontier)
                    {
                        if (!callers.TryGetValue(name, out var declared)) continue;
                        foreach (var d in declared)
                        {
                            if (!names.Contains(d) && result.Add(d)) next.Add(d);
                        }
                    }
                }

                frontier = next;
            }

            return result;
        }

        /// <summary>
        /// A tree's identifiers, each with the names of the methods and local functions whose declarations
        /// (innermost first) mention it: syntax only, computed once per tree and kept as long as it lives.
        /// </summary>
        private static class Callers
        {
            private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SyntaxTree, Dictionary<string, List<string>>> s_callers =
                new System.Runtime.CompilerServices.ConditionalWeakTable<SyntaxTree, Dictionary<string, List<string>>>();

            public static Dictionary<string, List<string>> Of(SyntaxTree tree, CancellationToken cancellationToken)
            {
                if (s_callers.TryGetValue(tree, out var known)) return known;
                var map = new Dictionary<string, List<string>>(StringComparer.Ordinal);
                foreach (var token in tree.GetRoot(cancellationToken).DescendantTokens())
                {
                    if (!token.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.IdentifierToken)) continue;
                    for (var node = token.Parent; node is not null; node = node.Parent)
                    {
                        string? declared = node switch
                        {
                            MethodDeclarationSyntax m => m.Identifier.ValueText,
                            LocalFunctionStatementSyntax l => l.Identifier.ValueText,
                            _ => null,
                        };
                        if (declared is null) continue;
                        if (!map.TryGetValue(token.ValueText, out var list)) map.Add(token.ValueText, list = new List<string>());
                        if (!list.Contains(declared)) list.Add(declared);
                        break;
                    }
                }

                return s_callers.GetValue(tree, _ => map);
            }
        }

        /// <summary>
        /// The Try-send whose result <paramref name="invocation"/>'s value is: the call itself, a wrapper in
        /// source, or a task made from a Try-send; null otherwise. <paramref name="isTask"/> is set for the last.
        /// </summary>
        public IMethodSymbol? TrySendBehind(IInvocationOperation invocation, out bool isTask, CancellationToken cancellationToken)
        {
            isTask = false;
            var method = invocation.TargetMethod;
            if (IsWrapper(method, cancellationToken)) return method;
            if (TaskWrappingMethods.Contains(method.Name) && IsTaskOfBool(method.ReturnType))
            {
                foreach (var argument in invocation.Arguments)
                {
                    if (TrySendReturnedBy(argument.Value, cancellationToken) is { } inner)
                    {
                        isTask = true;
                        return inner;
                    }
                }
            }

            return null;
        }

        private static bool IsTaskOfBool(ITypeSymbol type) =>
            type is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 1 } named &&
            named.TypeArguments[0].SpecialType == SpecialType.System_Boolean &&
            named.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks";

        /// <summary>Whether <paramref name="method"/> is declared in source and returns a Try-send's result (once per method).</summary>
        private bool IsWrapper(IMethodSymbol method, CancellationToken cancellationToken)
        {
            if (method.ReturnsVoid) return false;
            if (method.ReturnType.SpecialType != SpecialType.System_Boolean && !IsTaskOfBool(method.ReturnType)) return false;
            return ReferenceEquals(_wrappers.Get(method.OriginalDefinition, m => ComputeIsWrapper(m, cancellationToken) ? IsWrapperValue : NotWrapper, cancellationToken), IsWrapperValue);
        }

        /// <summary>Whether a body of <paramref name="method"/> in this compilation returns a Try-send's result (false for metadata).</summary>
        private bool ComputeIsWrapper(IMethodSymbol method, CancellationToken cancellationToken)
        {
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                if (!_compilation.ContainsSyntaxTree(reference.SyntaxTree)) continue;
                var syntax = reference.GetSyntax(cancellationToken);
                SyntaxNode? body = syntax switch
                {
                    MethodDeclarationSyntax m => (SyntaxNode?)m.Body ?? m.ExpressionBody,
                    LocalFunctionStatementSyntax l => (SyntaxNode?)l.Body ?? l.ExpressionBody,
                    _ => null,
                };
                if (body is null) continue;
#pragma warning disable RS1030 // A wrapper's body is in another method; bound once per method and compilation.
                var model = _compilation.GetSemanticModel(reference.SyntaxTree);
#pragma warning restore RS1030
                if (model.GetOperation(body, cancellationToken) is not { } operation) continue;
                if (TrySendReturnedBy(operation, cancellationToken, isBody: true) is not null) return true;
            }

            return false;
        }

        /// <summary>
        /// The Try-send whose result <paramref name="operation"/> returns (a lambda, a body) or is (an expression).
        /// </summary>
        private IMethodSymbol? TrySendReturnedBy(IOperation operation, CancellationToken cancellationToken, bool isBody = false)
        {
            while (operation is IConversionOperation or IDelegateCreationOperation or IParenthesizedOperation or IAwaitOperation)
            {
                operation = operation switch
                {
                    IConversionOperation c => c.Operand,
                    IDelegateCreationOperation d => d.Target,
                    IParenthesizedOperation p => p.Operand,
                    IAwaitOperation a => a.Operation,
                    _ => operation,
                };
            }

            if (operation is IAnonymousFunctionOperation lambda) return ReturnedTrySend(lambda.Body, cancellationToken);

            // A value chosen between branches (`c ? Retry() : client.TrySend...(...)`, a switch expression's arms) is a
            // Try-send's result when one of the branches is.
            if (operation is IConditionalOperation { WhenFalse: { } whenFalse } conditional)
            {
                return TrySendReturnedBy(conditional.WhenTrue, cancellationToken) ?? TrySendReturnedBy(whenFalse, cancellationToken);
            }

            if (operation is ISwitchExpressionOperation switchExpression)
            {
                foreach (var arm in switchExpression.Arms)
                {
                    if (TrySendReturnedBy(arm.Value, cancellationToken) is { } inArm) return inArm;
                }

                return null;
            }

            if (isBody) return ReturnedTrySend(operation, cancellationToken);
            if (operation is IInvocationOperation call)
            {
                if (_isTrySend(call.TargetMethod)) return call.TargetMethod;
                if (IsWrapper(call.TargetMethod, cancellationToken)) return call.TargetMethod;
            }

            return null;
        }

        private IMethodSymbol? ReturnedTrySend(IOperation body, CancellationToken cancellationToken)
        {
            foreach (var op in body.DescendantsAndSelf())
            {
                if (op is not IReturnOperation { ReturnedValue: { } value } ret || !IsOwnReturn(ret, body)) continue;
                if (TrySendReturnedBy(value, cancellationToken) is { } found) return found;
            }

            return null;
        }

        /// <summary>Whether <paramref name="ret"/> returns from <paramref name="body"/> itself (not from a lambda or local function in it).</summary>
        private static bool IsOwnReturn(IOperation ret, IOperation body)
        {
            for (var p = ret.Parent; p is not null && p != body; p = p.Parent)
            {
                if (p is IAnonymousFunctionOperation or ILocalFunctionOperation) return false;
            }

            return true;
        }
    }
}
