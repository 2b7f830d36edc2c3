#pragma warning disable RS1036, RS2008 // a test-only stand-in, not a shipped analyzer
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PeerNet.Analyzers.CodeFixes.Tests;

/// <summary>
/// A deliberately simple stand-in that reports PN0001/PN0002/PN0003 exactly as the analyzer/code-fix contract
/// (DiagnosticProperties) says: on the send invocation, AdditionalLocations[0] = the nearest preceding
/// [CachedSnapshotRead] access in the same member, [1] = the nearest preceding [SnapshotVersionCheck] access.
/// It lets the code fix be tested against the contract independently of the real analyzer's precision.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ContractStubAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Pn0001 = new(DiagnosticIds.StaleProtocol, "stale", "stale protocol", "PeerNet", DiagnosticSeverity.Warning, true);
    private static readonly DiagnosticDescriptor Pn0002 = new(DiagnosticIds.CheckThenSend, "check", "check then send", "PeerNet", DiagnosticSeverity.Warning, true);
    private static readonly DiagnosticDescriptor Pn0003 = new(DiagnosticIds.DiscardedTrySendResult, "discarded", "discarded result", "PeerNet", DiagnosticSeverity.Warning, true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Pn0001, Pn0002, Pn0003);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(Analyze, SyntaxKind.InvocationExpression);
    }

    private static void Analyze(SyntaxNodeAnalysisContext context)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        if (context.SemanticModel.GetSymbolInfo(invocation, context.CancellationToken).Symbol is not IMethodSymbol method)
        {
            return;
        }

        if (method.Name == "TrySendWithCurrentProtocol" && (invocation.Parent is ExpressionStatementSyntax || invocation.Parent is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" } }))
        {
            string kind = invocation.Parent is ExpressionStatementSyntax ? DiagnosticProperties.DiscardedAsStatement : DiagnosticProperties.DiscardedToDiscard;
            context.ReportDiagnostic(Diagnostic.Create(Pn0003, invocation.GetLocation(), ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.DiscardKind, kind)));
            return;
        }

        if ((method.Name != "SendTo" && method.Name != "SendRpcAsync") || method.ContainingType.Name != "INetworkSender")
        {
            return;
        }

        SyntaxNode member = invocation.Ancestors().OfType<MemberDeclarationSyntax>().First();
        SyntaxNode? read = null;
        SyntaxNode? check = null;
        foreach (ExpressionSyntax e in member.DescendantNodes().OfType<ExpressionSyntax>())
        {
            if (e == invocation || e.SpanStart >= invocation.Span.End || e is not (InvocationExpressionSyntax or MemberAccessExpressionSyntax))
            {
                continue;
            }

            ISymbol? symbol = context.SemanticModel.GetSymbolInfo(e, context.CancellationToken).Symbol;
            if (symbol == null)
            {
                continue;
            }

            foreach (AttributeData attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass?.Name == "CachedSnapshotReadAttribute")
                {
                    read = e;
                }
                else if (attribute.AttributeClass?.Name == "SnapshotVersionCheckAttribute")
                {
                    check = e;
                }
            }
        }

        if (read == null)
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(DiagnosticProperties.SendKind, method.Name == "SendTo" ? DiagnosticProperties.Direct : DiagnosticProperties.Rpc);
        if (check == null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Pn0001, invocation.GetLocation(), new[] { read.GetLocation() }, properties));
        }
        else
        {
            context.ReportDiagnostic(Diagnostic.Create(Pn0002, invocation.GetLocation(), new[] { read.GetLocation(), check.GetLocation() }, properties));
        }
    }
}
