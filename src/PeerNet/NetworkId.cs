namespace PeerNet
{
    /// <summary>The networks a node can be on.</summary>
    public enum NetworkId
    {
        /// <summary>The validator network.</summary>
        Validator,
        /// <summary>The validator full node network.</summary>
        Vfn,
        /// <summary>The public full node network.</summary>
        Public,
    }
}
