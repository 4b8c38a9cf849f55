// SPDX-License-Identifier: Apache-2.0
/*
 * CFI NOR flash command emulation (Intel/Sharp command set) over a
 * writable flash region's RAM: what EDK2's variable driver and U-Boot's
 * `saveenv` drive. The bank is one or more chips side by side on the bus
 * (bank_width / device_width of them); a command is written to all of
 * them at once, so the lowest chip's byte of a store is taken as the
 * command, and each chip answers a status, query or identifier read in
 * its own lane. Operations finish at once: status always reads ready.
 * A program clears bits (as NOR flash does: only an erase sets them).
 */

#include <string.h>

#include <bulkhead/cfi_flash.h>

#define ST_READY 0x80u          /* write state machine ready (SR.7) */
#define ST_ERASE_ERROR 0x20u    /* SR.5 */
#define ST_PROGRAM_ERROR 0x10u  /* SR.4; with SR.5: a command sequence error */
#define ST_SEQUENCE_ERROR (ST_ERASE_ERROR | ST_PROGRAM_ERROR)

#define CMD_READ_ARRAY 0xffu
#define CMD_READ_ARRAY_ALT 0x00u  /* not CFI, but QEMU takes it so */
#define CMD_AMD_RESET 0xf0u       /* what probing software writes first */
#define CMD_READ_STATUS 0x70u
#define CMD_CLEAR_STATUS 0x50u
#define CMD_READ_ID 0x90u
#define CMD_QUERY 0x98u
#define CMD_BLOCK_ERASE 0x20u
#define CMD_PROGRAM 0x40u
#define CMD_PROGRAM_ALT 0x10u
#define CMD_LOCK_SETUP 0x60u
#define CMD_BUFFER_PROGRAM 0xe8u
#define CMD_CONFIRM 0xd0u         /* erase, buffer program, unlock */
#define CMD_LOCK 0x01u
#define CMD_LOCK_DOWN 0x2fu

/* The identifier a chip answers in read-ID mode (those QEMU's virt flash
 * gives: Intel, a 28F-series part). */
#define ID_MANUFACTURER 0x89u
#define ID_DEVICE 0x18u

/* Interface codes of CFI 0x28 by chip width. */
#define IFACE_X8 0x00u
#define IFACE_X16 0x01u
#define IFACE_X32 0x03u

static unsigned int log2_u64(uint64_t v)
{
	unsigned int n = 0;

	while (n < 63u && (1ull << n) < v)
		n++;
	return n; /* the smallest n with 2^n >= v */
}

static unsigned int devices(const struct cfi_flash *c)
{
	return (unsigned int)c->geo.bank_width / c->geo.device_width;
}

/* The bank's write buffer: each chip's, side by side. */
static uint32_t buffer_bytes(const struct cfi_flash *c)
{
	return CFI_BUFFER_PER_DEVICE * devices(c);
}

static bool inside(const struct cfi_flash *c, uint64_t offset, unsigned int size)
{
	return (size == 1u || size == 2u || size == 4u || size == 8u) && offset < c->size &&
	       size <= c->size - offset;
}

static uint64_t block_of(const struct cfi_flash *c, uint64_t offset)
{
	return offset & ~((uint64_t)c->geo.block_size - 1u);
}

/* Byte @index of one chip's CFI query table (the structure of JEDEC
 * JESD68 and Intel's primary extended table), built from the geometry. */
