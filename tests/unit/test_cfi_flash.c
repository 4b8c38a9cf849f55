// SPDX-License-Identifier: Apache-2.0
/* The CFI flash bank's command state machine (core/cfi_flash.c) over a
 * buffer: as QEMU virt's flash is set up (two x16 chips on a 32-bit bus,
 * 256 KiB blocks), the sequences EDK2's and U-Boot's drivers write, and
 * stores aimed outside the block they name or past the bank's end. */

#include <string.h>

#include <bulkhead/cfi_flash.h>

#include "test.h"

#define BANK 0x100000u  /* four blocks */
#define BLOCK 0x40000u
#define DUAL(c) ((uint64_t)(c) << 16 | (uint64_t)(c)) /* one command, both chips */

static uint8_t store[BANK + 16]; /* the tail: must never be written */
static struct cfi_flash bank;

static void setup(uint8_t bank_width, uint8_t device_width)
{
	const struct cfi_geometry geo = {bank_width, device_width, BLOCK};

	memset(store, 0x5a, sizeof(store));
	cfi_flash_init(&bank, store, BANK, &geo);
}

static uint64_t rd(uint64_t offset, unsigned int size)
{
	uint64_t v = 0xdeadbeef;

	CHECK(cfi_flash_read(&bank, offset, size, &v));
	return v;
}

static void wr(uint64_t offset, uint64_t value)
{
	CHECK(cfi_flash_write(&bank, offset, value, 4));
}

static bool all(uint64_t from, uint64_t size, uint8_t byte)
{
	for (uint64_t i = 0; i < size; i++) {
		if (store[from + i] != byte)
			return false;
	}
	return true;
}

TEST(cfi_flash_query_describes_the_bank) /* reqs: REQ-PAR-007 */
{
	setup(4, 2);
	CHECK(cfi_flash_reads_array(&bank));
	CHECK_EQ(rd(0x10, 4), 0x5a5a5a5aull); /* the array: the store */
	wr(0x55 * 4, DUAL(0x98));
	CHECK(!cfi_flash_reads_array(&bank));
	/* Each chip answers in its own 16-bit lane, at word index * 4. */
	CHECK_EQ(rd(0x10 * 4, 4), 0x00510051ull); /* 'Q' */
	CHECK_EQ(rd(0x11 * 4, 4), 0x00520052ull); /* 'R' */
	CHECK_EQ(rd(0x12 * 4, 4), 0x00590059ull); /* 'Y' */
	CHECK_EQ(rd(0x13 * 4, 1), 0x01ull);        /* Intel/Sharp command set */
	CHECK_EQ(rd(0x27 * 4, 1), 19ull);          /* a chip: 512 KiB */
	CHECK_EQ(rd(0x28 * 4, 1), 1ull);           /* x16 */
	CHECK_EQ(rd(0x2c * 4, 1), 1ull);           /* one erase region, */
	CHECK_EQ(rd(0x2d * 4, 2), 3ull);           /* of four blocks, */
	CHECK_EQ(rd(0x2f * 4, 1), 0ull);           /* of 0x200 * 256 bytes a chip */
	CHECK_EQ(rd(0x30 * 4, 1), 2ull);
	CHECK_EQ(rd(0x31 * 4, 4), DUAL('P'));
	/* A byte-wide probe lands in another table index: no 'Q' there,
	 * so a driver probing an 8-bit bus finds nothing. */
	CHECK_EQ(rd(0x10, 1), 0ull);
	CHECK_EQ(rd(0x10 * 4 + 1, 1), 0ull); /* the high byte of chip 0's lane */
	CHECK_EQ(rd(0x10 * 4, 8), 0x0052005200510051ull);
	wr(0, DUAL(0xff));
	CHECK(cfi_flash_reads_array(&bank));
	CHECK_EQ(rd(0x40, 4), 0x5a5a5a5aull);
	/* The whole table, chip 0's lane, as JESD68 lays it out. */
	static const uint8_t table[0x36 - 0x10] = {
		'Q', 'R', 'Y', 0x01, 0x00, 0x31, 0x00, 0x00, 0x00, 0x00, 0x00, 0x45, 0x55, 0x00,
		0x00, 0x06, 0x08, 0x0a, 0x00, 0x04, 0x04, 0x04, 0x00, 19, 0x01, 0x00, 0x08, 0x00,
		0x01, 0x03, 0x00, 0x00, 0x02, 'P', 'R', 'I', '1', '0'};

	wr(0, DUAL(0x98));
	for (unsigned int i = 0; i < sizeof(table); i++)
		CHECK_EQ(rd((0x10 + i) * 4, 2), (uint64_t)table[i]);
	CHECK_EQ(rd(0x36 * 4, 4), 0ull);
	/* One x8 chip on an 8-bit bus: the table byte by byte. */
	setup(1, 1);
	CHECK(cfi_flash_write(&bank, 0x55, 0x98, 1));
	CHECK_EQ(rd(0x10, 1), (uint64_t)'Q');
	CHECK_EQ(rd(0x28, 1), 0ull); /* x8 */
	CHECK_EQ(rd(0x27, 1), 20ull);
}

