package org.posix4j.system;

import java.util.List;

/// One group from the group database (struct group), as getgrnam(3) returns it.
///
/// @param name the group name
/// @param gid the group id, an unsigned `gid_t` held in an int (`Integer.toUnsignedString`
///     prints it as id(1) does)
/// @param members the user names listed as members (not those with it as primary group)
public record GroupEntry(String name, int gid, List<String> members) {
    /// Copies the member list.
    public GroupEntry {
        members = List.copyOf(members);
    }

    /// The fields, with the id unsigned as getent(1) prints it.
    @Override
    public String toString() {
        return "GroupEntry[name=" + name + ", gid=" + Integer.toUnsignedString(gid) + ", members=" + members + "]";
    }
}
