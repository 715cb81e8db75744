package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/// Raw bindings for <pwd.h> and <grp.h>. No policy here.
public final class PwdGrpH {
    private PwdGrpH() {}

    private static final FunctionDescriptor LOOKUP_R =
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
    private static final FunctionDescriptor LOOKUP_ID_R =
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);

    /// int getpwnam_r(const char *name, struct passwd *pwd, char *buf, size_t buflen, struct passwd **result);
    /// getpwnam(3); returns an error number, and 0 with a null result when there is no such user.
    public static final MethodHandle GETPWNAM_R = Libc.plain("getpwnam_r", LOOKUP_R);
    /// int getpwuid_r(uid_t uid, struct passwd *pwd, char *buf, size_t buflen, struct passwd **result);   getpwuid(3)
    public static final MethodHandle GETPWUID_R = Libc.plain("getpwuid_r", LOOKUP_ID_R);
    /// int getgrnam_r(const char *name, struct group *grp, char *buf, size_t buflen, struct group **result);   getgrnam(3)
    public static final MethodHandle GETGRNAM_R = Libc.plain("getgrnam_r", LOOKUP_R);
    /// int getgrgid_r(gid_t gid, struct group *grp, char *buf, size_t buflen, struct group **result);   getgrgid(3)
    public static final MethodHandle GETGRGID_R = Libc.plain("getgrgid_r", LOOKUP_ID_R);
    /// int initgroups(const char *user, gid_t group);   initgroups(3)
    public static final MethodHandle INITGROUPS = Libc.errnoSetting("initgroups",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    /// int setgroups(size_t size, const gid_t *list);   setgroups(2); glibc applies it to every thread.
    public static final MethodHandle SETGROUPS = Libc.errnoSetting("setgroups",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS));

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
