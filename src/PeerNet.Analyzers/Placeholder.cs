namespace PeerNet.Analyzers { internal static class Placeholder { } }
