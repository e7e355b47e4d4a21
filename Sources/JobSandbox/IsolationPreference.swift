/// Which isolation a step asks for.
public enum IsolationPreference: Sendable, Equatable {
    /// Bubblewrap when it works on this host, the plain session otherwise.
    case automatic
    /// Bubblewrap or fail: the step is not run without it.
    case requireBubblewrap
    /// Never bubblewrap.
    case sessionOnly
}