static uint8_t query_byte(const struct cfi_flash *c, uint64_t index)
{
	uint64_t chip_size = c->size / devices(c);
	uint64_t blocks = c->size / c->geo.block_size - 1u;
	uint64_t chip_block = (c->geo.block_size / devices(c)) >> 8; /* in 256-byte units */
	uint8_t iface = c->geo.device_width == 1u ? IFACE_X8
			: c->geo.device_width == 2u ? IFACE_X16 : IFACE_X32;

	switch (index) {
	case 0x10: return (uint8_t)'Q';
	case 0x11: return (uint8_t)'R';
	case 0x12: return (uint8_t)'Y';
	case 0x13: return 0x01u; /* primary command set: Intel/Sharp extended */
	case 0x15: return 0x31u; /* its extended table, at 0x31 */
	case 0x1b: return 0x45u; /* Vcc 4.5 - 5.5 V */
	case 0x1c: return 0x55u;
	case 0x1f: return 0x06u; /* typical word program 2^6 us */
	case 0x20: return 0x08u; /* typical buffer program 2^8 us */
	case 0x21: return 0x0au; /* typical block erase 2^10 ms */
	case 0x23: return 0x04u; /* maxima: 2^4 times the typical */
	case 0x24: return 0x04u;
	case 0x25: return 0x04u;
	case 0x27: return (uint8_t)log2_u64(chip_size);
	case 0x28: return iface;
	case 0x2a: return 0x08u; /* CFI_BUFFER_PER_DEVICE = 2^8 bytes */
	case 0x2c: return 0x01u; /* one erase block region */
	case 0x2d: return (uint8_t)(blocks & 0xffu);
	case 0x2e: return (uint8_t)(blocks >> 8);
	case 0x2f: return (uint8_t)(chip_block & 0xffu);
	case 0x30: return (uint8_t)(chip_block >> 8);
	case 0x31: return (uint8_t)'P';
	case 0x32: return (uint8_t)'R';
	case 0x33: return (uint8_t)'I';
	case 0x34: return (uint8_t)'1';
	case 0x35: return (uint8_t)'0';
	default: return 0u; /* optional features, suspend, protection: none */
	}
}

/* What one chip answers, in the lowest byte of its lane, for bus word
 * @word (offset / bank_width) in the current read mode. */
static uint8_t chip_answer(const struct cfi_flash *c, uint64_t word)
{
	if (c->mode == CFI_READ_QUERY)
		return query_byte(c, word);
	if (c->mode == CFI_READ_ID) {
		/* Within each block: manufacturer, device, then the block's lock
		 * status (never locked: locking is not emulated). */
		uint64_t in_block = word & (((uint64_t)c->geo.block_size / c->geo.bank_width) - 1u);

		return in_block == 0u ? ID_MANUFACTURER : in_block == 1u ? ID_DEVICE : 0u;
	}
	return c->status; /* status, and in every setup state */
}

void cfi_flash_init(struct cfi_flash *c, void *store, uint64_t size,
		    const struct cfi_geometry *geo)
{
	(void)memset(c, 0, sizeof(*c));
	c->store = store;
	c->size = size;
	c->geo = *geo;
	cfi_flash_reset(c);
}

void cfi_flash_reset(struct cfi_flash *c)
{
	c->mode = CFI_READ_ARRAY;
	c->status = ST_READY;
	c->buffer_left = 0;
	c->erases = 0;
	c->programs = 0;
	c->refused = 0;
}

bool cfi_flash_read(const struct cfi_flash *c, uint64_t offset, unsigned int size,
		    uint64_t *value)
{
	uint64_t v = 0;

	if (!inside(c, offset, size))
		return false;
	for (unsigned int i = 0; i < size; i++) {
		uint64_t at = offset + i;
		uint8_t byte;

		if (c->mode == CFI_READ_ARRAY)
			byte = c->store[at]; /* a load that raced a switch back to the array */
		else if ((at % c->geo.device_width) != 0u)
			byte = 0u; /* a chip's answer is one byte, zero-extended to its width */
		else
			byte = chip_answer(c, at / c->geo.bank_width);
		unsigned int shift = 8u * i;

		v |= (uint64_t)byte << shift;
	}
	*value = v;
	return true;
}

/* Program: stored bits can only go from 1 to 0. */
static void program(struct cfi_flash *c, uint64_t offset, uint64_t value, unsigned int size)
{
	for (unsigned int i = 0; i < size; i++) {
		unsigned int shift = 8u * i;

		c->store[offset + i] &= (uint8_t)(value >> shift);
	}
	c->programs++;
}

static void sequence_error(struct cfi_flash *c)
{
	c->status |= ST_SEQUENCE_ERROR;
	c->mode = CFI_READ_STATUS;
	c->buffer_left = 0;
	c->refused++;
}

