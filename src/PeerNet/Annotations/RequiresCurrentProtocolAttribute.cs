using System;

namespace PeerNet.Annotations
{
    /// <summary>
    /// Marks a parameter whose protocol must be current for the peer at the moment of the send: a
    /// protocol read from a cached snapshot must not reach it (rule PN0001). On a property, the value
    /// assigned to it is sent (<c>message.TargetProtocol = protocol</c>): a snapshot-derived value must not
    /// be assigned to it.
    /// </summary>
    [AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property, Inherited = true, AllowMultiple = false)]
    public sealed class RequiresCurrentProtocolAttribute : Attribute
    {
    }
}
