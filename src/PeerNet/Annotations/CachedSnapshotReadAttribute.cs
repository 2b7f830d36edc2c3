using System;

namespace PeerNet.Annotations
{
    /// <summary>
    /// Marks a method or property whose result comes from a cached snapshot of peer metadata and may be
    /// stale as soon as it returns. A protocol chosen from such a value must not be passed to a
    /// <see cref="RequiresCurrentProtocolAttribute"/> parameter (rule PN0001).
    /// </summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, Inherited = true, AllowMultiple = false)]
    public sealed class CachedSnapshotReadAttribute : Attribute
    {
    }
}
