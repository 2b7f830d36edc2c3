using System;

namespace PeerNet.Annotations
{
    /// <summary>
    /// Marks a parameter whose protocol must be current for the peer at the moment of the send: a
    /// protocol read from a cached snapshot must not reach it (rule PN0001).
    /// </summary>
    [AttributeUsage(AttributeTargets.Parameter, Inherited = true, AllowMultiple = false)]
    public sealed class RequiresCurrentProtocolAttribute : Attribute
    {
    }
}
