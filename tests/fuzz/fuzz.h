/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the libFuzzer targets in tests/fuzz. */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* The largest blob the targets look at (larger inputs are skipped). */
#define FUZZ_MAX_BLOB (64 * 1024)

/* @data copied to an aligned buffer if it passes the checks the hypervisor
 * makes on the DT it boots with (header, total size); else NULL. */
const void *fuzz_blob(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
