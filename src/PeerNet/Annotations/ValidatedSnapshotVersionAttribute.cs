using System;

namespace PeerNet.Annotations
{
    /// <summary>
    /// Marks a parameter of a send that carries the snapshot version the sender's choice was made from,
    /// which the receiver validates (it rejects the send when the version is no longer current). A send
    /// that passes the version of the very snapshot its protocol or target came from
    /// (<c>Send(peer, protocol, snapshot.Version)</c>) is bound to that snapshot and gets no PN0001/PN0002;
    /// a version of another snapshot does not count.
    /// </summary>
    [AttributeUsage(AttributeTargets.Parameter, Inherited = true, AllowMultiple = false)]
    public sealed class ValidatedSnapshotVersionAttribute : Attribute
    {
    }
}
