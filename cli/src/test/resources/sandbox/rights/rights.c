/* The calls of a Landlock right or a metadata write that no shell tool makes on its own, each
 * printed as "OP PATH: ok" or "OP PATH: ERRNO" so that the test can compare modes:
 *   truncate PATH          truncate(2) to 0 bytes (the TRUNCATE right, without an open)
 *   otrunc PATH            open(PATH, O_RDONLY | O_TRUNC): empties a file opened only for reading
 *   setxattr PATH NAME VAL setxattr(2), a metadata write Landlock does not govern
 *   removexattr PATH NAME  removexattr(2), another
 *   mknod PATH c|b MAJ MIN mknod(2) of a character or block device (MAKE_CHAR, MAKE_BLOCK)
 *   whiteout FROM TO       renameat2(RENAME_WHITEOUT), which leaves a 0:0 character device at FROM
 *   futimens PATH          futimens(3) to 2001-01-01 on a descriptor opened O_RDONLY: a metadata
 *                          write the owner of a file may make through a read-only descriptor
 *   restrictself           landlock_restrict_self(2) of a ruleset handling READ_FILE with no rule,
 *                          so that no file may be opened for reading from then on (after
 *                          landlock_create_ruleset(2), reported under its own name; and
 *                          no_new_privs, which it needs)
 *   read PATH              open(PATH, O_RDONLY), then openat2(2) of it, each reported
 * Several operations may follow one another on the command line. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

static void report(const char *op, const char *path, int r) {
    if (r < 0) {
        printf("%s %s: %s\n", op, path, strerrorname_np(errno) ? strerrorname_np(errno) : "E?");
    } else {
        printf("%s %s: ok\n", op, path);
    }
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; ) {
        const char *op = argv[i];
        if (strcmp(op, "truncate") == 0 && i + 1 < argc) {
            report(op, argv[i + 1], truncate(argv[i + 1], 0));
            i += 2;
        } else if (strcmp(op, "otrunc") == 0 && i + 1 < argc) {
            int fd = open(argv[i + 1], O_RDONLY | O_TRUNC | O_CLOEXEC);
            report(op, argv[i + 1], fd);
            if (fd >= 0) {
                close(fd);
            }
            i += 2;
        } else if (strcmp(op, "setxattr") == 0 && i + 3 < argc) {
            report(op, argv[i + 1], setxattr(argv[i + 1], argv[i + 2], argv[i + 3], strlen(argv[i + 3]), 0));
            i += 4;
        } else if (strcmp(op, "removexattr") == 0 && i + 2 < argc) {
            report(op, argv[i + 1], removexattr(argv[i + 1], argv[i + 2]));
            i += 3;
        } else if (strcmp(op, "mknod") == 0 && i + 4 < argc) {
            mode_t type = strcmp(argv[i + 2], "b") == 0 ? S_IFBLK : S_IFCHR;
            dev_t dev = makedev(strtoul(argv[i + 3], NULL, 10), strtoul(argv[i + 4], NULL, 10));
            report(op, argv[i + 1], mknod(argv[i + 1], type | 0600, dev));
            i += 5;
        } else if (strcmp(op, "whiteout") == 0 && i + 2 < argc) {
            report(op, argv[i + 1], renameat2(AT_FDCWD, argv[i + 1], AT_FDCWD, argv[i + 2], RENAME_WHITEOUT));
            i += 3;
        } else if (strcmp(op, "futimens") == 0 && i + 1 < argc) {
            int fd = open(argv[i + 1], O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                report("open", argv[i + 1], fd);
            } else {
                struct timespec times[2] = {{978307200, 0}, {978307200, 0}};
                report(op, argv[i + 1], futimens(fd, times));
                close(fd);
            }
            i += 2;
        } else if (strcmp(op, "restrictself") == 0) {
            struct landlock_ruleset_attr attr = {.handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE};
            int ruleset = (int) syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
            report("landlock_create_ruleset", "-", ruleset);
            prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
            report("landlock_restrict_self", "-", (int) syscall(SYS_landlock_restrict_self, ruleset, 0));
            if (ruleset >= 0) {
                close(ruleset);
            }
            i += 1;
        } else if (strcmp(op, "read") == 0 && i + 1 < argc) {
            int fd = open(argv[i + 1], O_RDONLY | O_CLOEXEC);
            report("open", argv[i + 1], fd);
            if (fd >= 0) {
                close(fd);
            }
            struct open_how how = {.flags = O_RDONLY | O_CLOEXEC};
            fd = (int) syscall(SYS_openat2, AT_FDCWD, argv[i + 1], &how, sizeof how);
            report("openat2", argv[i + 1], fd);
            if (fd >= 0) {
                close(fd);
            }
            i += 2;
        } else {
            fprintf(stderr, "rights: bad operation at '%s'\n", op);
            return 2;
        }
    }
    return 0;
}
