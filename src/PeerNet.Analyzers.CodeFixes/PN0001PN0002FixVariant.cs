namespace PeerNet.Analyzers.CodeFixes
{
    /// <summary>
    /// Which PN0001/PN0002 fix: keeping the sender's traced preference list or using the client's configured
    /// preferences, and through which client when several are in reach and the code ties the send to none.
    /// Encoded in the equivalence key so that Fix All applies the same variant everywhere.
    /// </summary>
    internal readonly struct PN0001PN0002FixVariant
    {
        private const string ViaSeparator = ".Via.";

        public PN0001PN0002FixVariant(bool clientPreferences, string? clientName)
        {
            ClientPreferences = clientPreferences;
            ClientName = clientName;
        }

        /// <summary>Rewrite to the client's configured preferences (the overloads without a list).</summary>
        public bool ClientPreferences { get; }

        /// <summary>The client to send through, by name; null for the one the code names.</summary>
        public string? ClientName { get; }

        /// <summary>The equivalence key of this variant for a diagnostic id.</summary>
        public string KeyFor(string diagnosticId)
        {
            string key = diagnosticId == DiagnosticIds.CheckThenSend
                ? (ClientPreferences ? EquivalenceKeys.CheckThenSendClientPreferences : EquivalenceKeys.CheckThenSend)
                : (ClientPreferences ? EquivalenceKeys.StaleProtocolClientPreferences : EquivalenceKeys.StaleProtocol);
            return ClientName == null ? key : key + ViaSeparator + ClientName;
        }

        /// <summary>The variant an equivalence key names for a diagnostic id, or null when the key is not one of its.</summary>
        public static PN0001PN0002FixVariant? FromKey(string? key, string diagnosticId)
        {
            if (key == null)
            {
                return null;
            }

            string? clientName = null;
            int via = key.IndexOf(ViaSeparator, System.StringComparison.Ordinal);
            if (via >= 0)
            {
                clientName = key.Substring(via + ViaSeparator.Length);
                key = key.Substring(0, via);
            }

            foreach (bool clientPreferences in new[] { false, true })
            {
                if (new PN0001PN0002FixVariant(clientPreferences, null).KeyFor(diagnosticId) == key)
                {
                    return new PN0001PN0002FixVariant(clientPreferences, clientName);
                }
            }

            return null;
        }
    }
}
