using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>Replacing and removing statements so that comments, blank lines and block structure survive.</summary>
    internal static class StatementEdits
    {
        /// <summary>
        /// Replaces a statement with several. In a block (or switch section, or top-level code) they take its place;
        /// as an embedded statement (`if (x) send;`) they are wrapped in a block, which also avoids a dangling else.
        /// </summary>
        public static SyntaxNode ReplaceStatement(SyntaxNode root, StatementSyntax current, List<StatementSyntax> replacement)
        {
            switch (current.Parent)
            {
                case BlockSyntax:
                case SwitchSectionSyntax:
                    return root.ReplaceNode(current, replacement);
                case GlobalStatementSyntax global:
                    return root.ReplaceNode(global, replacement.Select(s => SyntaxFactory.GlobalStatement(s)));
                default:
                    {
                        SyntaxTriviaList leading = replacement[0].GetLeadingTrivia();
                        SyntaxTriviaList trailing = replacement[replacement.Count - 1].GetTrailingTrivia();
                        replacement[0] = replacement[0].WithLeadingTrivia(CommentsOf(leading));
                        BlockSyntax block = SyntaxFactory.Block(replacement).WithLeadingTrivia(leading).WithTrailingTrivia(trailing)
                            .WithAdditionalAnnotations(Formatter.Annotation);
                        return root.ReplaceNode(current, block);
                    }
            }
        }

        /// <summary>Removes a statement; comments in front of or behind it move to the next statement, formatted.</summary>
        public static SyntaxNode RemoveStatementKeepingComments(SyntaxNode root, StatementSyntax statement)
        {
            SyntaxNode target = statement.Parent is GlobalStatementSyntax global ? global : statement;
            SyntaxTriviaList comments = CommentsOf(target.GetLeadingTrivia()).AddRange(CommentsOf(target.GetTrailingTrivia()));
            SyntaxToken next = target.GetLastToken().GetNextToken(includeZeroWidth: true);
            if (comments.Count == 0 || next.RawKind == 0)
            {
                return root.RemoveNode(target, SyntaxRemoveOptions.KeepUnbalancedDirectives)!;
            }

            // Mark the node to remove, move the comments onto the next token, then remove the marked node.
            var mark = new SyntaxAnnotation("PeerNet.CodeFixes.Remove");
            SyntaxNode marked = root.ReplaceNode(target, target.WithAdditionalAnnotations(mark));
            SyntaxToken nextAgain = marked.FindToken(next.SpanStart);
            marked = marked.ReplaceToken(nextAgain, nextAgain.WithLeadingTrivia(comments.AddRange(nextAgain.LeadingTrivia)).WithAdditionalAnnotations(Formatter.Annotation));
            SyntaxNode? toRemove = marked.GetAnnotatedNodes(mark).FirstOrDefault();
            return toRemove == null ? root : marked.RemoveNode(toRemove, SyntaxRemoveOptions.KeepUnbalancedDirectives)!;
        }

        /// <summary>The comments of a trivia list with the line breaks that end them, without indentation.</summary>
        public static SyntaxTriviaList CommentsOf(SyntaxTriviaList trivia)
        {
            var result = new List<SyntaxTrivia>();
            for (int i = 0; i < trivia.Count; i++)
            {
                SyntaxTrivia t = trivia[i];
                if (t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia) ||
                    t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || t.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia))
                {
                    result.Add(t);
                    int j = i + 1;
                    while (j < trivia.Count && trivia[j].IsKind(SyntaxKind.WhitespaceTrivia))
                    {
                        j++;
                    }

                    if (j < trivia.Count && trivia[j].IsKind(SyntaxKind.EndOfLineTrivia))
                    {
                        result.Add(trivia[j]);
                    }
                    else if (t.IsKind(SyntaxKind.SingleLineCommentTrivia))
                    {
                        result.Add(SyntaxFactory.ElasticCarriageReturnLineFeed);
                    }
                    else
                    {
                        result.Add(SyntaxFactory.ElasticSpace);
                    }
                }
            }

            return SyntaxFactory.TriviaList(result);
        }

        /// <summary>The trivia without the blank lines it starts with.</summary>
        public static SyntaxTriviaList TrimLeadingBlankLines(SyntaxTriviaList trivia)
        {
            int keepFrom = 0;
            for (int i = 0; i < trivia.Count; i++)
            {
                if (trivia[i].IsKind(SyntaxKind.EndOfLineTrivia))
                {
                    keepFrom = i + 1;
                }
                else if (!trivia[i].IsKind(SyntaxKind.WhitespaceTrivia))
                {
                    break;
                }
            }

            return keepFrom == 0 ? trivia : SyntaxFactory.TriviaList(trivia.Skip(keepFrom));
        }
    }
}