TEST(cfi_flash_erase_and_program) /* reqs: REQ-PAR-007 */
{
	setup(4, 2);
	wr(BLOCK + 0x100, DUAL(0x20));
	CHECK(!cfi_flash_reads_array(&bank));
	wr(BLOCK + 0x100, DUAL(0xd0));
	CHECK(all(BLOCK, BLOCK, 0xff));
	CHECK(all(0, BLOCK, 0x5a) && all(2 * BLOCK, BANK - 2 * BLOCK, 0x5a));
	CHECK_EQ(rd(BLOCK, 4), 0x00800080ull); /* status: ready, no error */
	CHECK_EQ(bank.erases, 1u);
	/* Word program; a second one only clears bits, as NOR flash. */
	wr(BLOCK, DUAL(0x40));
	wr(BLOCK + 8, 0x12345678);
	CHECK_EQ(rd(BLOCK, 4), 0x00800080ull);
	wr(BLOCK, DUAL(0x10));
	wr(BLOCK + 8, 0xffff00ff);
	wr(0, DUAL(0xff));
	CHECK_EQ(rd(BLOCK + 8, 4), 0x12340078ull);
	CHECK_EQ(rd(BLOCK + 12, 4), 0xffffffffull);
	CHECK_EQ(bank.programs, 2u);
	/* Buffered program (EDK2's 32 words, U-Boot's buffer): 0xE8, the
	 * word count minus one, the words, confirm. */
	wr(BLOCK + 0x200, DUAL(0xe8));
	CHECK_EQ(rd(BLOCK + 0x200, 4) & 0x00800080ull, 0x00800080ull); /* buffer free */
	wr(BLOCK + 0x200, DUAL(3));
	for (unsigned int i = 0; i < 4; i++)
		wr(BLOCK + 0x200 + 4 * i, 0xa0a0a0a0u + i);
	CHECK(!cfi_flash_reads_array(&bank));
	wr(BLOCK + 0x200, DUAL(0xd0));
	CHECK_EQ(rd(BLOCK, 4), 0x00800080ull);
	wr(0, DUAL(0x50)); /* clear status: back to the array */
	CHECK(cfi_flash_reads_array(&bank));
	CHECK_EQ(rd(BLOCK + 0x20c, 4), 0xa0a0a0a3ull);
	CHECK_EQ(rd(BLOCK + 0x210, 4), 0xffffffffull);
	CHECK_EQ(bank.programs, 6u);
	CHECK_EQ(bank.refused, 0u);
}

TEST(cfi_flash_id_lock_and_reset) /* reqs: REQ-PAR-007 */
{
	setup(4, 2);
	wr(0, DUAL(0x90));
	CHECK_EQ(rd(0, 4), 0x00890089ull);
	CHECK_EQ(rd(4, 4), 0x00180018ull);
	CHECK_EQ(rd(2 * BLOCK + 8, 4), 0ull);   /* the block's lock: unlocked */
	CHECK_EQ(rd(2 * BLOCK, 4), 0x00890089ull);
	wr(0, DUAL(0x70)); /* read status */
	CHECK_EQ(rd(0, 4), 0x00800080ull);
	/* Unlock (U-Boot before saveenv, EDK2 before an erase) and lock. */
	wr(BLOCK, DUAL(0x60));
	wr(BLOCK, DUAL(0xd0));
	CHECK_EQ(rd(BLOCK, 4), 0x00800080ull);
	wr(BLOCK, DUAL(0x60));
	wr(BLOCK, DUAL(0x01));
	CHECK_EQ(rd(BLOCK, 4), 0x00800080ull);
	wr(BLOCK, DUAL(0x60));
	wr(BLOCK, DUAL(0x55)); /* no lock command */
	CHECK_EQ(rd(BLOCK, 4), 0x00b000b0ull);
	wr(0, DUAL(0x50));
	/* A restart: back to the array, what was stored kept. */
	wr(0, DUAL(0x40));
	wr(0, 0);
	wr(0, DUAL(0x98));
	cfi_flash_reset(&bank);
	CHECK(cfi_flash_reads_array(&bank));
	CHECK_EQ(rd(0, 4), 0ull);
	CHECK_EQ(rd(4, 4), 0x5a5a5a5aull);
}

