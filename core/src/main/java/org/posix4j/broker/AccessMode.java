package org.posix4j.broker;

import java.util.EnumSet;
import java.util.Set;

/// A permission asked for by an arbitrated `access` or `eaccess`: the seed's `"r"`, `"w"`,
/// `"x"`. The seed's `"f"` (existence only) is the empty set.
public enum AccessMode {
    /// R_OK, the seed's "r"
    READ("r", 4),
    /// W_OK, the seed's "w"
    WRITE("w", 2),
    /// X_OK, the seed's "x"
    EXECUTE("x", 1);

    private final String seedName;
    private final int bit;

    AccessMode(String seedName, int bit) {
        this.seedName = seedName;
        this.bit = bit;
    }

    /// The seed's name: "r", "w" or "x".
    public String seedName() {
        return seedName;
    }

    @Override
    public String toString() {
        return seedName;
    }

    static Set<AccessMode> decode(int mode) {
        EnumSet<AccessMode> set = EnumSet.noneOf(AccessMode.class);
        for (AccessMode m : values()) {
            if ((mode & m.bit) != 0) {
                set.add(m);
            }
        }
        return set;
    }

    static int encode(Set<AccessMode> modes) {
        int mode = 0;
        for (AccessMode m : modes) {
            mode |= m.bit;
        }
        return mode;
    }
}
