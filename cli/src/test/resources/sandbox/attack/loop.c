/*
 * Keeps opening an allowed file and a secret one while the test kills the supervisor.
 *
 *   loop ALLOWED SECRET
 *
 * Prints "pid N", then a line each time the result of opening ALLOWED or SECRET changes
 * ("allowed: OK", "secret: EACCES", "allowed: ENOSYS"...), with "data=..." for anything the
 * secret's open let it read. Once ALLOWED has failed 2000 times in a row it prints
 * "stopped: allowed-failures=N secret-opens=M" and exits; it gives up after 30 s.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int attempt(const char *label, const char *path, int *last) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int result = fd < 0 ? errno : 0;
    char data[256] = "";
    if (fd >= 0) {
        ssize_t r = read(fd, data, sizeof data - 1);
        data[r < 0 ? 0 : r] = 0;
        close(fd);
    }
    if (result != *last || (fd >= 0 && strcmp(label, "secret") == 0)) {
        printf("%s: %s%s%s\n", label, result ? strerrorname_np(result) : "OK", fd >= 0 ? " data=" : "", data);
        *last = result;
    }
    return result;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: loop ALLOWED SECRET\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("pid %d\n", (int) getpid());
    int last_allowed = -1, last_secret = -1;
    long failures = 0, secret_opens = 0;
    time_t start = time(NULL);
    while (failures < 2000 && time(NULL) - start < 30) {
        failures = attempt("allowed", argv[1], &last_allowed) ? failures + 1 : 0;
        secret_opens += attempt("secret", argv[2], &last_secret) == 0;
    }
    printf("stopped: allowed-failures=%ld secret-opens=%ld\n", failures, secret_opens);
    return 0;
}
