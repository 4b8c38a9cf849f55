// SPDX-License-Identifier: Apache-2.0
/*
 * Two partitions exchange messages through a channel (docs/channels.md):
 * "ping" sends MESSAGES numbered, checksummed messages through a ring in
 * the shared region and rings the doorbell after each; "pong" takes them
 * out, checks number and checksum, and rings back when it has drained the
 * ring. Both wait for the other's doorbell in WFI. On a channel with a
 * read-only end, "writer" leaves a greeting and rings; the read-only end
 * reads it, and its store comes back as an abort, changing nothing.
 * "greeter" answers a Linux peer (partitions/linux/init, bulkhead.init=
 * channel): on its doorbell, a text at offset 4 and a ready flag at 0.
 */

#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "rt.h"

#define BH_DOORBELL 0x86000010u
#define MESSAGES 10000
#define SLOTS 64
#define PAYLOAD_WORDS 6

struct message {
	uint32_t seq;
	uint32_t checksum;
	uint32_t payload[PAYLOAD_WORDS];
};

/* The region's layout: both counters free-running, each written by one side. */
struct ring {
	volatile uint32_t head;  /* written by ping */
	uint32_t pad0[15];       /* counters on separate cache lines */
	volatile uint32_t tail;  /* written by pong */
	uint32_t pad1[15];
	volatile uint32_t greeting_ready; /* for the read-only end: set by writer */
	char greeting[60];
	struct message slot[SLOTS];
};

static struct ring *ring;
static unsigned int channel_id, doorbell_intid;
static volatile unsigned int doorbells;

static void on_irq(unsigned int intid)
{
	if (intid == doorbell_intid)
		doorbells++;
}

static int64_t ring_peer(uint64_t id)
{
	uint64_t r[4];

	smccc_call(BH_DOORBELL, id, 0, 0, r);
	return (int32_t)(uint32_t)r[0];
}

/* Wait for the doorbell until @done says so: the check runs with IRQs
 * masked, so a doorbell between check and WFI still wakes the WFI. */
static void wait_until(bool (*done)(void))
{
	for (;;) {
		rt_irq_disable();
		if (done()) {
			rt_irq_enable();
			return;
		}
		__asm__ volatile("wfi" : : : "memory");
		rt_irq_enable();
	}
}

static uint32_t checksum(const struct message *m)
{
	uint32_t sum = 0x811c9dc5u ^ m->seq;

	for (unsigned int i = 0; i < PAYLOAD_WORDS; i++)
		sum = (sum ^ m->payload[i]) * 0x01000193u;
	return sum;
}

static bool ring_has_room(void)
{
	return ring->head - ring->tail < SLOTS;
}

static bool ring_has_data(void)
{
	return ring->tail != ring->head;
}

static void ping(void)
{
	unsigned int full_waits = 0;

	/* A channel this partition is not an end of, and one that does not exist. */
	printf("channel: doorbell of channel %u: %lld, of channel 99: %lld\n", channel_id + 1,
	       (long long)ring_peer(channel_id + 1), (long long)ring_peer(99));
	for (uint32_t seq = 0; seq < MESSAGES; seq++) {
		if (!ring_has_room()) {
			full_waits++;
			wait_until(ring_has_room);
		}
		struct message *m = &ring->slot[ring->head % SLOTS];

		m->seq = seq;
		for (unsigned int i = 0; i < PAYLOAD_WORDS; i++)
			m->payload[i] = seq * 2654435761u + i;
		m->checksum = checksum(m);
		__asm__ volatile("dmb ish" : : : "memory");
		ring->head = ring->head + 1;
		if (ring_peer(channel_id) != 0)
			printf("channel: doorbell refused\n");
	}
	printf("channel: sent %u messages, waited for room %u times\n", MESSAGES, full_waits);
}

static void pong(void)
{
	unsigned int received = 0, lost = 0, duplicated = 0, bad = 0;
	uint32_t expected = 0;

	while (expected < MESSAGES) {
		wait_until(ring_has_data);
		while (ring_has_data()) {
			__asm__ volatile("dmb ish" : : : "memory");
			const struct message *m = &ring->slot[ring->tail % SLOTS];

			if (m->checksum != checksum(m))
				bad++;
			if (m->seq > expected)
				lost += m->seq - expected;
			if (m->seq < expected)
				duplicated++;
			else
				expected = m->seq + 1;
			received++;
			__asm__ volatile("dmb ish" : : : "memory");
			ring->tail = ring->tail + 1;
		}
		ring_peer(channel_id);
	}
	printf("channel: received %u messages, %u lost, %u duplicated, %u bad checksums, "
	       "%u doorbells\n", received, lost, duplicated, bad, doorbells);
}

