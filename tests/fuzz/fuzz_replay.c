// SPDX-License-Identifier: Apache-2.0
/*
 * A libFuzzer target's inputs replayed without libFuzzer: each file named
 * on the command line is passed once to LLVMFuzzerTestOneInput. make
 * coverage links the targets with this and gcc's --coverage, so that the
 * seeds' coverage is measured by gcov like the unit tests'.
 */

#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

int main(int argc, char **argv)
{
	static uint8_t buf[FUZZ_MAX_BLOB + 1];
	int replayed = 0;

	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");

		if (f == NULL) {
			fprintf(stderr, "fuzz-replay: cannot open %s\n", argv[i]);
			return 1;
		}
		/* One byte more than a target looks at: a larger input is
		 * passed as too large, as libFuzzer would pass it. */
		size_t n = fread(buf, 1, sizeof(buf), f);

		(void)fclose(f);
		(void)LLVMFuzzerTestOneInput(buf, n);
		replayed++;
	}
	printf("fuzz-replay: %d input(s)\n", replayed);
	return 0;
}
