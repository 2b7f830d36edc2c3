using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.CodeFixes.Tests.Coverage;

/// <summary>
/// When a finding is owed a fix (issue 13): a PeerNet NetworkClient is reachable at the send (a local, parameter,
/// field or property in scope there, captured variables included, or an expression of type NetworkClient in the
/// same member, such as the client whose GetSenderForNetwork produced the sender) and the send is PeerNet's own
/// (INetworkSender.SendTo / SendRpcAsync, NetworkClient.TrySendWithCurrentProtocol), not a user's sink.
/// Written independently of the fix's own client search.
/// </summary>
internal static class FixCoverageOwed
{
    /// <summary>Null when the finding is owed a fix; otherwise why none is possible.</summary>
    public static string? WhyNotOwed(Diagnostic diagnostic, SemanticModel model)
    {
        INamedTypeSymbol? client = model.Compilation.GetTypeByMetadataName("PeerNet.NetworkClient");
        INamedTypeSymbol? sender = model.Compilation.GetTypeByMetadataName("PeerNet.INetworkSender");
        if (client == null || sender == null)
        {
            return "no PeerNet";
        }

        SyntaxNode node = model.SyntaxTree.GetRoot().FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        InvocationExpressionSyntax? invocation = node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
        if (invocation == null || model.GetOperation(invocation) is not IInvocationOperation op)
        {
            return "not an invocation";
        }

        IMethodSymbol method = op.TargetMethod;
        bool peerNetSend = diagnostic.Id == DiagnosticIds.DiscardedTrySendResult
            ? SymbolEqualityComparer.Default.Equals(method.ContainingType, client)
            : IsSenderMember(method, sender);
        if (!peerNetSend)
        {
            return "a user's own sink";
        }

        int position = invocation.SpanStart;
        foreach (ISymbol symbol in model.LookupSymbols(position))
        {
            ITypeSymbol? type = symbol switch
            {
                ILocalSymbol l => l.Type,
                IParameterSymbol p => p.Type,
                IFieldSymbol f => f.Type,
                IPropertySymbol p when !p.IsIndexer => p.Type,
                _ => null,
            };
            if (SymbolEqualityComparer.Default.Equals(type, client) &&
                !(symbol is ILocalSymbol && symbol.Locations.FirstOrDefault()?.SourceSpan.Start > position) &&
                !(symbol is IFieldSymbol or IPropertySymbol && !symbol.IsStatic && InStaticContext(model, position)))
            {
                return NetworkOrNull(diagnostic, op, model, client);
            }
        }

        SyntaxNode? member = invocation.Ancestors().FirstOrDefault(a => a is MemberDeclarationSyntax and not TypeDeclarationSyntax and not NamespaceDeclarationSyntax || a is GlobalStatementSyntax);
        if (member != null && member.DescendantNodes().OfType<ExpressionSyntax>()
                .Any(e => e.SpanStart < position && SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(e).Type, client)))
        {
            return NetworkOrNull(diagnostic, op, model, client);
        }

        return "no NetworkClient in reach";
    }

    private static string? NetworkOrNull(Diagnostic diagnostic, IInvocationOperation op, SemanticModel model, INamedTypeSymbol client) =>
        diagnostic.Id != DiagnosticIds.DiscardedTrySendResult && !PeerNetworkKnown(op, model, client) ? "the peer's network cannot be known" : null;

    /// <summary>The send names `x.PeerId` of a PeerNetworkId, or its sender came from GetSenderForNetwork (directly or through a local).</summary>
    private static bool PeerNetworkKnown(IInvocationOperation send, SemanticModel model, INamedTypeSymbol client)
    {
        ExpressionSyntax? Initial(ExpressionSyntax? e)
        {
            if (e != null && model.GetSymbolInfo(e).Symbol is ILocalSymbol local &&
                local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is VariableDeclaratorSyntax { Initializer: { } init })
            {
                return init.Value;
            }

            return e;
        }

        ExpressionSyntax? receiver = Initial((send.Syntax as InvocationExpressionSyntax)?.Expression is MemberAccessExpressionSyntax access ? access.Expression : null);
        if (receiver is InvocationExpressionSyntax getSender && model.GetSymbolInfo(getSender).Symbol is IMethodSymbol { Name: "GetSenderForNetwork" } m &&
            SymbolEqualityComparer.Default.Equals(m.ContainingType, client))
        {
            return true;
        }

        ExpressionSyntax? peer = Initial((send.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Syntax as ArgumentSyntax)?.Expression);
        return peer is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "PeerId" } peerId &&
            model.GetTypeInfo(peerId.Expression).Type?.ToDisplayString() == "PeerNet.PeerNetworkId";
    }

    private static bool IsSenderMember(IMethodSymbol method, INamedTypeSymbol sender)
    {
        if (method.Name is not ("SendTo" or "SendRpcAsync"))
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(method.ContainingType, sender))
        {
            return true;
        }

        return method.ContainingType.AllInterfaces.Contains(sender, SymbolEqualityComparer.Default);
    }

    private static bool InStaticContext(SemanticModel model, int position)
    {
        for (ISymbol? s = model.GetEnclosingSymbol(position); s != null && s is not INamedTypeSymbol; s = s.ContainingSymbol)
        {
            if (s.IsStatic)
            {
                return true;
            }
        }

        return false;
    }
}
