/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the libFuzzer targets in tests/fuzz. */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The largest blob the targets look at (larger inputs are skipped). */
#define FUZZ_MAX_BLOB (64 * 1024)

/* @data copied to an aligned buffer if it passes the checks the hypervisor
 * makes on the DT it boots with (header, total size); else NULL. */
const void *fuzz_blob(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An oracle: abort (libFuzzer keeps the input) naming what failed. */
#define FUZZ_ASSERT(cond)                                                               \
	do {                                                                            \
		if (!(cond)) {                                                          \
			fprintf(stderr, "fuzz: oracle failed: %s (%s:%d)\n", #cond, __FILE__, \
				__LINE__);                                              \
			abort();                                                        \
		}                                                                       \
	} while (0)

/* The fuzzer's input read as a stream of little-endian numbers. */
struct fuzz_input {
	const uint8_t *at;
	size_t left;
};

/* The next @bytes bytes (fewer, zero-filled, at the end of the input). */
static inline uint64_t fuzz_take(struct fuzz_input *in, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes && in->left > 0; i++, in->at++, in->left--)
		v |= (uint64_t)*in->at << (8 * i);
	return v;
}

#endif
