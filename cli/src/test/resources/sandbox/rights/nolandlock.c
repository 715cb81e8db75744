/* Runs a command on a kernel that seems to have no Landlock: sets PR_SET_NO_NEW_PRIVS and
 * installs a seccomp filter that makes landlock_create_ruleset fail with ENOSYS (as on a kernel
 * built without it) and allows every other call, then executes argv[1] with its arguments. The
 * filter is inherited by the command and everything it starts; a filter stacked later (the
 * broker's) cannot undo the ENOSYS. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH AUDIT_ARCH_AARCH64
#else
#error "unknown architecture"
#endif

/* landlock_create_ruleset is 444 on both architectures (the generic table). */
#define LANDLOCK_CREATE_RULESET 444

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: nolandlock PROGRAM [ARG...]\n");
        return 2;
    }
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        /* Another architecture's call numbers mean other calls: let them be. */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, LANDLOCK_CREATE_RULESET, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {.len = sizeof code / sizeof code[0], .filter = code};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
        perror("nolandlock: prctl(PR_SET_NO_NEW_PRIVS)");
        return 125;
    }
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
        perror("nolandlock: seccomp(SECCOMP_SET_MODE_FILTER)");
        return 125;
    }
    execvp(argv[1], argv + 1);
    perror("nolandlock: execvp");
    return 127;
}
