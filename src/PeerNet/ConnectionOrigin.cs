namespace PeerNet
{
    /// <summary>Which side dialed a connection.</summary>
    public enum ConnectionOrigin
    {
        /// <summary>The remote peer dialed us.</summary>
        Inbound,
        /// <summary>We dialed the remote peer.</summary>
        Outbound,
    }
}
