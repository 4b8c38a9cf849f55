// SPDX-License-Identifier: Apache-2.0
/*
 * Firmware driving a CFI flash bank (docs/partition-firmware.md,
 * core/cfi_flash.c) at 0x04000000: two 256 KiB blocks, two x16 chips on a
 * 32-bit bus, as QEMU virt's flash. What must work has to work; what
 * must be refused has to be refused, with the bank's status saying so or
 * an exception this program catches:
 *   - the CFI query answers "QRY" and the bank's geometry;
 *   - on its first boot: a word program in block 1; buffered program data
 *     aimed outside the block its command named (refused: status 0xb0 in
 *     each chip's lane, the word untouched); an erase not confirmed
 *     (refused, nothing erased); a program whose data runs past the bank's
 *     end, and a command just past it (both contained); then a restart;
 *   - on its second: the programmed word kept, then an erase of its block.
 * It counts the programs and erases it asks for, so the test can hold them
 * against the hypervisor's own count.
 */

#include <stdio.h>

#include "contain.h"
#include "rt.h"

#define BANK 0x04000000ull
#define BANK_SIZE 0x80000ull
#define BLOCK 0x40000ull
#define STORED 0x43464921u /* "!IFC" */
#define DUAL(c) ((uint32_t)(c) << 16 | (uint32_t)(c)) /* one command, both chips */
#define READY DUAL(0x80)
#define SEQUENCE_ERROR DUAL(0xb0)

static volatile uint32_t *at(uint64_t offset)
{
	return (volatile uint32_t *)(uintptr_t)(BANK + offset);
}

static void cmd(uint64_t offset, uint32_t c)
{
	*at(offset) = DUAL(c);
}

/* Status, then back to the array with a clear status. */
static uint32_t finish(uint64_t offset)
{
	uint32_t status = *at(offset);

	cmd(0, 0x50);
	cmd(0, 0xff);
	return status;
}

static void program_past_end(void)
{
	cmd(BANK_SIZE - 4, 0x40);
	/* Eight bytes from four before the end: half of them outside. */
	*(volatile uint64_t *)(uintptr_t)(BANK + BANK_SIZE - 4) = 0;
}

static void command_past_end(void)
{
	cmd(BANK_SIZE, 0x20);
}

static void first_boot(void)
{
	unsigned int programs = 0;

	cmd(BLOCK, 0x40);
	*at(BLOCK) = STORED;
	programs++;
	printf("cfiattack: word program: status 0x%08x, reads 0x%08x\n", (unsigned int)finish(BLOCK),
	       (unsigned int)*at(BLOCK));
	/* Two words announced at block 0; the second aimed at block 1. */
	cmd(0, 0xe8);
	cmd(0, 1);
	*at(0x100) = 0;
	programs++;
	*at(BLOCK + 4) = 0;
	uint32_t status = finish(0);

	printf("cfiattack: buffered data outside its block: status 0x%08x, %s\n",
	       (unsigned int)status, *at(BLOCK + 4) == 0xffffffffu ? "refused" : "WRITTEN");
	cmd(BLOCK, 0x20);
	cmd(BLOCK, 0xff);
	status = finish(BLOCK);
	printf("cfiattack: erase not confirmed: status 0x%08x, %s\n", (unsigned int)status,
	       *at(BLOCK) == STORED ? "nothing erased" : "ERASED");
	contain_refused("cfiattack", "program past the bank's end", program_past_end);
	/* That program still waits for its data: all ones change nothing. */
	*at(BANK_SIZE - 4) = 0xffffffffu;
	programs++;
	cmd(0, 0x50);
	contain_refused("cfiattack", "command past the bank's end", command_past_end);
	cmd(0, 0xff);
	printf("cfiattack: asked for %u programs, 0 erases, 2 refused; restarting\n", programs);
	psci_system_reset();
}

int main(void)
{
	rt_set_sync_handler(contain_on_abort);
	cmd(0x55 * 4, 0x98);
	printf("cfiattack: query %c%c%c, %u blocks of 0x%x bytes a chip\n", (char)*at(0x10 * 4),
	       (char)*at(0x11 * 4), (char)*at(0x12 * 4), (unsigned int)(*at(0x2d * 4) & 0xff) + 1u,
	       (unsigned int)((*at(0x2f * 4) & 0xff) | (*at(0x30 * 4) & 0xff) << 8) * 256u);
	cmd(0, 0xff);
	if (*at(BLOCK) == 0xffffffffu)
		first_boot();
	printf("cfiattack: program kept across the restart: 0x%08x\n", (unsigned int)*at(BLOCK));
	cmd(BLOCK, 0x20);
	cmd(BLOCK, 0xd0);
	uint32_t status = finish(BLOCK);

	printf("cfiattack: erase: status 0x%08x, reads 0x%08x\n", (unsigned int)status,
	       (unsigned int)*at(BLOCK));
	psci_system_off();
}
