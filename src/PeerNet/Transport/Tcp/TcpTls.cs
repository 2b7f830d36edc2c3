using System;
using System.IO;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace PeerNet.Transport.Tcp
{
    // Mutual TLS 1.3 over a connected stream, both sides presenting their node certificate. A peer is identified by its
    // certificate's key (TcpNodeIdentity.PeerIdOf), never by a name or a chain: the certificate is self-signed, and TLS
    // proves the peer holds its private key (CertificateVerify). The caller's check decides whether that peer is wanted
    // (the expected peer of a dial, the trusted-peer set); a refusal fails the TLS handshake itself, so nothing else is
    // exchanged with that peer.
    internal sealed class TcpTls
    {
        private const string TargetHost = "peernet";
#if NET
        private const SslProtocols Tls13 = SslProtocols.Tls13;
#else
        private const SslProtocols Tls13 = (SslProtocols)12288; // SslProtocols.Tls13 on runtimes that have it
#endif
        private readonly TcpNodeIdentity _identity;
#if NET
        private readonly SslStreamCertificateContext _context;
#endif

#if NET
        // TLS 1.3 suites, AES-128-GCM first (the fastest with AES instructions; all three are AEAD). Only Linux lets an
        // application choose (elsewhere null: the platform's order).
        private static readonly CipherSuitesPolicy? CipherSuites = OperatingSystem.IsLinux()
            ? new CipherSuitesPolicy(new[] { TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256 })
            : null;
#endif

        public TcpTls(TcpNodeIdentity identity)
        {
            _identity = identity;
#if NET
            _context = SslStreamCertificateContext.Create(identity.Certificate, additionalCertificates: null, offline: true);
#endif
        }

        // Authenticates both sides. Returns the encrypted stream and the peer's id; on failure disposes the stream and
        // throws TlsRefusedException (with the reason this side refused the peer, or what the TLS layer said).
        public async Task<(SslStream Stream, PeerId Peer)> AuthenticateAsync(Stream inner, bool asClient, Func<PeerId, string?> check, CancellationToken token)
        {
            PeerId? peer = null;
            string? problem = null;

            bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
            {
                // Chain and name errors are expected (self-signed, no host name): the key is the identity.
                if (certificate is null)
                {
                    problem = "the peer presented no certificate";
                    return false;
                }

                if (!TcpNodeIdentity.TryGetPeerId(certificate, out var id))
                {
                    problem = "the peer's certificate key is not ECDSA P-256";
                    return false;
                }

                peer = id;
                problem = check(id);
                return problem is null;
            }

            var ssl = new SslStream(inner, leaveInnerStreamOpen: false, Validate, (s, host, local, remote, issuers) => _identity.Certificate);
            try
            {
#if NET
                if (asClient)
                {
                    await ssl.AuthenticateAsClientAsync(
                        new SslClientAuthenticationOptions
                        {
                            TargetHost = TargetHost,
                            ClientCertificateContext = _context,
                            EnabledSslProtocols = Tls13,
                            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                            RemoteCertificateValidationCallback = Validate,
                            CipherSuitesPolicy = CipherSuites,
                        },
                        token).ConfigureAwait(false);
                }
                else
                {
                    await ssl.AuthenticateAsServerAsync(
                        new SslServerAuthenticationOptions
                        {
                            ServerCertificateContext = _context,
                            ClientCertificateRequired = true,
                            EnabledSslProtocols = Tls13,
                            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                            RemoteCertificateValidationCallback = Validate,
                            CipherSuitesPolicy = CipherSuites,
                        },
                        token).ConfigureAwait(false);
                }
#else
                if (asClient)
                {
                    await ssl.AuthenticateAsClientAsync(TargetHost, new X509CertificateCollection { _identity.Certificate }, Tls13, checkCertificateRevocation: false).ConfigureAwait(false);
                }
                else
                {
                    await ssl.AuthenticateAsServerAsync(_identity.Certificate, clientCertificateRequired: true, Tls13, checkCertificateRevocation: false).ConfigureAwait(false);
                }
#endif
            }
            catch (Exception ex) when (ex is AuthenticationException || ex is IOException)
            {
                ssl.Dispose();
                throw new TlsRefusedException(peer, problem ?? $"TLS handshake failed: {ex.GetType().Name}: {ex.Message}", problem is not null, ex);
            }
            catch (Exception)
            {
                ssl.Dispose();
                throw; // cancelled (the handshake timeout) or the socket failed: the caller says which
            }

            if (peer is null)
            {
                ssl.Dispose();
                throw new TlsRefusedException(peer, "the TLS handshake ended without a mutually authenticated peer", true, null);
            }

            return (ssl, peer.Value);
        }
    }

    // The TLS handshake failed: Refused is true when this side refused the peer (Reason says why).
    internal sealed class TlsRefusedException : Exception
    {
        public TlsRefusedException(PeerId? peer, string reason, bool refused, Exception? inner)
            : base(reason, inner)
        {
            Peer = peer;
            Refused = refused;
        }

        public PeerId? Peer { get; }

        public bool Refused { get; }
    }
}