/* A store while no command is under way: the first cycle of one. */
static void first_cycle(struct cfi_flash *c, uint64_t offset, uint8_t cmd)
{
	switch (cmd) {
	case CMD_READ_ARRAY:
	case CMD_READ_ARRAY_ALT:
	case CMD_AMD_RESET:
		c->mode = CFI_READ_ARRAY;
		break;
	case CMD_READ_STATUS:
		c->mode = CFI_READ_STATUS;
		break;
	case CMD_CLEAR_STATUS:
		/* As QEMU's model (which these firmwares are written against)
		 * does: back to the array as well. */
		c->status = ST_READY;
		c->mode = CFI_READ_ARRAY;
		break;
	case CMD_READ_ID:
		c->mode = CFI_READ_ID;
		break;
	case CMD_QUERY:
		c->mode = CFI_READ_QUERY;
		break;
	case CMD_BLOCK_ERASE:
		c->mode = CFI_ERASE_SETUP;
		break;
	case CMD_PROGRAM:
	case CMD_PROGRAM_ALT:
		c->mode = CFI_PROGRAM_SETUP;
		break;
	case CMD_LOCK_SETUP:
		c->mode = CFI_LOCK_SETUP;
		break;
	case CMD_BUFFER_PROGRAM:
		c->buffer_block = block_of(c, offset);
		c->mode = CFI_BUFFER_COUNT;
		break;
	default:
		/* Not a command of this set (an AMD unlock cycle, a stray
		 * confirm): ignored, as QEMU's model does, back to the array. */
		c->refused++;
		c->mode = CFI_READ_ARRAY;
		break;
	}
}

/* A data store of a buffered program: inside the block the 0xE8 named,
 * within the buffer's size. */
static void buffer_data(struct cfi_flash *c, uint64_t offset, uint64_t value, unsigned int size)
{
	if (block_of(c, offset) != c->buffer_block ||
	    block_of(c, offset + size - 1u) != c->buffer_block ||
	    size > buffer_bytes(c) - c->buffer_used) {
		c->status |= ST_PROGRAM_ERROR;
		sequence_error(c);
		return;
	}
	program(c, offset, value, size);
	c->buffer_used += size;
	c->buffer_left--;
}

bool cfi_flash_write(struct cfi_flash *c, uint64_t offset, uint64_t value, unsigned int size)
{
	uint8_t cmd = (uint8_t)value;
	/* The lowest chip's lane: the word count of a buffered program. */
	uint64_t lane = c->geo.device_width >= 8u ? value
			: value & ((1ull << (8u * c->geo.device_width)) - 1u);

	if (!inside(c, offset, size))
		return false;
	switch (c->mode) {
	case CFI_PROGRAM_SETUP:
		program(c, offset, value, size);
		c->mode = CFI_READ_STATUS;
		break;
	case CFI_ERASE_SETUP:
		if (cmd != CMD_CONFIRM) {
			sequence_error(c);
			break;
		}
		(void)memset(&c->store[block_of(c, offset)], 0xff, c->geo.block_size);
		c->erases++;
		c->mode = CFI_READ_STATUS;
		break;
	case CFI_LOCK_SETUP:
		/* Lock, unlock and lock-down are taken and change nothing:
		 * blocks are never locked, so a firmware's unlock always works. */
		if (cmd != CMD_CONFIRM && cmd != CMD_LOCK && cmd != CMD_LOCK_DOWN)
			sequence_error(c);
		else
			c->mode = CFI_READ_STATUS;
		break;
	case CFI_BUFFER_COUNT:
		/* The stores to come, minus one: words as wide as the driver
		 * uses the bus (U-Boot may use half of it), so the buffer's
		 * size is checked in bytes as they arrive. */
		if (lane >= buffer_bytes(c)) {
			sequence_error(c);
			break;
		}
		c->buffer_left = (uint32_t)lane + 1u;
		c->buffer_used = 0;
		c->mode = CFI_BUFFER_DATA;
		break;
	case CFI_BUFFER_DATA:
		if (c->buffer_left != 0u)
			buffer_data(c, offset, value, size);
		else if (cmd == CMD_CONFIRM)
			c->mode = CFI_READ_STATUS;
		else
			sequence_error(c);
		break;
	default:
		first_cycle(c, offset, cmd);
		break;
	}
	return true;
}
