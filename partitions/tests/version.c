// SPDX-License-Identifier: Apache-2.0
/*
 * Asks the hypervisor who it is and which version it runs, through the
 * Vendor Specific Hypervisor Service calls of docs/hypercalls.md, and
 * prints the answers for the test to compare with `git describe`; then who
 * this partition is, and a line written by the console hypercall.
 */

#include <stdio.h>
#include <string.h>

#include "rt.h"

#define CALL_UID 0x8600ff01u
#define REVISION 0x8600ff03u
#define VERSION 0xc6000001u
#define VERSION_SMC32 0x86000001u
#define PARTITION_ID 0x86000002u
#define CONSOLE_WRITE 0xc6000003u

/* 8f35e71f-b6fa-4e7a-bcb9-e3185f951378, as the Call UID query returns it. */
static const uint32_t bulkhead_uid[4] = {0x1fe7358f, 0x7a4efab6, 0x18e3b9bc, 0x7813955f};

int main(void)
{
	uint64_t r[4];
	char version[33];

	smccc_call(CALL_UID, 0, 0, 0, r);
	bool is_bulkhead = true;

	for (int i = 0; i < 4; i++)
		is_bulkhead &= (uint32_t)r[i] == bulkhead_uid[i];
	printf("version: hypervisor UID %08x-%08x-%08x-%08x: %s\n", (unsigned int)r[0],
	       (unsigned int)r[1], (unsigned int)r[2], (unsigned int)r[3],
	       is_bulkhead ? "Bulkhead" : "unknown");
	smccc_call(REVISION, 0, 0, 0, r);
	printf("version: hypercall ABI %u.%u\n", (unsigned int)r[0], (unsigned int)r[1]);
	smccc_call(VERSION, 0, 0, 0, r);
	memcpy(version, r, 32); /* little endian: byte 0 is x0's lowest */
	version[32] = '\0';
	printf("version: Bulkhead %s\n", version);
	smccc_call(VERSION_SMC32, 0, 0, 0, r);
	printf("version: the SMC32 form returns %d\n", (int)(int32_t)r[0]);
	smccc_call(0xc600ffffu, 0, 0, 0, r);
	printf("version: an unknown vendor call returns %lld\n", (long long)r[0]);
	smccc_call(PARTITION_ID, 0, 0, 0, r);
	printf("version: partition %u, vCPU %u of %u\n", (unsigned int)r[0], (unsigned int)r[1],
	       (unsigned int)r[2]);
	/* "by hypercall\n" in x2-x3, byte 0 lowest; then a count too large. */
	static const char text[16] = "by hypercall\n";
	uint64_t words[2];

	memcpy(words, text, sizeof(words));
	smccc_call(CONSOLE_WRITE, 13, words[0], words[1], r);
	smccc_call(CONSOLE_WRITE, 17, words[0], words[1], r);
	printf("version: console write of 17 bytes returns %lld\n", (long long)r[0]);
	psci_system_off();
}