static void writer(void)
{
	strcpy(ring->greeting, "hello from the writer");
	__asm__ volatile("dmb ish" : : : "memory");
	ring->greeting_ready = 1;
	ring_peer(channel_id);
	printf("channel: greeting written\n");
}

static bool rung(void)
{
	return doorbells != 0;
}

/* Linux maps the region through /dev/mem, which is non-cacheable: what is
 * written here must reach memory, past this partition's caches. */
static void clean_to_memory(volatile void *start, unsigned int len)
{
	for (uintptr_t at = (uintptr_t)start & ~63ul; at < (uintptr_t)start + len; at += 64)
		__asm__ volatile("dc cvac, %0" : : "r"(at) : "memory");
	__asm__ volatile("dsb sy" : : : "memory");
}

static void greeter(void)
{
	static const char text[] = "hello Linux, from bare metal";
	volatile uint32_t *region = (volatile uint32_t *)ring;
	uint32_t word = 0;

	wait_until(rung);
	for (unsigned int i = 0; i < sizeof(text); i++) {
		word |= (uint32_t)(uint8_t)text[i] << (8 * (i % 4));
		if (i % 4 == 3 || i == sizeof(text) - 1) {
			region[1 + i / 4] = word;
			word = 0;
		}
	}
	clean_to_memory(region, sizeof(text) + 4);
	region[0] = 1;
	clean_to_memory(region, 4);
	ring_peer(channel_id);
	printf("channel: greeted the peer after %u doorbell(s)\n", doorbells);
}

static volatile int write_faults;

static bool on_abort(struct rt_frame *f, uint64_t esr, uint64_t far)
{
	printf("channel: write caught: exception class 0x%x, fault status 0x%llx at 0x%llx\n",
	       (unsigned int)(esr >> 26), (unsigned long long)(esr & 0x3f),
	       (unsigned long long)far);
	write_faults++;
	f->elr += 4;
	return true;
}

static bool greeting_ready(void)
{
	return ring->greeting_ready != 0;
}

static void reader(void)
{
	rt_set_sync_handler(on_abort);
	wait_until(greeting_ready);
	printf("channel: read \"%s\"\n", ring->greeting);
	ring->tail = 12345;
	printf("channel: %s; tail still %u\n", write_faults == 1 ? "contained" : "NOT CAUGHT",
	       (unsigned int)ring->tail);
}

int main(void)
{
	int node = fdt_node_offset_by_compatible(rt_fdt, -1, "bulkhead,channel");
	const fdt32_t *reg = node >= 0 ? fdt_getprop(rt_fdt, node, "reg", NULL) : NULL;
	const fdt32_t *irq = node >= 0 ? fdt_getprop(rt_fdt, node, "interrupts", NULL) : NULL;
	const fdt32_t *id = node >= 0 ? fdt_getprop(rt_fdt, node, "bulkhead,channel-id", NULL)
				      : NULL;
	const char *access = node >= 0 ? fdt_getprop(rt_fdt, node, "access", NULL) : NULL;
	const char *peer = node >= 0 ? fdt_getprop(rt_fdt, node, "peer", NULL) : NULL;

	if (reg == NULL || irq == NULL || id == NULL || access == NULL || peer == NULL ||
	    !rt_gic_init()) {
		printf("channel: no complete bulkhead,channel node or no GIC\n");
		psci_system_off();
	}
	ring = (struct ring *)(uintptr_t)((uint64_t)fdt32_to_cpu(reg[0]) << 32 | fdt32_to_cpu(reg[1]));
	channel_id = fdt32_to_cpu(*id);
	doorbell_intid = fdt32_to_cpu(irq[1]) + 32;
	printf("channel: channel %u at 0x%llx, %s, peer %s, doorbell INTID %u\n", channel_id,
	       (unsigned long long)(uintptr_t)ring, access, peer, doorbell_intid);
	rt_set_irq_handler(on_irq);
	rt_gic_enable_spi(doorbell_intid, 0x80);
	rt_irq_enable();
	if (strcmp(access, "ro") == 0)
		reader();
	else if (strcmp(rt_partition_name(), "ping") == 0)
		ping();
	else if (strcmp(rt_partition_name(), "writer") == 0)
		writer();
	else if (strcmp(rt_partition_name(), "greeter") == 0)
		greeter();
	else
		pong();
	psci_system_off();
}
