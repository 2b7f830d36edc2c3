using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PeerNet.Transport.Tcp
{
    /// <summary>
    /// A node's identity on an authenticated <see cref="TcpNode"/> network: an ECDSA P-256 key pair and a self-signed
    /// certificate over it. The node's <see cref="PeerId"/> is derived from the public key
    /// (<see cref="PeerIdOf"/>): whoever holds the private key is that peer, and nobody else can be.
    /// </summary>
    public sealed class TcpNodeIdentity : IDisposable
    {
        // DER prefix of a SubjectPublicKeyInfo for an uncompressed P-256 point:
        // SEQUENCE { SEQUENCE { OID ecPublicKey, OID prime256v1 }, BIT STRING (0 unused bits) 04 || X || Y }.
        private static readonly byte[] P256SpkiPrefix =
        {
            0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
            0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
        };

        private const string EcPublicKeyOid = "1.2.840.10045.2.1";
        private static readonly byte[] P256ParametersDer = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };

        private TcpNodeIdentity(X509Certificate2 certificate, PeerId peerId)
        {
            Certificate = certificate;
            PeerId = peerId;
        }

        /// <summary>The peer id this identity proves: SHA-256 of the certificate's SubjectPublicKeyInfo.</summary>
        public PeerId PeerId { get; }

        /// <summary>The certificate (with its private key) presented in every TLS handshake.</summary>
        public X509Certificate2 Certificate { get; }

        /// <summary>Creates a new identity: a fresh ECDSA P-256 key and a self-signed certificate valid for 10 years.</summary>
        /// <exception cref="PlatformNotSupportedException">On a netstandard2.0 runtime, which cannot make certificates: use <see cref="FromCertificate"/>.</exception>
        public static TcpNodeIdentity Create()
        {
#if NET
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=peernet-node", key, HashAlgorithmName.SHA256);
            var now = DateTimeOffset.UtcNow;
            using var ephemeral = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
            // A certificate whose key came from an exported PKCS#12 works as a TLS client certificate on every platform
            // (an ephemeral key does not on Windows).
            var certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
            return FromCertificate(certificate);
#else
            throw new PlatformNotSupportedException("Creating a certificate needs .NET 5 or later; load one with TcpNodeIdentity.FromCertificate.");
#endif
        }

        /// <summary>An identity over an existing certificate with its ECDSA P-256 private key (for example loaded from a PKCS#12 file).</summary>
        /// <exception cref="ArgumentNullException"><paramref name="certificate"/> is null.</exception>
        /// <exception cref="ArgumentException">The certificate has no private key or its key is not ECDSA P-256.</exception>
        public static TcpNodeIdentity FromCertificate(X509Certificate2 certificate)
        {
            if (certificate is null)
            {
                throw new ArgumentNullException(nameof(certificate));
            }

            if (!certificate.HasPrivateKey)
            {
                throw new ArgumentException("The certificate has no private key: a node must hold the key of its identity.", nameof(certificate));
            }

            if (!TryGetPeerId(certificate, out var peerId))
            {
                throw new ArgumentException("The certificate's key is not ECDSA P-256.", nameof(certificate));
            }

            return new TcpNodeIdentity(certificate, peerId);
        }

        /// <summary>The peer id a certificate proves: SHA-256 of its SubjectPublicKeyInfo (ECDSA P-256 keys only).</summary>
        /// <exception cref="ArgumentNullException"><paramref name="certificate"/> is null.</exception>
        /// <exception cref="ArgumentException">The certificate's key is not ECDSA P-256.</exception>
        public static PeerId PeerIdOf(X509Certificate certificate)
        {
            if (certificate is null)
            {
                throw new ArgumentNullException(nameof(certificate));
            }

            return TryGetPeerId(certificate, out var peerId) ? peerId : throw new ArgumentException("The certificate's key is not ECDSA P-256.", nameof(certificate));
        }

        /// <summary>Releases the certificate and its key.</summary>
        public void Dispose() => Certificate.Dispose();

        /// <inheritdoc/>
        public override string ToString() => $"TcpNodeIdentity({PeerId})";

        internal static bool TryGetPeerId(X509Certificate certificate, out PeerId peerId)
        {
            peerId = default;
            using var owned = certificate as X509Certificate2 is null ? new X509Certificate2(certificate) : null;
            var cert = owned ?? (X509Certificate2)certificate;
            var key = cert.PublicKey;
            if (key.Oid.Value != EcPublicKeyOid || key.EncodedParameters is null || !key.EncodedParameters.RawData.AsSpan().SequenceEqual(P256ParametersDer))
            {
                return false;
            }

            var point = key.EncodedKeyValue.RawData;
            if (point.Length != 65 || point[0] != 0x04)
            {
                return false;
            }

            var spki = new byte[P256SpkiPrefix.Length + point.Length];
            P256SpkiPrefix.CopyTo(spki, 0);
            point.CopyTo(spki, P256SpkiPrefix.Length);
            using var sha = SHA256.Create();
            peerId = new PeerId(sha.ComputeHash(spki));
            return true;
        }
    }
}
