using System.Collections.Generic;

namespace PeerNet.Analyzers.Flow
{
    internal sealed partial class RelevantSymbols
    {
        /// <summary>
        /// The names that can matter to a question (<see cref="NameClosure"/>): the closure's names, or, once the closure
        /// has reached more than half of the trees of a compilation that is not small, the names declared anywhere
        /// (<see cref="Declared"/>). A closure is only worth its cost while it filters: past that point finishing it would
        /// read every tree to find names that filter almost nothing (on configured Orleans.Runtime it reached 310 of 313
        /// trees and 3,003 names), while the declared names are known from a walk that enters no body.
        /// </summary>
        private sealed class NameSet
        {
            private readonly HashSet<string> _names;

            private NameSet(HashSet<string> names, bool isClosure)
            {
                _names = names;
                IsClosure = isClosure;
            }

            /// <summary>The names of a closure run to its end.</summary>
            public static NameSet Closure(HashSet<string> names) => new NameSet(names, isClosure: true);

            /// <summary>
            /// For a closure stopped early, a superset of the names a closure can make relevant: the seeds' names, the names
            /// of every unit (what a unit mentioning a name adds), the names of the parameters of type declarations (a
            /// record's positional properties, which a unit may assign), and whatever the closure had found. The other
            /// names a closure takes from what units assign are not members of the compilation's source (a framework
            /// type's property, a local the syntax cannot tell) or are tuples' elements, which the gate does not follow
            /// (<see cref="UnitIndex.Assigned"/>): none of them can be relevant.
            /// </summary>
            public static NameSet Declared(HashSet<string> names) => new NameSet(names, isClosure: false);

            /// <summary>Whether these are the names of a closure run to its end (else <see cref="Declared"/>).</summary>
            public bool IsClosure { get; }

            /// <summary>Whether no name can matter.</summary>
            public bool IsEmpty => _names.Count == 0;

            public HashSet<string> Names => _names;

            public bool Contains(string name) => _names.Contains(name);

            /// <summary>
            /// Whether <paramref name="unit"/> may mention one of the names: for a closure's names, from what the unit's
            /// text holds; for the declared names, which nearly every unit mentions, always (its tree is not read for it).
            /// </summary>
            public bool MentionedIn(Unit unit) => !IsClosure || MentionsAny(unit.Identifiers, _names);
        }
    }
}
