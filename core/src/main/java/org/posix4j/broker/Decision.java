package org.posix4j.broker;

/// What a [Policy] decided about a call, as the audit records it.
public enum Decision {
    /// The call was allowed and performed by the master.
    ALLOW("allow"),
    /// The call was refused; the program got the policy's errno.
    DENY("deny"),
    /// Dry run: the call was allowed, but the policy would have refused it.
    WOULD_DENY("would-deny");

    private final String jsonName;

    Decision(String jsonName) {
        this.jsonName = jsonName;
    }

    /// The name the JSON audit uses: `allow`, `deny`, `would-deny`.
    public String jsonName() {
        return jsonName;
    }
}