/* Hostile: every sequence gone wrong leaves the store as it was outside
 * what a valid command names, and says so in the status. */
TEST(cfi_flash_refuses_what_leaves_its_block_or_bank) /* reqs: REQ-PAR-007 REQ-ISO-001 */
{
	setup(4, 2);
	/* Past the bank's end: nothing done, the caller aborts the access. */
	uint64_t v = 0;

	CHECK(!cfi_flash_write(&bank, BANK, DUAL(0x20), 4));
	CHECK(!cfi_flash_write(&bank, BANK - 2, DUAL(0x40), 4));
	CHECK(!cfi_flash_write(&bank, ~0ull - 1, 0x40, 4));
	CHECK(!cfi_flash_read(&bank, BANK - 4, 8, &v));
	CHECK(!cfi_flash_write(&bank, 0, 0, 3));
	CHECK(cfi_flash_reads_array(&bank));
	/* A program whose data would run past the end: refused before it. */
	wr(BANK - 4, DUAL(0x40));
	CHECK(!cfi_flash_write(&bank, BANK - 4, 0, 8));
	CHECK(cfi_flash_write(&bank, BANK - 4, 0, 4));
	CHECK(all(BANK - 4, 4, 0x00) && all(BANK, 16, 0x5a));
	/* Buffered data aimed outside the block the 0xE8 named. */
	wr(0, DUAL(0x50));
	wr(BLOCK, DUAL(0xe8));
	wr(BLOCK, DUAL(1));
	wr(BLOCK, 0);
	wr(2 * BLOCK, 0);        /* the next block */
	CHECK_EQ(rd(BLOCK, 4), 0x00b000b0ull); /* ready, sequence error */
	CHECK(all(2 * BLOCK, 4, 0x5a));
	CHECK_EQ(bank.refused, 1u);
	/* Straddling the block's end, one byte in. */
	wr(0, DUAL(0x50));
	wr(BLOCK, DUAL(0xe8));
	wr(BLOCK, DUAL(0));
	wr(2 * BLOCK - 2, 0);
	CHECK(all(2 * BLOCK - 2, 4, 0x5a));
	CHECK_EQ(bank.refused, 2u);
	/* A count beyond the buffer (512 bytes: no more stores than that). */
	wr(0, DUAL(0x50));
	wr(BLOCK, DUAL(0xe8));
	wr(BLOCK, DUAL(512));
	CHECK_EQ(rd(BLOCK, 4), 0x00b000b0ull);
	wr(BLOCK + 0x40, 0); /* in status mode now: a command, not data */
	CHECK(all(BLOCK + 0x40, 4, 0x5a));
	/* A count the buffer takes, in stores wider than it holds: the
	 * 129th word (516 bytes) is refused. */
	wr(0, DUAL(0x50));
	wr(BLOCK, DUAL(0xe8));
	wr(BLOCK, DUAL(200));
	for (unsigned int i = 0; i < 128; i++)
		wr(BLOCK + 0x1000 + 4 * i, 0);
	CHECK(!cfi_flash_reads_array(&bank));
	CHECK_EQ(rd(BLOCK, 4), 0x00800080ull);
	wr(BLOCK + 0x1000 + 4 * 128, 0);
	CHECK_EQ(rd(BLOCK, 4), 0x00b000b0ull);
	CHECK(all(BLOCK + 0x1000 + 4 * 128, 4, 0x5a) && all(BLOCK + 0x1000, 4, 0x00));
	/* Words beyond the count, then no confirm. */
	wr(0, DUAL(0x50));
	wr(BLOCK, DUAL(0xe8));
	wr(BLOCK, DUAL(0));
	wr(BLOCK + 4, 0x11111111);
	wr(BLOCK + 8, 0x22222222);
	CHECK_EQ(rd(BLOCK, 4), 0x00b000b0ull);
	CHECK(all(BLOCK + 8, 4, 0x5a));
	/* An erase not confirmed erases nothing. */
	wr(0, DUAL(0x50));
	wr(3 * BLOCK, DUAL(0x20));
	wr(3 * BLOCK, DUAL(0xff));
	CHECK_EQ(rd(3 * BLOCK, 4), 0x00b000b0ull);
	CHECK(all(3 * BLOCK, BLOCK - 4, 0x5a));
	CHECK_EQ(bank.erases, 0u);
	/* A command not of this set: ignored, back to the array. */
	wr(0, DUAL(0x50));
	wr(0x555 * 4, DUAL(0xaa));
	CHECK(cfi_flash_reads_array(&bank));
	CHECK(all(BANK, 16, 0x5a));
}
