/* The headers and the one macro of the ABI probe that scripts/abi-check.sh generates from the
 * Java table (core/src/test/java/org/posix4j/internal/AbiTable.java) and compiles with -S for each
 * architecture. Nothing is run: V(N, EXPR) defines the constant abi_N, which the assembly shows as
 * the label "abi_N:" followed by its value (.quad on x86_64, .xword on aarch64), so a cross
 * compiler is all an architecture needs. A value the headers lack is simply not defined. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <malloc.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>
#include <asm/termbits.h>
#include <linux/audit.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/filter.h>
#include <linux/ioprio.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>

#define V(n, expr) const long long abi_##n = (long long) (expr);
