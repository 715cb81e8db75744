/* The program SandboxProgramsTest compiles with gcc inside the sandbox and then runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct word {
    const char *text;
    int count;
};

static int compare(const void *a, const void *b) {
    return strcmp(((const struct word *) a)->text, ((const struct word *) b)->text);
}

int main(int argc, char **argv) {
    struct word words[16];
    int n = 0;
    for (int i = 1; i < argc && n < 16; i++) {
        words[n].text = argv[i];
        words[n].count = (int) strlen(argv[i]);
        n++;
    }
    qsort(words, (size_t) n, sizeof words[0], compare);
    long total = 0;
    for (int i = 0; i < n; i++) {
        printf("%s %d\n", words[i].text, words[i].count);
        total += words[i].count;
    }
    printf("%d words, %ld letters\n", n, total);
    return n == 0 ? 1 : 0;
}
