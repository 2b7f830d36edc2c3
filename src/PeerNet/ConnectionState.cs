namespace PeerNet
{
    /// <summary>The state of a peer's current connection.</summary>
    public enum ConnectionState
    {
        /// <summary>Connected and usable.</summary>
        Connected,
        /// <summary>Being disconnected; no new sends are accepted.</summary>
        Disconnecting,
    }
}
