/*
 * tools/langid/langid_eval.c - run tolk's identifier over a TSV file
 * (lang TAB text per line) for tools/langid/eval.py and the benchmark.
 *
 *   langid_eval [--bench ROUNDS] < FILE.tsv
 *
 * Prints "gold TAB predicted TAB confidence TAB group" per line; with
 * --bench, identifies every text ROUNDS times and prints only
 * "texts N bytes B seconds S".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lang/lang.h"

int
main(int argc, char **argv)
{
	char		**lines = NULL, *line = NULL;
	size_t		  n = 0, cap = 0, lcap = 0, i, bytes = 0;
	ssize_t		  len;
	long		  rounds = 0, k;
	struct lang_result r;
	struct timespec	  t0, t1;

	if (argc == 3 && strcmp(argv[1], "--bench") == 0)
		rounds = strtol(argv[2], NULL, 10);
	while ((len = getline(&line, &lcap, stdin)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			lines = realloc(lines, cap * sizeof *lines);
		}
		lines[n++] = strdup(line);
	}
	free(line);
	if (rounds > 0) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (k = 0; k < rounds; k++) {
			for (i = 0; i < n; i++) {
				char *t = strchr(lines[i], '\t');

				t = t ? t + 1 : lines[i];
				langid_detect(t, strlen(t), NULL, &r);
				bytes += strlen(t);
			}
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("texts %zu bytes %zu seconds %.6f\n", n * (size_t)rounds,
		    bytes, (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	} else {
		for (i = 0; i < n; i++) {
			char *t = strchr(lines[i], '\t');

			if (t == NULL)
				continue;
			*t++ = '\0';
			langid_detect(t, strlen(t), NULL, &r);
			printf("%s\t%s\t%.4f\t%s\n", lines[i],
			    r.code[0] ? r.code : "und", r.confidence,
			    r.group ? r.group : "-");
		}
	}
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	return 0;
}
