using System.Collections.Generic;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>
    /// What <see cref="PN0001PN0002SendLocator"/> established about a racy send and what
    /// <see cref="PN0001PN0002SendRewrite"/> changes: the send, the client and peer of the atomic call, the
    /// preferences it keeps, the guard that goes and the declarations the rewrite may leave dead.
    /// </summary>
    internal sealed class PN0001PN0002RacySendPlan
    {
        public InvocationExpressionSyntax Send = null!;
        public bool IsRpc;
        public ExpressionSyntax Client = null!;
        public ExpressionSyntax Peer = null!;
        public bool PeerIsReusable;
        public ExpressionSyntax? Preferences;
        public ExpressionSyntax Message = null!;
        public ExpressionSyntax? Timeout;
        public ExpressionSyntax? CancellationToken;
        public StatementSyntax? SendStatement;
        public IfStatementSyntax? GuardToUnwrap;
        public IfStatementSyntax? GuardToRemove;
        public List<(string Name, LocalDeclarationStatementSyntax Declaration)> DeadCandidates = new List<(string, LocalDeclarationStatementSyntax)>();
    }
}
