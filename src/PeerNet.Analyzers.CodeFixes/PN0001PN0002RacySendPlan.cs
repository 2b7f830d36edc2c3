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
        /// <summary>`sender` of `sender?.SendTo(...)`: the atomic send happens only when it is not null.</summary>
        public ExpressionSyntax? NullCheckedReceiver;

        /// <summary>The rewrite uses the client's configured preferences (the overloads without a list).</summary>
        public bool UsesClientPreferences;

        /// <summary>The sender's own preference list could be traced (a fix keeping it exists).</summary>
        public bool PreferencesTraceable;

        /// <summary>The clients the send may go through; more than one when the code ties it to none of them.</summary>
        public List<ExpressionSyntax> ClientCandidates = new List<ExpressionSyntax>();

        public List<(string Name, LocalDeclarationStatementSyntax Declaration)> DeadCandidates = new List<(string, LocalDeclarationStatementSyntax)>();
    }
}
