using System;
using System.Collections.Generic;
using System.Reflection.Metadata;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace PeerNet.Analyzers
{
    /// <summary>
    /// Whether the code of a compilation can reach an annotated member at all, decided from the source texts
    /// and the references' metadata without asking the compilation for a symbol. The first symbol asked of
    /// a compilation makes the compiler bind all its references: the compiler's own work, done once, but
    /// charged to whoever asks first (an analyzer's compilation-start action, which then also waits for the
    /// compiler's thread doing the same), 35-340 ms per Orleans project where nothing can be found. Every
    /// project that installs the package references PeerNet.dll, so this is how the analyzers stay out of
    /// the way of code that never uses it.
    /// </summary>
    /// <remarks>
    /// An over-approximation of <see cref="Flow.RelevantSymbols"/>' reachability rule, never an
    /// under-approximation. A member can carry an annotation only in the compilation's own source (its
    /// text then holds the attribute's name) or in a referenced assembly that defines or references a type
    /// named like an annotation attribute. Such an assembly's annotated members are reachable only where a
    /// source text names the top-level namespace of a type declaring one (a using, a global using, a
    /// qualified name), or where another reference references the assembly (and may hand its types out).
    /// PeerNet's own namespace counts as named by any text holding "PeerNet". A project reference that is a
    /// compilation (an editor's), or metadata that cannot be read, counts as reachable: the full rule decides.
    /// The facts of one reference are read once per metadata identity (which compilations, an editor's
    /// successive ones and a build server's, share), and are a function of that metadata alone.
    /// </remarks>
    internal static class AnnotationReach
    {
        private const string PeerNetNamespace = "PeerNet";

        // By metadata identity: GetMetadata() hands out a new copy each call, GetMetadataId() the same id for all of them.
        private static readonly ConditionalWeakTable<MetadataId, List<ModuleFacts>> s_facts = new ConditionalWeakTable<MetadataId, List<ModuleFacts>>();

        /// <summary>Whether code of <paramref name="compilation"/> may reach an annotated member (false: it certainly cannot).</summary>
        public static bool MayReachAnnotations(Compilation compilation, CancellationToken cancellationToken)
        {
            var modules = new List<ModuleFacts>();
            foreach (var reference in compilation.References)
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (reference)
                {
                    case PortableExecutableReference executable:
                        if (!TryAddModules(executable, modules)) return true;
                        break;
                    case CompilationReference:
                        return true;
                }
            }

            var words = new List<string> { PeerNetNamespace };
            words.AddRange(WellKnownSymbols.AnnotationShortNames);
            foreach (var module in modules)
            {
                if (module.SeedNamespaces is not { } namespaces) continue;
                if (namespaces.Contains(string.Empty)) return true;
                words.AddRange(namespaces);
                foreach (var other in modules)
                {
                    if (ReferenceEquals(other, module) || module.AssemblyName is not { } name) continue;
                    foreach (var referenced in other.ReferencedAssemblies)
                    {
                        if (string.Equals(referenced, name, StringComparison.OrdinalIgnoreCase)) return true;
                    }
                }
            }

            // Any assembly that references PeerNet may hand PeerNet's types out, annotated or not (PN0003's Try-sends).
            foreach (var module in modules)
            {
                foreach (var referenced in module.ReferencedAssemblies)
                {
                    if (string.Equals(referenced, PeerNetNamespace, StringComparison.OrdinalIgnoreCase)) return true;
                }
            }

            foreach (var tree in compilation.SyntaxTrees)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Flow.TreeText.ContainsAny(tree, words)) return true;
            }

            return false;
        }

        private static bool TryAddModules(PortableExecutableReference reference, List<ModuleFacts> modules)
        {
            try
            {
                var id = reference.GetMetadataId();
                if (!s_facts.TryGetValue(id, out var facts))
                {
                    facts = new List<ModuleFacts>();
                    switch (reference.GetMetadata())
                    {
                        case AssemblyMetadata assembly:
                            foreach (var module in assembly.GetModules()) facts.Add(new ModuleFacts(module.GetMetadataReader()));
                            break;
                        case ModuleMetadata module:
                            facts.Add(new ModuleFacts(module.GetMetadataReader()));
                            break;
                        default:
                            return false;
                    }

                    facts = s_facts.GetValue(id, _ => facts);
                }

                modules.AddRange(facts);
                return true;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Unreadable here (a missing or locked file, a bad image, a host's own reference type): let the symbols
                // decide; an analyzer never throws for a reference.
                return false;
            }
        }

        /// <summary>What one module's metadata says about annotations.</summary>
        private sealed class ModuleFacts
        {
            public ModuleFacts(MetadataReader reader)
            {
                AssemblyName = reader.IsAssembly ? reader.GetString(reader.GetAssemblyDefinition().Name) : null;
                var referenced = new List<string>();
                foreach (var handle in reader.AssemblyReferences) referenced.Add(reader.GetString(reader.GetAssemblyReference(handle).Name));
                ReferencedAssemblies = referenced;
                if (NamesAnnotation(reader)) SeedNamespaces = Annotated(reader);
            }

            /// <summary>The assembly's simple name (null for a module of its own).</summary>
            public string? AssemblyName { get; }

            /// <summary>The simple names of the assemblies the module references.</summary>
            public List<string> ReferencedAssemblies { get; }

            /// <summary>
            /// The top-level namespaces of the types whose members (or they themselves) carry an annotation, "" for
            /// the global namespace or for an annotation on something else; null when the module neither defines nor
            /// references a type named like an annotation attribute (none of its members can carry one).
            /// </summary>
            public HashSet<string>? SeedNamespaces { get; }

            private static bool NamesAnnotation(MetadataReader reader)
            {
                foreach (var handle in reader.TypeReferences)
                {
                    if (IsAnnotationName(reader, reader.GetTypeReference(handle).Name)) return true;
                }

                foreach (var handle in reader.TypeDefinitions)
                {
                    if (IsAnnotationName(reader, reader.GetTypeDefinition(handle).Name)) return true;
                }

                return false;
            }

            /// <summary>A type name that is an annotation attribute's, generic or not (a generic type's metadata name ends in `n; its symbol's name does not, and the full rule compares symbol names).</summary>
            private static bool IsAnnotationName(MetadataReader reader, StringHandle name)
            {
                foreach (var annotation in WellKnownSymbols.AnnotationAttributeNames)
                {
                    if (reader.StringComparer.Equals(name, annotation) || reader.StringComparer.StartsWith(name, annotation + "`")) return true;
                }

                return false;
            }

            private static HashSet<string> Annotated(MetadataReader reader)
            {
                var namespaces = new HashSet<string>(StringComparer.Ordinal);
                Dictionary<ParameterHandle, MethodDefinitionHandle>? owners = null;
                foreach (var handle in reader.CustomAttributes)
                {
                    var attribute = reader.GetCustomAttribute(handle);
                    if (!IsAnnotation(reader, attribute.Constructor)) continue;
                    var parent = attribute.Parent;
                    TypeDefinitionHandle? type = parent.Kind switch
                    {
                        HandleKind.TypeDefinition => (TypeDefinitionHandle)parent,
                        HandleKind.MethodDefinition => reader.GetMethodDefinition((MethodDefinitionHandle)parent).GetDeclaringType(),
                        HandleKind.FieldDefinition => reader.GetFieldDefinition((FieldDefinitionHandle)parent).GetDeclaringType(),
                        HandleKind.PropertyDefinition => DeclaringTypeOf(reader, (PropertyDefinitionHandle)parent),
                        HandleKind.Parameter => OwnerOf(reader, (ParameterHandle)parent, ref owners),
                        _ => null,
                    };
                    namespaces.Add(type is { } declaring ? RootNamespace(reader, declaring) : string.Empty);
                }

                return namespaces;
            }

            private static bool IsAnnotation(MetadataReader reader, EntityHandle constructor)
            {
                switch (constructor.Kind)
                {
                    case HandleKind.MethodDefinition:
                        var type = reader.GetMethodDefinition((MethodDefinitionHandle)constructor).GetDeclaringType();
                        return IsAnnotationName(reader, reader.GetTypeDefinition(type).Name);
                    case HandleKind.MemberReference:
                        var parent = reader.GetMemberReference((MemberReferenceHandle)constructor).Parent;
                        return parent.Kind switch
                        {
                            HandleKind.TypeReference => IsAnnotationName(reader, reader.GetTypeReference((TypeReferenceHandle)parent).Name),
                            HandleKind.TypeDefinition => IsAnnotationName(reader, reader.GetTypeDefinition((TypeDefinitionHandle)parent).Name),

                            // A generic attribute's instantiation: not decoded; it may be an annotation (the module names one).
                            HandleKind.TypeSpecification => true,
                            _ => false,
                        };
                    default:
                        return false;
                }
            }

            private static TypeDefinitionHandle? DeclaringTypeOf(MetadataReader reader, PropertyDefinitionHandle property)
            {
                var accessors = reader.GetPropertyDefinition(property).GetAccessors();
                var accessor = accessors.Getter.IsNil ? accessors.Setter : accessors.Getter;
                return accessor.IsNil ? null : reader.GetMethodDefinition(accessor).GetDeclaringType();
            }

            private static TypeDefinitionHandle? OwnerOf(MetadataReader reader, ParameterHandle parameter, ref Dictionary<ParameterHandle, MethodDefinitionHandle>? owners)
            {
                if (owners is null)
                {
                    owners = new Dictionary<ParameterHandle, MethodDefinitionHandle>();
                    foreach (var method in reader.MethodDefinitions)
                    {
                        foreach (var p in reader.GetMethodDefinition(method).GetParameters()) owners[p] = method;
                    }
                }

                return owners.TryGetValue(parameter, out var owner) ? reader.GetMethodDefinition(owner).GetDeclaringType() : null;
            }

            private static string RootNamespace(MetadataReader reader, TypeDefinitionHandle type)
            {
                var definition = reader.GetTypeDefinition(type);
                while (!definition.GetDeclaringType().IsNil) definition = reader.GetTypeDefinition(definition.GetDeclaringType());
                var ns = reader.GetString(definition.Namespace);
                var dot = ns.IndexOf('.');
                return dot < 0 ? ns : ns.Substring(0, dot);
            }
        }
    }
}
