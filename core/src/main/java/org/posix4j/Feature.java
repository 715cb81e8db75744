package org.posix4j;

/// Whether an optional kernel or libc feature is usable here, and if not, why.
///
/// Obtained from [Features]; a missing feature disables only what needs it.
///
/// @param name the feature's name, as [Features#all()] keys it
/// @param available whether it can be used
/// @param reason why it is unavailable; for an available feature, what the probe saw
public record Feature(String name, boolean available, String reason) {
    /// Throws unless the feature is available.
    ///
    /// @throws UnsupportedOperationException naming the feature and the reason
    public void ensureAvailable() {
        if (!available) {
            throw new UnsupportedOperationException(name + " is not available: " + reason);
        }
    }

    static Feature yes(String name, String what) {
        return new Feature(name, true, what);
    }

    static Feature no(String name, String why) {
        return new Feature(name, false, why);
    }
}
