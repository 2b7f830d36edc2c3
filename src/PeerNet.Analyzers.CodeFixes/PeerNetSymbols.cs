using System.Linq;
using Microsoft.CodeAnalysis;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>
    /// PeerNet's types as symbols of one compilation. Every decision of the code fixes is made by symbol
    /// identity with these, never by name: a user type called NetworkClient is not PeerNet's.
    /// </summary>
    internal sealed class PeerNetSymbols
    {
        private PeerNetSymbols(Compilation compilation)
        {
            NetworkClient = compilation.GetTypeByMetadataName("PeerNet.NetworkClient");
            NetworkSender = compilation.GetTypeByMetadataName("PeerNet.INetworkSender");
            PeersAndMetadata = compilation.GetTypeByMetadataName("PeerNet.PeersAndMetadata");
            Snapshot = compilation.GetTypeByMetadataName("PeerNet.PeersAndMetadataSnapshot");
            PeerMetadata = compilation.GetTypeByMetadataName("PeerNet.PeerMetadata");
            PeerNetworkId = compilation.GetTypeByMetadataName("PeerNet.PeerNetworkId");
            PeerId = compilation.GetTypeByMetadataName("PeerNet.PeerId");
            ProtocolId = compilation.GetTypeByMetadataName("PeerNet.ProtocolId");
            ProtocolIdSet = compilation.GetTypeByMetadataName("PeerNet.ProtocolIdSet");
            SendFailure = compilation.GetTypeByMetadataName("PeerNet.SendFailure");
            SnapshotVersion = compilation.GetTypeByMetadataName("PeerNet.SnapshotVersion");
            PeerNetException = compilation.GetTypeByMetadataName("PeerNet.PeerNetException");
            CachedSnapshotRead = compilation.GetTypeByMetadataName("PeerNet.Annotations.CachedSnapshotReadAttribute");
            SnapshotVersionCheck = compilation.GetTypeByMetadataName("PeerNet.Annotations.SnapshotVersionCheckAttribute");
        }

        public INamedTypeSymbol? NetworkClient { get; }

        public INamedTypeSymbol? NetworkSender { get; }

        public INamedTypeSymbol? PeersAndMetadata { get; }

        public INamedTypeSymbol? Snapshot { get; }

        public INamedTypeSymbol? PeerMetadata { get; }

        public INamedTypeSymbol? PeerNetworkId { get; }

        public INamedTypeSymbol? PeerId { get; }

        public INamedTypeSymbol? ProtocolId { get; }

        public INamedTypeSymbol? ProtocolIdSet { get; }

        public INamedTypeSymbol? SendFailure { get; }

        public INamedTypeSymbol? PeerNetException { get; }

        public INamedTypeSymbol? SnapshotVersion { get; }

        public INamedTypeSymbol? CachedSnapshotRead { get; }

        public INamedTypeSymbol? SnapshotVersionCheck { get; }

        /// <summary>Whether the PeerNet types the rewrite needs are all present.</summary>
        public bool IsComplete =>
            NetworkClient != null && NetworkSender != null && PeerNetworkId != null && ProtocolId != null &&
            SendFailure != null && PeerNetException != null;

        public static PeerNetSymbols Create(Compilation compilation) => new PeerNetSymbols(compilation);

        public static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
            type != null && expected != null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);

        /// <summary>Whether <paramref name="method"/> is <paramref name="type"/>'s member <paramref name="name"/>.</summary>
        public static bool IsMember(ISymbol? method, INamedTypeSymbol? type, string name) =>
            method != null && type != null && method.Name == name &&
            SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, type);

        /// <summary>
        /// Whether <paramref name="method"/> is INetworkSender.<paramref name="name"/> or an implementation of it
        /// (implicit or explicit), so that the rewrite to NetworkClient is known to be equivalent.
        /// </summary>
        public bool IsNetworkSenderMember(IMethodSymbol? method, string name)
        {
            if (method == null || NetworkSender == null)
            {
                return false;
            }

            IMethodSymbol? interfaceMethod = NetworkSender.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault();
            if (interfaceMethod == null)
            {
                return false;
            }

            if (SymbolEqualityComparer.Default.Equals(method.OriginalDefinition, interfaceMethod))
            {
                return true;
            }

            INamedTypeSymbol? type = method.ContainingType;
            if (type == null || !type.AllInterfaces.Contains(NetworkSender, SymbolEqualityComparer.Default))
            {
                return false;
            }

            return SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(interfaceMethod), method.OriginalDefinition);
        }

        public bool HasAttribute(ISymbol? symbol, INamedTypeSymbol? attribute)
        {
            if (symbol == null || attribute == null)
            {
                return false;
            }

            for (ISymbol? current = symbol; current != null; current = Overridden(current))
            {
                foreach (AttributeData data in current.GetAttributes())
                {
                    if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static ISymbol? Overridden(ISymbol symbol) => symbol switch
        {
            IMethodSymbol m => m.OverriddenMethod,
            IPropertySymbol p => p.OverriddenProperty,
            _ => null,
        };
    }
}
