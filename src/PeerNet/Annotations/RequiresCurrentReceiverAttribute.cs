using System;

namespace PeerNet.Annotations
{
    /// <summary>
    /// Marks a method that sends through the object it is called on: a negotiated protocol handler, a
    /// per-peer proxy or actor. That object must be current for the peer at the moment of the call: one
    /// read from a cached snapshot must not be called (rule PN0001, PN0002 after a version check).
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = true, AllowMultiple = false)]
    public sealed class RequiresCurrentReceiverAttribute : Attribute
    {
    }
}
