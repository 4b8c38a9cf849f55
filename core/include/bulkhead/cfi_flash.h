/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A CFI NOR flash bank (Intel/Sharp command set, as on QEMU's virt board)
 * over a writable flash region's backing RAM (docs/partition-firmware.md).
 * Arch-neutral: the arch maps the region read-only while the bank reads
 * its array (reads native, writes trap as commands) and unmaps it in every
 * other read mode (reads trap and get status, query or identifier data).
 * Every operation completes at once, so the bank is never busy.
 */
#ifndef BULKHEAD_CFI_FLASH_H
#define BULKHEAD_CFI_FLASH_H

#include <stdbool.h>
#include <stdint.h>

/* The geometry a flash node states (`bank-width` on a `bulkhead,flash`
 * node turns emulation on; bank_width 0: plain memory). */
struct cfi_geometry {
	uint8_t bank_width;   /* bytes on the bus: 1, 2 or 4 */
	uint8_t device_width; /* bytes per chip: divides bank_width */
	uint32_t block_size;  /* the bank's erase block, bytes (all chips together) */
};

/* Bytes a buffered program may carry per chip (CFI 0x2A: 2^8). */
#define CFI_BUFFER_PER_DEVICE 256u

enum cfi_mode {
	CFI_READ_ARRAY,
	CFI_READ_STATUS,
	CFI_READ_QUERY,
	CFI_READ_ID,
	CFI_ERASE_SETUP,   /* 0x20 seen: 0xD0 erases */
	CFI_PROGRAM_SETUP, /* 0x40/0x10 seen: the next write is data */
	CFI_LOCK_SETUP,    /* 0x60 seen */
	CFI_BUFFER_COUNT,  /* 0xE8 seen: the next write is the word count - 1 */
	CFI_BUFFER_DATA,   /* data words, then 0xD0 */
};

struct cfi_flash {
	uint8_t *store; /* the backing memory, as the hypervisor reaches it */
	uint64_t size;
	struct cfi_geometry geo;
	enum cfi_mode mode;
	uint8_t status;        /* the status register, each chip's alike */
	uint64_t buffer_block; /* the block a buffered program writes into */
	uint32_t buffer_left;  /* data writes still expected */
	uint32_t buffer_used;  /* bytes they brought so far */
	/* Counts since the last reset, for tests and logs: what was done and
	 * what was refused. */
	uint32_t erases;
	uint32_t programs;     /* data writes stored (single or buffered) */
	uint32_t refused;      /* sequence errors and data aimed outside its block */
};

/* Bind @c to @store (@size bytes) with @geo, reading its array. */
void cfi_flash_init(struct cfi_flash *c, void *store, uint64_t size,
		    const struct cfi_geometry *geo);

/* Back to reading the array with a clear status, as at power-on; its
 * counts from zero again. */
void cfi_flash_reset(struct cfi_flash *c);

/* A guest load of @size bytes (1, 2, 4 or 8) at @offset: false if it does
 * not lie inside the bank (the caller contains the access). */
bool cfi_flash_read(const struct cfi_flash *c, uint64_t offset, unsigned int size,
		    uint64_t *value);

/* A guest store: a command, or data while one expects it. False if it does
 * not lie inside the bank. */
bool cfi_flash_write(struct cfi_flash *c, uint64_t offset, uint64_t value, unsigned int size);

static inline bool cfi_flash_reads_array(const struct cfi_flash *c)
{
	return c->mode == CFI_READ_ARRAY;
}

#endif
