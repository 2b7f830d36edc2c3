namespace PeerNet.Transport.Tcp
{
    /// <summary>How a <see cref="TcpNode"/> protects its connections. See docs/security.md.</summary>
    public enum TcpSecurity
    {
        /// <summary>
        /// The default: TLS 1.3 (the platform's <see cref="System.Net.Security.SslStream"/>) with a certificate on both
        /// sides. Each side's <see cref="PeerId"/> is the SHA-256 of its certificate's public key
        /// (<see cref="TcpNodeIdentity.PeerIdOf"/>), so a peer can only be the id whose private key it holds; a dialer
        /// refuses any peer other than the one it expected, and a node with a <see cref="TcpNodeOptions.TrustedPeers"/>
        /// set refuses every peer outside it. Everything after the TLS handshake (the hello with network, role and
        /// protocols, and every message) is encrypted and integrity-protected.
        /// </summary>
        MutualTls = 0,

        /// <summary>
        /// INSECURE, for tests and demos only: no authentication, no encryption, no integrity. Any peer can claim any
        /// <see cref="PeerId"/>, read and rewrite traffic on the path. Both sides must use it.
        /// </summary>
        InsecurePlaintext = 1,
    }
}
