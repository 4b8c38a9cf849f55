// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzzing a virtual ITS's commands (core/vits_cmd.c): the input is a
 * guest's command queue, 32 bytes a command, run against a partition that
 * owns two DeviceIDs and has two vCPUs, as the CWRITER trap runs it.
 *
 * Oracles besides the sanitizers: a refused command leaves the state as it
 * was; after every command, every mapped event belongs to a mapped device
 * of the partition, lies inside its ITT, names a vLPI in 8192-16383 and a
 * collection that targets one of its vCPUs; an accepted command's effect
 * names a device and event of the partition and a vCPU it has.
 */

#include <string.h>

#include <bulkhead/vits.h>

#include "fuzz.h"

#define VCPUS 2u

static void check_state(const struct vits *s)
{
	FUZZ_ASSERT(s->device_count == 2u && s->vcpu_count == VCPUS);
	for (unsigned int c = 0; c < VITS_MAX_COLLECTIONS; c++)
		FUZZ_ASSERT(s->coll[c] <= VCPUS);
	for (unsigned int d = 0; d < s->device_count; d++) {
		const struct vits_device *dev = &s->dev[d];

		FUZZ_ASSERT(dev->events <= VITS_MAX_EVENTS);
		for (unsigned int e = 0; e < VITS_MAX_EVENTS; e++) {
			const struct vits_event *ev = &dev->ev[e];

			if (ev->vlpi == 0u)
				continue;
			FUZZ_ASSERT(dev->mapped && e < dev->events);
			FUZZ_ASSERT(ev->vlpi >= VITS_LPI_BASE && ev->vlpi < VITS_LPI_END);
			FUZZ_ASSERT(ev->icid < VITS_MAX_COLLECTIONS && s->coll[ev->icid] != 0u);
		}
	}
}

/* reqs: REQ-ISO-010 REQ-CNT-001 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t devids[] = {0x8, 0x10};
	struct vits s, before;

	vits_init(&s, devids, 2, VCPUS);
	for (size_t at = 0; at + VITS_CMD_BYTES <= size; at += VITS_CMD_BYTES) {
		uint64_t w[4];
		struct its_cmd c;
		struct vits_effect e;

		memcpy(w, data + at, sizeof(w));
		its_cmd_decode(w, &c);
		before = s;
		const char *why = vits_apply(&s, &c, &e);

		if (why != NULL) {
			FUZZ_ASSERT(memcmp(&s, &before, sizeof(s)) == 0);
			continue;
		}
		FUZZ_ASSERT(e.dev < s.device_count && e.event < VITS_MAX_EVENTS && e.vcpu < VCPUS);
		check_state(&s);
	}
	return 0;
}
