using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// Which member of a new object a constructor argument ends up in (field-sensitive objects): a record's
    /// positional parameter is its property of the same name; a constructor in source that only assigns a
    /// parameter to a member of <c>this</c> (`Protocol = protocol;`) stores it there; a primary-constructor parameter
    /// is stored in the one member whose value it is (`ProtocolId Protocol => protocol;`). Any other use of the
    /// parameter (a base call, a computation) makes it taint the whole object.
    /// </summary>
    internal static class ObjectShapes
    {
        /// <summary>The member <paramref name="parameter"/> of <paramref name="constructor"/> is stored in, or null (the whole object).</summary>
        public static string? MemberFor(IMethodSymbol constructor, IParameterSymbol parameter, BodyGraphs graphs, CancellationToken cancellationToken)
        {
            var type = constructor.ContainingType;
            if (type is null || type.IsTupleType || parameter.RefKind != RefKind.None) return null;
            foreach (var reference in constructor.DeclaringSyntaxReferences)
            {
                var syntax = reference.GetSyntax(cancellationToken);
                if (syntax is RecordDeclarationSyntax)
                {
                    // A positional record: the parameter initializes the property of its name (unless the
                    // user declared that member themselves, with an initializer of their own).
                    foreach (var member in type.GetMembers(parameter.Name))
                    {
                        if (member is IPropertySymbol property && !property.IsStatic && IsPositional(property, cancellationToken)) return property.Name;
                    }

                    return null;
                }

                if (syntax is TypeDeclarationSyntax { ParameterList: not null } declaration)
                {
                    // A class's or struct's primary constructor: the parameter is captured by the members that read it.
                    return CapturingMember(declaration, parameter, graphs, cancellationToken);
                }
            }

            var body = graphs.GetBodyOperation(constructor, cancellationToken);
            if (body is null) return null;
            string? target = null;
            foreach (var operation in body.Descendants())
            {
                if (operation is not IParameterReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter)) continue;
                var value = (IOperation)reference;
                while (value.Parent is IConversionOperation { IsImplicit: true } conversion) value = conversion;
                if (value.Parent is ISimpleAssignmentOperation assignment && assignment.Value == value &&
                    assignment.Parent is IExpressionStatementOperation &&
                    assignment.Target is IMemberReferenceOperation { Instance: IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } } m &&
                    m.Member is IFieldSymbol or IPropertySymbol &&
                    (target is null || string.Equals(target, m.Member.Name, StringComparison.Ordinal)))
                {
                    target = m.Member.Name;
                    continue;
                }

                return null;
            }

            return target;
        }

        /// <summary>
        /// The one member a primary-constructor parameter is captured by, when every use of it is that member's
        /// value: a field or property initializer (`ProtocolId _protocol = protocol;`) or a property whose getter
        /// returns it (`ProtocolId Protocol => protocol;`). A use anywhere else (a method body, a computation, a
        /// base-type argument), or uses by two members, make it taint the whole object.
        /// </summary>
        private static string? CapturingMember(TypeDeclarationSyntax declaration, IParameterSymbol parameter, BodyGraphs graphs, CancellationToken cancellationToken)
        {
            var model = graphs.GetModel(declaration.SyntaxTree);
            if (model is null) return null;
            string? target = null;
            foreach (var node in declaration.DescendantNodes())
            {
                if (node is not IdentifierNameSyntax name ||
                    !string.Equals(name.Identifier.ValueText, parameter.Name, StringComparison.Ordinal) ||
                    !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, parameter))
                {
                    continue;
                }

                var member = MemberValuedBy(name);
                if (member is null || (target is not null && !string.Equals(target, member, StringComparison.Ordinal))) return null;
                target = member;
            }

            return target;
        }

        // The member whose value the expression `name` is, exactly (no computation around it), or null.
        private static string? MemberValuedBy(IdentifierNameSyntax name)
        {
            SyntaxNode value = name;
            while (value.Parent is ParenthesizedExpressionSyntax) value = value.Parent;
            switch (value.Parent)
            {
                case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } when declarator.Parent?.Parent is FieldDeclarationSyntax:
                    return declarator.Identifier.ValueText;
                case EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax property }:
                    return property.Identifier.ValueText;
                case ArrowExpressionClauseSyntax { Parent: PropertyDeclarationSyntax property }:
                    return property.Identifier.ValueText;
                case ArrowExpressionClauseSyntax { Parent: AccessorDeclarationSyntax accessor } when accessor.IsKind(SyntaxKind.GetAccessorDeclaration):
                    return (accessor.Parent?.Parent as PropertyDeclarationSyntax)?.Identifier.ValueText;
                case ReturnStatementSyntax { Parent: BlockSyntax { Statements.Count: 1, Parent: AccessorDeclarationSyntax accessor } } when accessor.IsKind(SyntaxKind.GetAccessorDeclaration):
                    return (accessor.Parent?.Parent as PropertyDeclarationSyntax)?.Identifier.ValueText;
                default:
                    return null;
            }
        }

        private static bool IsPositional(IPropertySymbol property, CancellationToken cancellationToken)
        {
            foreach (var reference in property.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is not ParameterSyntax) return false;
            }

            return true;
        }

        /// <summary>
        /// The member the out parameter <paramref name="ordinal"/> of <paramref name="type"/>'s Deconstruct
        /// with <paramref name="arity"/> parameters reads (a record's positional property), or null (the whole object).
        /// </summary>
        public static string? DeconstructedMember(ITypeSymbol? type, int arity, int ordinal)
        {
            if (type is null || type.IsTupleType) return null;
            foreach (var candidate in type.GetMembers("Deconstruct"))
            {
                if (candidate is not IMethodSymbol { IsStatic: false } method || method.Parameters.Length != arity) continue;

                // Only a record's own Deconstruct is known to hand out its positional properties.
                if (!method.IsImplicitlyDeclared) return null;
                if (ordinal >= method.Parameters.Length) return null;
                var name = method.Parameters[ordinal].Name;
                foreach (var member in type.GetMembers())
                {
                    if (member is IPropertySymbol or IFieldSymbol && !member.IsStatic &&
                        string.Equals(member.Name, name, StringComparison.Ordinal))
                    {
                        return member.Name;
                    }
                }

                return null;
            }

            return null;
        }
    }
}
