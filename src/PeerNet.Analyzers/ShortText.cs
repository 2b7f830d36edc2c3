using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace PeerNet.Analyzers
{
    /// <summary>Source text shortened for a diagnostic message: whitespace runs collapsed, at most 60 characters.</summary>
    internal static class ShortText
    {
        private const int MaxLength = 60;

        private static readonly Regex Whitespace = new Regex(@"\s+", RegexOptions.CultureInvariant);

        public static string Of(SyntaxNode syntax)
        {
            var text = Whitespace.Replace(syntax.ToString(), " ");
            return text.Length <= MaxLength ? text : text.Substring(0, MaxLength - 3) + "...";
        }

        /// <summary>The text of <paramref name="operation"/>, or <paramref name="fallback"/> when there is none.</summary>
        public static string Of(IOperation? operation, string fallback) => operation is null ? fallback : Of(operation.Syntax);
    }
}
