/*
 * tests/fuzz/fuzz_main.c - the libFuzzer entry of the targets written as
 * fuzz_check() (see fuzz.h): a broken promise is a crash, with its reason.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "tests/fuzz/fuzz.h"

int	LLVMFuzzerTestOneInput(const unsigned char *, size_t);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char	why[512];

	why[0] = '\0';
	if (fuzz_check(data, size, why, sizeof why) != 0) {
		fprintf(stderr, "fuzz: %s\n", why);
		abort();
	}
	return 0;
}
