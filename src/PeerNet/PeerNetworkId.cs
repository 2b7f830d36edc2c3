namespace PeerNet
{
    /// <summary>A peer on one network.</summary>
    public readonly record struct PeerNetworkId(NetworkId NetworkId, PeerId PeerId)
    {
        /// <inheritdoc/>
        public override string ToString() => $"{NetworkId}:{PeerId}";
    }
}
