using System;
using System.Runtime.InteropServices;

namespace PeerNet.Transport.Tcp
{
    /// <summary>
    /// The process's file-descriptor limit (RLIMIT_NOFILE) as a bound on inbound connections: each connection holds
    /// a descriptor, and a process that runs out of them can be aborted by the runtime itself (a native allocation
    /// that cannot fail gracefully), taking every peer down. The node therefore admits at most the soft limit less a
    /// reserve for the runtime, TLS, outbound dials and the application, whatever <see cref="TcpNodeOptions.MaxInboundConnections"/> says.
    /// </summary>
    internal static class DescriptorBudget
    {
        /// <summary>Descriptors kept for everything that is not an inbound connection: at least this many, or a third of the limit.</summary>
        internal const int MinimumReserve = 96;

        /// <summary>
        /// <paramref name="configured"/>, lowered to what the descriptor limit leaves for inbound connections (never below 1).
        /// Unchanged where the limit cannot be read (Windows, or no libc).
        /// </summary>
        public static int CapInbound(int configured)
        {
            var limit = SoftLimit();
            if (limit is not { } soft) return configured;
            var reserve = Math.Max(MinimumReserve, soft / 3);
            var budget = soft - reserve;
            return (int)Math.Max(1, Math.Min(configured, budget));
        }

        /// <summary>The soft RLIMIT_NOFILE, or null when it cannot be read or is unlimited.</summary>
        public static long? SoftLimit()
        {
            try
            {
                int resource;
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) resource = 7; // RLIMIT_NOFILE
                else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) resource = 8;
                else return null;
                if (getrlimit(resource, out var limit) != 0) return null;
                return limit.Current > int.MaxValue ? null : (long)limit.Current;
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                return null;
            }
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct RLimit
        {
            public ulong Current;
            public ulong Maximum;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int getrlimit(int resource, out RLimit limit);
    }
}
