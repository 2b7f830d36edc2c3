using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PeerNet.Analyzers
{
    /// <summary>
    /// Whether a local, parameter, field or property of type NetworkClient is in scope at a send (the fix needs
    /// one). The answer of <c>SemanticModel.LookupSymbols(position)</c>, which lists every symbol in scope (all
    /// the types of every imported namespace too), asked instead name by name for the only names that can
    /// answer: those declared in the enclosing member (locals, parameters, pattern and query variables), the
    /// primary-constructor parameters, and the fields and properties of type NetworkClient of the enclosing
    /// types and their bases. Each name is looked up at the position, so scope and shadowing are the
    /// compiler's. Where other names can be in scope (a <c>using static</c>, top-level statements), the whole
    /// lookup is asked.
    /// </summary>
    internal static class PN0001PN0002ClientInScope
    {
        public static bool At(SemanticModel model, SyntaxNode send, INamedTypeSymbol client, bool anyUsingStatic)
        {
            var position = send.SpanStart;
            var member = send.Ancestors().OfType<MemberDeclarationSyntax>().FirstOrDefault(m => m.Parent is BaseTypeDeclarationSyntax);
            if (member is null || anyUsingStatic)
            {
                return model.LookupSymbols(position).Any(s => IsClient(s, client));
            }

            // The enclosing types' own fields and properties of type NetworkClient first: the usual answer (a `_client`
            // field), found with one lookup before the member's locals and parameters are each looked up.
            var names = new HashSet<string>(StringComparer.Ordinal);
            var enclosing = model.GetEnclosingSymbol(position);
            for (var type = enclosing as INamedTypeSymbol ?? enclosing?.ContainingType; type is not null; type = type.ContainingType)
            {
                for (var declaring = type; declaring is not null; declaring = declaring.BaseType)
                {
                    foreach (var candidate in declaring.GetMembers())
                    {
                        if (IsClient(candidate, client) && names.Add(candidate.Name) && LookupFinds(candidate.Name)) return true;
                    }
                }
            }

            var rest = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in member.DescendantNodes())
            {
                var name = node switch
                {
                    VariableDeclaratorSyntax v => v.Identifier.ValueText,
                    ParameterSyntax p => p.Identifier.ValueText,
                    SingleVariableDesignationSyntax d => d.Identifier.ValueText,
                    ForEachStatementSyntax f => f.Identifier.ValueText,
                    CatchDeclarationSyntax c => c.Identifier.ValueText,
                    FromClauseSyntax q => q.Identifier.ValueText,
                    LetClauseSyntax q => q.Identifier.ValueText,
                    JoinClauseSyntax q => q.Identifier.ValueText,
                    JoinIntoClauseSyntax q => q.Identifier.ValueText,
                    QueryContinuationSyntax q => q.Identifier.ValueText,
                    _ => null,
                };
                if (!string.IsNullOrEmpty(name) && !names.Contains(name!)) rest.Add(name!);
            }

            for (var type = member.Parent as TypeDeclarationSyntax; type is not null; type = type.Parent as TypeDeclarationSyntax)
            {
                if (type.ParameterList is { } primary)
                {
                    foreach (var parameter in primary.Parameters)
                    {
                        if (!names.Contains(parameter.Identifier.ValueText)) rest.Add(parameter.Identifier.ValueText);
                    }
                }
            }

            foreach (var name in rest)
            {
                if (LookupFinds(name)) return true;
            }

            return false;

            bool LookupFinds(string name)
            {
                foreach (var symbol in model.LookupSymbols(position, name: name))
                {
                    if (IsClient(symbol, client)) return true;
                }

                return false;
            }
        }

        private static bool IsClient(ISymbol symbol, INamedTypeSymbol client)
        {
            var type = symbol switch
            {
                ILocalSymbol l => l.Type,
                IParameterSymbol p => p.Type,
                IFieldSymbol f => f.Type,
                IPropertySymbol p when !p.IsIndexer => p.Type,
                _ => null,
            };
            return SymbolEqualityComparer.Default.Equals(type, client);
        }
    }
}
