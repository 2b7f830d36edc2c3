namespace PeerNet.Analyzers.CodeFixes { internal static class Placeholder { } }
