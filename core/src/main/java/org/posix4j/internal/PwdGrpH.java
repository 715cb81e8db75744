package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/// Raw bindings for <pwd.h> and <grp.h>. No policy here.
public final class PwdGrpH {
    private PwdGrpH() {}

    /// int getpwnam_r(const char *name, struct passwd *pwd, char *buf, size_t buflen, struct passwd **result);
    /// getpwnam(3); returns an error number, and 0 with a null result when there is no such user.
    public static final CIntFunction GETPWNAM_R = Libc.intFunction("getpwnam_r");
    /// int getpwuid_r(uid_t uid, struct passwd *pwd, char *buf, size_t buflen, struct passwd **result);   getpwuid(3)
    public static final CIntFunction GETPWUID_R = Libc.intFunction("getpwuid_r");
    /// int getgrnam_r(const char *name, struct group *grp, char *buf, size_t buflen, struct group **result);   getgrnam(3)
    public static final CIntFunction GETGRNAM_R = Libc.intFunction("getgrnam_r");
    /// int getgrgid_r(gid_t gid, struct group *grp, char *buf, size_t buflen, struct group **result);   getgrgid(3)
    public static final CIntFunction GETGRGID_R = Libc.intFunction("getgrgid_r");
    /// int initgroups(const char *user, gid_t group);   initgroups(3)
    public static final CIntFunction INITGROUPS = Libc.intFunction("initgroups");
    /// int setgroups(size_t size, const gid_t *list);   setgroups(2); glibc applies it to every thread.
    public static final CIntFunction SETGROUPS = Libc.intFunction("setgroups");

    /// struct passwd
    public static final StructLayout PASSWD = MemoryLayout.structLayout(
            ADDRESS.withName("pw_name"),
            ADDRESS.withName("pw_passwd"),
            JAVA_INT.withName("pw_uid"),
            JAVA_INT.withName("pw_gid"),
            ADDRESS.withName("pw_gecos"),
            ADDRESS.withName("pw_dir"),
            ADDRESS.withName("pw_shell"));
    /// struct group
    public static final StructLayout GROUP = MemoryLayout.structLayout(
            ADDRESS.withName("gr_name"),
            ADDRESS.withName("gr_passwd"),
            JAVA_INT.withName("gr_gid"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("gr_mem"));

    static {
        Abi.check("struct passwd", PASSWD, 48);
        Abi.check("struct group", GROUP, 32);
    }
}
