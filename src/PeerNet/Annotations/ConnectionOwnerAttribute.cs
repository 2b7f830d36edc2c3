using System;

namespace PeerNet.Annotations
{
    /// <summary>
    /// Marks a type whose instances own one connection (a per-connection actor): only its own members read
    /// and change that connection's state, so a cached-snapshot read performed by the owner on its own
    /// state (<c>this</c>, or a field or property of it) is current at send time and is no source of
    /// PN0001/PN0002. The same read through any other object still is.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = true, AllowMultiple = false)]
    public sealed class ConnectionOwnerAttribute : Attribute
    {
    }
}
