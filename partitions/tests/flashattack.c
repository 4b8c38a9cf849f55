// SPDX-License-Identifier: Apache-2.0
/*
 * Hostile firmware (docs/partition-firmware.md): a partition with a
 * read-only flash region at guest 0 (its image: two instructions, "mov x0,
 * #42; ret") and a writable one at 0x04000000, that tries what a broken
 * or malicious firmware might. Each access that must be refused has to
 * come back as an exception this program catches; each that must work, has
 * to work:
 *   - read the code in the read-only region (this runtime maps guest 0 as
 *     device memory, never executable, so it is read, not called);
 *   - write the read-only region (ignored, as flash ignores a write it does
 *     not take as a command: the region must read the same after it);
 *   - write past the end of the writable region (refused: nothing there);
 *   - read a neighbour's device, the PL031 RTC (refused);
 *   - on its first boot, store a word in the writable region and restart
 *     (PSCI SYSTEM_RESET); on the second, find it kept.
 */

#include <stdio.h>

#include "contain.h"
#include "rt.h"

#define CODE_FLASH 0x0ull
#define STORE_FLASH 0x04000000ull
#define STORE_SIZE 0x40000ull
#define NEIGHBOUR_RTC 0x09010000ull
#define STORED 0x5354524fu /* "STRO" */

/* Read at run time: guest 0 as a constant would be a null pointer, which
 * the compiler may assume is never called or written. */
static volatile uintptr_t code_flash = CODE_FLASH;

static void write_code_flash(void)
{
	*(volatile uint32_t *)code_flash = 0xd503201fu; /* a NOP over its code */
}

static void write_past_store(void)
{
	*(volatile uint32_t *)(uintptr_t)(STORE_FLASH + STORE_SIZE) = STORED;
}

static void read_rtc(void)
{
	(void)*(volatile uint32_t *)(uintptr_t)NEIGHBOUR_RTC;
}

int main(void)
{
	volatile uint32_t *store = (volatile uint32_t *)(uintptr_t)STORE_FLASH;
	volatile uint32_t *code = (volatile uint32_t *)code_flash;

	rt_set_sync_handler(contain_on_abort);
	printf("flashattack: read-only flash holds 0x%08x 0x%08x\n", (unsigned int)code[0],
	       (unsigned int)code[1]);
	uint32_t before = code[0];

	write_code_flash();
	printf("flashattack: write to read-only flash: %s\n",
	       code[0] == before && caught == 0u ? "ignored" : "NOT IGNORED");
	contain_refused("flashattack", "write past the writable flash", write_past_store);
	contain_refused("flashattack", "read of a device it does not own", read_rtc);
	if (*store != STORED) {
		printf("flashattack: store 0x%x on first boot; storing and restarting\n",
		       (unsigned int)*store);
		*store = STORED;
		psci_system_reset();
	}
	printf("flashattack: store kept across the restart\n");
	psci_system_off();
}
