using System.Linq;
using Microsoft.CodeAnalysis;

namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>
    /// The symbols the code fixes decide by: the analyzer's <see cref="WellKnownSymbols"/> (PeerNet's types, and
    /// the annotations recognised exactly as the analyzer recognises them: PeerNet's attributes, users' own
    /// copies, configured members) plus the few PeerNet types only a rewrite needs. Every decision is by symbol
    /// identity, never by name: a user type called NetworkClient is not PeerNet's.
    /// </summary>
    internal sealed class FixSymbols
    {
        private readonly WellKnownSymbols _known;

        private FixSymbols(WellKnownSymbols known)
        {
            _known = known;
            Compilation compilation = known.Compilation;
            PeersAndMetadata = compilation.GetTypeByMetadataName("PeerNet.PeersAndMetadata");
            Snapshot = compilation.GetTypeByMetadataName("PeerNet.PeersAndMetadataSnapshot");
            PeerNetworkId = compilation.GetTypeByMetadataName("PeerNet.PeerNetworkId");
            PeerId = compilation.GetTypeByMetadataName("PeerNet.PeerId");
            PeerNetException = compilation.GetTypeByMetadataName("PeerNet.PeerNetException");
        }

        public INamedTypeSymbol? NetworkClient => _known.NetworkClient;

        public INamedTypeSymbol? NetworkSender => _known.NetworkSender;

        public INamedTypeSymbol? ProtocolId => _known.ProtocolId;

        public INamedTypeSymbol? ProtocolIdSet => _known.ProtocolIdSet;

        public INamedTypeSymbol? SendFailure => _known.SendFailure;

        public INamedTypeSymbol? SnapshotVersion => _known.SnapshotVersion;

        public INamedTypeSymbol? PeersAndMetadata { get; }

        public INamedTypeSymbol? Snapshot { get; }

        public INamedTypeSymbol? PeerNetworkId { get; }

        public INamedTypeSymbol? PeerId { get; }

        public INamedTypeSymbol? PeerNetException { get; }

        /// <summary>
        /// The symbols of the document's compilation, read with the project's analyzer configuration (so configured
        /// snapshot reads and version checks count as they do for the analyzer); null when the PeerNet types a
        /// rewrite needs are not all present.
        /// </summary>
        public static FixSymbols? Create(Document document, Compilation compilation)
        {
            WellKnownSymbols? known = WellKnownSymbols.TryCreate(compilation, document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider);
            if (known == null)
            {
                return null;
            }

            var symbols = new FixSymbols(known);
            bool complete = symbols.NetworkClient != null && symbols.NetworkSender != null && symbols.PeerNetworkId != null &&
                symbols.ProtocolId != null && symbols.SendFailure != null && symbols.PeerNetException != null;
            return complete ? symbols : null;
        }

        public static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
            type != null && expected != null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);

        /// <summary>Whether <paramref name="method"/> is <paramref name="type"/>'s member <paramref name="name"/>.</summary>
        public static bool IsMember(ISymbol? method, INamedTypeSymbol? type, string name) =>
            method != null && type != null && method.Name == name &&
            SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, type);

        /// <summary>A [CachedSnapshotRead] member (or a configured source), as the analyzer decides it.</summary>
        public bool IsSnapshotRead(ISymbol? symbol) => symbol != null && _known.IsSnapshotRead(symbol);

        /// <summary>A [SnapshotVersionCheck] member (or a configured check), as the analyzer decides it.</summary>
        public bool IsVersionCheck(ISymbol? symbol) => symbol != null && _known.IsVersionCheck(symbol);

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
    }
}
