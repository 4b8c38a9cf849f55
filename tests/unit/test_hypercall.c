// SPDX-License-Identifier: Apache-2.0
/* core/hypercall.c: the version string packed into four registers. */

#include <string.h>

#include <bulkhead/hypercall.h>

#include "test.h"

/* What a little-endian guest does: store the registers, read a string. */
static void unpack(const uint64_t regs[4], char out[33])
{
	memcpy(out, regs, 32);
	out[32] = '\0';
}

TEST(hypercall_version_round_trip)
{
	uint64_t regs[4];
	char s[33];

	hypercall_pack_version("v1.2-3-gabcdef0-dirty", regs);
	unpack(regs, s);
	CHECK_STR(s, "v1.2-3-gabcdef0-dirty");
	CHECK_EQ(regs[0], 0x672d332d322e3176ull); /* "v1.2-3-g", byte 0 lowest */
	CHECK_EQ(regs[3], 0);
}

TEST(hypercall_version_edges)
{
	uint64_t regs[4];
	char s[33];

	hypercall_pack_version("", regs);
	CHECK_EQ(regs[0] | regs[1] | regs[2] | regs[3], 0);
	/* Longer than 32 bytes: cut, no NUL in the registers. */
	hypercall_pack_version("0123456789abcdef0123456789ABCDEFtail", regs);
	unpack(regs, s);
	CHECK_STR(s, "0123456789abcdef0123456789ABCDEF");
	CHECK_EQ(regs[3] >> 56, 'F');
}
