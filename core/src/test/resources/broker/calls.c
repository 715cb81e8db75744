/* Makes one of each brokered call on paths that do not exist, and prints what it got back:
   the answers come from the test's own receive/send loop, not from any file system. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void report(const char *what, long r) {
    printf("%s %ld %d\n", what, r, r < 0 ? errno : 0);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    report("mkdir", mkdir("/m/dir", 0750));
    report("rename", rename("/m/a", "/m/b"));
    report("access", access("/m/acc", R_OK | W_OK));
    report("eaccess", faccessat(AT_FDCWD, "/m/eacc", X_OK, AT_EACCESS));
    struct stat st;
    long r = stat("/m/st", &st);
    printf("stat %ld ino=%lu size=%ld mode=%o nlink=%lu mtime=%ld.%09ld blocks=%ld\n", r, (unsigned long) st.st_ino,
           (long) st.st_size, st.st_mode, (unsigned long) st.st_nlink, (long) st.st_mtim.tv_sec,
           st.st_mtim.tv_nsec, (long) st.st_blocks);
    struct statx sx;
    r = statx(AT_FDCWD, "/m/sx", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx);
    printf("statx %ld ino=%llu size=%llu mode=%o mtime=%lld.%09u\n", r, (unsigned long long) sx.stx_ino,
           (unsigned long long) sx.stx_size, sx.stx_mode, (long long) sx.stx_mtime.tv_sec, sx.stx_mtime.tv_nsec);
    char buf[10];
    ssize_t n = readlink("/m/link", buf, sizeof buf);
    printf("readlink %zd %.*s\n", n, (int) (n > 0 ? n : 0), buf);
    int fd = open("/m/new", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    printf("open %d cloexec=%d\n", fd >= 0, fd >= 0 ? (fcntl(fd, F_GETFD) & FD_CLOEXEC) : -1);
    if (fd >= 0 && write(fd, "via-injected-fd", 15) != 15) {
        return 3;
    }
    report("unlink", unlink("/m/gone"));
    report("rmdir", rmdir("/m/rd"));
    if (chdir("/tmp") == 0) {
        report("relative", open("rel/x", O_RDONLY));
    }
    struct open_how how = {.flags = O_RDONLY, .resolve = RESOLVE_BENEATH};
    report("openat2", syscall(SYS_openat2, AT_FDCWD, "q", &how, sizeof how));
    report("chmod", chmod("/m/ch", 04755));
    struct timespec times[2] = {{978307200, 5}, {0, UTIME_OMIT}};
    report("utimensat", utimensat(AT_FDCWD, "/m/ut", times, AT_SYMLINK_NOFOLLOW));
    /* The injected pipe has no path to decide on: refused before the loop sees it. */
    report("futimens-pipe", futimens(fd, NULL));
    report("utimensat-badfd", syscall(SYS_utimensat, 4000, NULL, NULL, 0));
    report("utimensat-fault", syscall(SYS_utimensat, AT_FDCWD, "/m/ut", (void *) 8, 0));
    times[0].tv_nsec = 1000000000;
    report("utimensat-nsec", utimensat(AT_FDCWD, "/m/ut", times, 0));
    struct timespec omit[2] = {{1, UTIME_OMIT}, {2, UTIME_OMIT}};
    report("utimensat-omit", utimensat(AT_FDCWD, "/m/missing", omit, 0));
    report("symlink", symlink("t", "/m/sym"));
    report("link", linkat(AT_FDCWD, "/m/old", AT_FDCWD, "/m/hard", AT_SYMLINK_FOLLOW));
    report("truncate", truncate("/m/tr", 7));
    report("mknod", mknod("/m/fifo", S_IFIFO | 0640, 0));
    /* Refused before the loop sees them, as the kernel checks them first. */
    report("link-empty", linkat(3, "", AT_FDCWD, "/m/h2", AT_EMPTY_PATH));
    report("truncate-negative", syscall(SYS_truncate, "/m/tr", -1L));
    report("mknod-setuid", mknod("/m/suid", S_IFREG | 04755, 0));
    report("mknod-dir", mknod("/m/d", S_IFDIR | 0755, 0));
    return 0;
}
