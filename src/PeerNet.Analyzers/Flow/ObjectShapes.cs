using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace PeerNet.Analyzers.Flow
{
    /// <summary>
    /// Which member of a new object a constructor argument ends up in (field-sensitive objects): a record's
    /// positional parameter is its property of the same name; a constructor in source that only assigns a
    /// parameter to a member of <c>this</c> (`Protocol = protocol;`) stores it there. Any other use of the
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
