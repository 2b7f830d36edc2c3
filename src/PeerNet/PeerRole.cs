namespace PeerNet
{
    /// <summary>The role of a peer, as in Aptos.</summary>
    public enum PeerRole
    {
        /// <summary>A validator.</summary>
        Validator,
        /// <summary>A preferred upstream full node.</summary>
        PreferredUpstream,
        /// <summary>An upstream full node.</summary>
        Upstream,
        /// <summary>A validator full node.</summary>
        ValidatorFullNode,
        /// <summary>A downstream full node.</summary>
        Downstream,
        /// <summary>A known peer.</summary>
        Known,
        /// <summary>A peer of unknown role.</summary>
        Unknown,
    }
}
