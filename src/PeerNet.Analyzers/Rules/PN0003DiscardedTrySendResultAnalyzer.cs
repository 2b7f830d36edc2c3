using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers
{
    /// <summary>
    /// PN0003: the result of TrySendWithCurrentProtocol (or another send whose failure is only in its
    /// result, such as IConnectionBoundSender.TrySendOnConnection, or a configured Try-send) is discarded,
    /// so a failed send is silent again.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class PN0003DiscardedTrySendResultAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>The diagnostic id.</summary>
        public const string DiagnosticId = DiagnosticIds.DiscardedTrySendResult;

        internal static readonly DiagnosticDescriptor Rule = new DiagnosticDescriptor(
            DiagnosticId,
            title: "The result of a Try-send is discarded",
            messageFormat: "The result of '{0}' is discarded ({1}), so a failed send is silent; check it or use a send that throws",
            category: "Reliability",
            defaultSeverity: DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "TrySendWithCurrentProtocol and TrySendOnConnection report a failed send (peer not connected, no common protocol, connection replaced) only in their result. Discarding it makes the failure as silent as the race they exist to close. Check the result, or use SendToPeer, which throws PeerNetException.",
            helpLinkUri: HelpLinks.Base + DiagnosticIds.DiscardedTrySendResult + ".md");

        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
            context.RegisterCompilationStartAction(start =>
            {
                var symbols = WellKnownSymbols.TryCreate(start.Compilation, start.Options.AnalyzerConfigOptionsProvider);
                if (symbols is null || symbols.TrySends.IsEmpty) return;

                // PeerNet's Try-sends count only where the code can reach PeerNet's types (configured ones always).
                if (symbols.Configured.TrySends.Count == 0 &&
                    !Flow.RelevantSymbols.CanReach(start.Compilation, symbols.TrySends.Select(s => s.ContainingType).Where(t => t is not null))) return;
                var provider = start.Options.AnalyzerConfigOptionsProvider;

                // Invocations are found by syntax and by name first: an operation action would make the
                // driver bind every body of the compilation for the few that call a Try-send.
                var names = new HashSet<string>(StringComparer.Ordinal) { "TrySendOnConnection" };
                foreach (var trySend in symbols.TrySends) names.Add(trySend.Name);

                // Methods of the compilation that may return a Try-send's result, and task factories that
                // may wrap one: their calls are bound too (names found from syntax once, on first need).
                var compilation = start.Compilation;
                var wrappers = new PN0003TrySendWrappers(compilation, m => IsTrySend(m, symbols));
                var candidates = new Lazy<HashSet<string>>(() => PN0003TrySendWrappers.CandidateNames(compilation.SyntaxTrees, names, CancellationToken.None));
                start.RegisterSyntaxNodeAction(
                    node =>
                    {
                        var syntax = (InvocationExpressionSyntax)node.Node;
                        if (CalledName(syntax.Expression) is not { } name) return;
                        bool direct = names.Contains(name);
                        if (!direct && !candidates.Value.Contains(name))
                        {
                            // A task factory (Task.Run, FromResult...) carries a Try-send's result only when its
                            // arguments call a Try-send or a wrapper of one: checked on their tokens before binding.
                            if (!PN0003TrySendWrappers.TaskWrappingMethods.Contains(name) || !MentionsAny(syntax.ArgumentList, names, candidates.Value)) return;
                        }

                        if (node.SemanticModel.GetOperation(syntax, node.CancellationToken) is IInvocationOperation invocation)
                        {
                            AnalyzeInvocation(invocation, node.ReportDiagnostic, symbols, wrappers, provider, node.CancellationToken);
                        }
                    },
                    SyntaxKind.InvocationExpression);
            });
        }

        private static bool MentionsAny(ArgumentListSyntax arguments, HashSet<string> names, HashSet<string> wrappers)
        {
            foreach (var token in arguments.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken) && (names.Contains(token.ValueText) || wrappers.Contains(token.ValueText))) return true;
            }

            return false;
        }

        private static string? CalledName(ExpressionSyntax expression) => expression switch
        {
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
            _ => null,
        };

        private static bool IsTrySend(IMethodSymbol method, WellKnownSymbols symbols) =>
            !method.ReturnsVoid && (symbols.TrySends.Contains(method.OriginalDefinition) || ImplementsTrySend(method, symbols));

        private static void AnalyzeInvocation(IInvocationOperation invocation, Action<Diagnostic> report, WellKnownSymbols symbols, PN0003TrySendWrappers wrappers, AnalyzerConfigOptionsProvider provider, CancellationToken cancellationToken)
        {
            var method = invocation.TargetMethod;
            bool direct = IsTrySend(method, symbols);
            bool isTask = false;
            var reported = method;
            if (!direct)
            {
                // A user's own method returning a Try-send's result, or a task made from one.
                if (invocation.Syntax.ContainsDiagnostics || wrappers.TrySendBehind(invocation, out isTask, cancellationToken) is not { } behind) return;
                reported = isTask ? behind : method;
            }

            var tree = invocation.Syntax.SyntaxTree;
            if (ConfiguredSymbols.ShouldSkipGenerated(tree, provider, cancellationToken)) return;

            // Climb through what does not consume the value: parentheses, implicit conversions, `?.`.
            IOperation current = invocation;
            while (current.Parent is { } parent &&
                   (parent is IParenthesizedOperation ||
                    (parent is IConversionOperation { IsImplicit: true }) ||
                    (parent is IConditionalAccessOperation access && access.WhenNotNull == current)))
            {
                current = parent;
            }

            string? kind = null;
            bool overwritten = false;
            switch (current.Parent)
            {
                case IExpressionStatementOperation:
                    kind = DiagnosticProperties.DiscardedAsStatement;
                    break;
                case ISimpleAssignmentOperation { Target: IDiscardOperation } assignment when assignment.Value == current:
                    kind = assignment.Parent is IExpressionStatementOperation ? DiagnosticProperties.DiscardedToDiscard : null;
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when assignment.Value == current:
                    if (!IsLocalRead(assignment, target.Local)) kind = DiagnosticProperties.DiscardedInUnreadLocal;
                    else if (PN0003OverwrittenResult.IsOverwrittenBeforeRead(invocation, target.Local, cancellationToken)) (kind, overwritten) = (DiagnosticProperties.DiscardedInUnreadLocal, true);
                    break;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } initializer:
                    if (!IsLocalRead(initializer, declarator.Symbol)) kind = DiagnosticProperties.DiscardedInUnreadLocal;
                    else if (PN0003OverwrittenResult.IsOverwrittenBeforeRead(invocation, declarator.Symbol, cancellationToken)) (kind, overwritten) = (DiagnosticProperties.DiscardedInUnreadLocal, true);
                    break;
            }

            if (kind is null) return;

            // The failure reason is also available through an out SendFailure argument: reading that is
            // observing the failure.
            foreach (var argument in invocation.Arguments)
            {
                if (direct && argument.Parameter?.RefKind == RefKind.Out)
                {
                    var local = argument.Value switch
                    {
                        IDeclarationExpressionOperation { Expression: ILocalReferenceOperation l } => l.Local,
                        ILocalReferenceOperation l => l.Local,
                        _ => null,
                    };
                    if (local is not null && IsLocalRead(invocation, local)) return;
                }
            }

            string described = overwritten ? "overwritten before it is read" : kind switch
            {
                DiagnosticProperties.DiscardedToDiscard => "assigned to '_'",
                DiagnosticProperties.DiscardedInUnreadLocal => "stored in a local that is never read",
                _ => "the call is a statement",
            };

            var properties = ImmutableDictionary.CreateBuilder<string, string?>();
            // A discarded task has no statement-level fix (the result is inside the task).
            properties[DiagnosticProperties.DiscardKind] = isTask ? DiagnosticProperties.DiscardedTask : kind;
            report(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), properties.ToImmutable(), reported.Name, described));
        }

        private static bool ImplementsTrySend(IMethodSymbol method, WellKnownSymbols symbols)
        {
            if (method.ContainingType is not { } type || symbols.ConnectionBoundSender is null || method.Name != "TrySendOnConnection") return false;
            foreach (var member in symbols.ConnectionBoundSender.GetMembers("TrySendOnConnection"))
            {
                var impl = type.FindImplementationForInterfaceMember(member);
                if (impl is not null && SymbolEqualityComparer.Default.Equals(impl, method)) return true;
            }

            return false;
        }

        /// <summary>Whether <paramref name="local"/> is read anywhere in the body containing <paramref name="from"/>.</summary>
        private static bool IsLocalRead(IOperation from, ILocalSymbol local)
        {
            var root = from;
            while (root.Parent is not null)
            {
                root = root.Parent;
            }

            foreach (var op in root.Descendants())
            {
                if (op is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local) && !reference.IsDeclaration)
                {
                    if (reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference) continue;
                    if (reference.Parent is IDeclarationExpressionOperation) continue;
                    if (reference.Parent is IArgumentOperation { Parameter.RefKind: RefKind.Out }) continue; // written, not read
                    return true;
                }
            }

            return false;
        }
    }
}
