using System;

namespace PeerNet.Annotations
{
    /// <summary>
    /// Marks a method or property that checks whether a snapshot version is still current. Used as a
    /// guard before a separate send it is a check-then-act (rule PN0002): the version can change
    /// between the check and the send.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, Inherited = true, AllowMultiple = false)]
    public sealed class SnapshotVersionCheckAttribute : Attribute
    {
    }
}
