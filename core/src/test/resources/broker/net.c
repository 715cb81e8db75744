/* Connects to 127.0.0.1:PORT twice (the test allows the first, denies the second), then sends a
   datagram to 127.0.0.1:PORT, printing each result and errno. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    for (int i = 0; i < 2; i++) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        int r = connect(s, (struct sockaddr *) &a, sizeof a);
        printf("connect %d %d\n", r, r < 0 ? errno : 0);
        if (r == 0 && write(s, "hello", 5) != 5) {
            return 3;
        }
        close(s);
    }
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    long n = sendto(u, "dgram", 5, 0, (struct sockaddr *) &a, sizeof a);
    printf("sendto %ld %d\n", n, n < 0 ? errno : 0);
    return 0;
}
