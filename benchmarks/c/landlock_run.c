/*
 * The minimal Landlock launcher of the sandbox-modes benchmark (scripts/bench-sandbox-modes.sh):
 * the floor for enforcing a file allow-list in the kernel, to compare `posix4j sandbox --enforce
 * kernel` with.
 *
 *   landlock_run [-r PATH]... [-w PATH]... [--] PROGRAM [ARG...]
 *       Creates a Landlock ruleset handling every filesystem right the running kernel's ABI knows
 *       (best effort: the rights of newer ABIs are left out on older kernels), allows read, list
 *       and execute below each -r PATH and every handled right below each -w PATH (the file rights
 *       only, when PATH is not a directory), sets PR_SET_NO_NEW_PRIVS, restricts itself and
 *       execvp's PROGRAM. Exits 125 when the ruleset cannot be made or applied, 127 when PROGRAM
 *       cannot be executed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Rights of ABI 3 and 5, newer than Debian 12's kernel headers (6.1). */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif

#define READ_EXEC \
    (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
/* The rights a rule on a file that is not a directory may carry; the kernel refuses others. */
#define FILE_RIGHTS \
    (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE | \
     LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_IOCTL_DEV)

static void fail(const char *what) {
    fprintf(stderr, "landlock_run: %s: %s\n", what, strerror(errno));
    exit(125);
}

/* The filesystem rights of an ABI version: 1 knows bits 0-12, 2 adds REFER, 3 TRUNCATE, 5
 * IOCTL_DEV (4 and 6 added network and scope rights only). */
static uint64_t fs_rights(int abi) {
    uint64_t rights = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;
    if (abi >= 2) rights |= LANDLOCK_ACCESS_FS_REFER;
    if (abi >= 3) rights |= LANDLOCK_ACCESS_FS_TRUNCATE;
    if (abi >= 5) rights |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
    return rights;
}

static void add_rule(int ruleset, const char *path, uint64_t rights) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) fail(path);
    struct stat st;
    if (fstat(fd, &st) != 0) fail(path);
    if (!S_ISDIR(st.st_mode)) rights &= FILE_RIGHTS;
    struct landlock_path_beneath_attr rule = {.allowed_access = rights, .parent_fd = fd};
    if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) != 0) fail(path);
    close(fd);
}

int main(int argc, char **argv) {
    int abi = (int) syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (abi < 1) fail("Landlock");
    uint64_t handled = fs_rights(abi);
    struct landlock_ruleset_attr attr = {.handled_access_fs = handled};
    int ruleset = (int) syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (ruleset < 0) fail("landlock_create_ruleset");
    int opt;
    /* '+': options end at PROGRAM, whose own options are its business. */
    while ((opt = getopt(argc, argv, "+r:w:")) != -1) {
        switch (opt) {
        case 'r': add_rule(ruleset, optarg, READ_EXEC & handled); break;
        case 'w': add_rule(ruleset, optarg, handled); break;
        default:
            fprintf(stderr, "usage: landlock_run [-r PATH]... [-w PATH]... [--] PROGRAM [ARG...]\n");
            return 125;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "usage: landlock_run [-r PATH]... [-w PATH]... [--] PROGRAM [ARG...]\n");
        return 125;
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail("PR_SET_NO_NEW_PRIVS");
    if (syscall(SYS_landlock_restrict_self, ruleset, 0) != 0) fail("landlock_restrict_self");
    close(ruleset);
    execvp(argv[optind], argv + optind);
    fprintf(stderr, "landlock_run: %s: %s\n", argv[optind], strerror(errno));
    return 127;
}
