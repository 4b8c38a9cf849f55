// SPDX-License-Identifier: Apache-2.0
/*
 * Channels in the device tree (docs/channels.md): `bulkhead,channel` nodes
 * under the hypervisor node, decoded into one partition_channel per end and
 * checked against every partition's memory and devices, the hypervisor, the
 * boot modules and each other. Addresses and sizes are two cells each,
 * whatever the parent says, so a channel reads the same in any tree.
 */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/compiler.h>
#include <bulkhead/console.h>
#include <bulkhead/dt.h>

#include "config_internal.h"


/* @count pairs of two-cell numbers of @prop; false (with an error) if
 * absent or malformed. */
static bool read_u64s(struct config_ctx *c, int node, const char *prop, uint64_t *out,
		      unsigned int count)
{
	const fdt32_t *v = config_prop_cells(c, node, prop, count * 2u, "two 2-cell numbers",
					     "required");

	if (v == NULL)
		return false;
	for (unsigned int i = 0; i < count; i++)
		out[i] = (uint64_t)fdt32_to_cpu(v[2 * i]) << 32 | fdt32_to_cpu(v[2 * i + 1]);
	return true;
}

static int partition_of_phandle(const struct config_ctx *c, uint32_t phandle)
{
	int node = fdt_node_offset_by_phandle(c->fdt, phandle);

	for (unsigned int i = 0; node >= 0 && i < c->out->count; i++) {
		if (c->out->part[i].node == node)
			return (int)i;
	}
	return -1;
}

/* The two ends' partitions from `partitions`; false if unusable. */
static bool decode_ends(struct config_ctx *c, int node, int ends[2])
{
	const fdt32_t *v = config_prop_cells(c, node, "partitions", 2, "two phandles",
					     "required: the two partitions' phandles");

	if (v == NULL)
		return false;
	for (unsigned int i = 0; i < 2; i++) {
		ends[i] = partition_of_phandle(c, fdt32_to_cpu(v[i]));
		if (ends[i] < 0) {
			config_error(c, CFG_ERR_CHANNEL_PEER, node, "partitions",
				     "end %u (phandle 0x%x) is not a bulkhead,partition node", i,
				     fdt32_to_cpu(v[i]));
			return false;
		}
	}
	if (ends[0] == ends[1]) {
		config_error(c, CFG_ERR_CHANNEL_SELF, node, "partitions",
			     "both ends are partition '%s'", c->out->part[ends[0]].name);
		return false;
	}
	return true;
}

/* `access`: "rw" or "ro" per end, both "rw" when absent. */
static bool decode_access(struct config_ctx *c, int node, bool writable[2])
{
	for (int i = 0; i < 2; i++) {
		const char *a = fdt_stringlist_get(c->fdt, node, "access", i, NULL);

		if (a == NULL && dt_getprop(c->fdt, node, "access", NULL) == NULL) {
			writable[i] = true;
		} else if (a != NULL && (strcmp(a, "rw") == 0 || strcmp(a, "ro") == 0)) {
			writable[i] = a[1] == 'w';
		} else {
			config_error(c, CFG_ERR_BAD_VALUE, node, "access",
				     "end %d: expected \"rw\" or \"ro\"", i);
			return false;
		}
	}
	return true;
}

static bool decode_intids(struct config_ctx *c, int node, uint32_t intid[2])
{
	const fdt32_t *v = config_prop_cells(c, node, "doorbell-intids", 2, "two INTIDs",
					     "required: each end's doorbell interrupt");

	if (v == NULL)
		return false;
	for (unsigned int i = 0; i < 2; i++) {
		intid[i] = fdt32_to_cpu(v[i]);
		if (intid[i] < c->p->doorbell_first || intid[i] > c->p->doorbell_last) {
			config_error(c, CFG_ERR_BAD_VALUE, node, "doorbell-intids",
				     "end %u: %u is not %s (%u-%u)", i, intid[i], c->p->doorbell_kind,
				     c->p->doorbell_first, c->p->doorbell_last);
			return false;
		}
	}
	return true;
}

static void decode_channel(struct config_ctx *c, int node, unsigned int id)
{
	uint64_t region[2];
	uint64_t ipa[2];
	uint64_t bell[2] = {0, 0};
	int ends[2];
	bool writable[2];
	uint32_t intid[2];
	bool ok = read_u64s(c, node, "region", region, 2);

	ok = decode_ends(c, node, ends) && ok;
	ok = decode_access(c, node, writable) && ok;
	ok = read_u64s(c, node, "guest-addresses", ipa, 2) && ok;
	ok = decode_intids(c, node, intid) && ok;
	if (dt_getprop(c->fdt, node, "doorbell-registers", NULL) != NULL)
		ok = read_u64s(c, node, "doorbell-registers", bell, 2) && ok;
	if (!ok)
		return;
	if (region[1] == 0) {
		config_error(c, CFG_ERR_ZERO_SIZE, node, "region", "empty");
		return;
	}
	if (!IS_ALIGNED(region[0] | region[1], PAGE_SIZE) ||
	    !IS_ALIGNED(ipa[0] | ipa[1] | bell[0] | bell[1], PAGE_SIZE)) {
		config_error(c, CFG_ERR_UNALIGNED, node, "",
			     "region, guest-addresses and doorbell-registers must be 4 KiB aligned");
		return;
	}
	for (unsigned int i = 0; i < 2; i++) {
		struct partition_config *pc = &c->out->part[ends[i]];

		if (pc->chan_count == MAX_PARTITION_CHANNELS) {
			config_error(c, CFG_ERR_MALFORMED, node, "partitions",
				     "partition '%s' has more than %d channels", pc->name,
				     MAX_PARTITION_CHANNELS);
			return;
		}
	}
	for (unsigned int i = 0; i < 2; i++) {
		struct partition_config *pc = &c->out->part[ends[i]];
		struct partition_config *peer = &c->out->part[ends[1 - i]];

		pc->chan[pc->chan_count] = (struct partition_channel){
			.id = id, .node = node, .pa = region[0], .ipa = ipa[i], .size = region[1],
			.writable = writable[i], .intid = intid[i], .doorbell_ipa = bell[i],
			.peer = (unsigned int)ends[1 - i],
			.peer_end = peer->chan_count - i,
		};
		(void)memcpy(pc->chan[pc->chan_count].peer_name, peer->name, sizeof(peer->name));
		pc->chan_count++;
	}
}

void config_decode_channels(struct config_ctx *c, int hypervisor_node)
{
	int node;

	fdt_for_each_subnode(node, c->fdt, hypervisor_node) {
		if (!dt_node_is_compatible(c->fdt, node, "bulkhead,channel"))
			continue;
		if (c->out->channel_count == MAX_CHANNELS) {
			config_error(c, CFG_ERR_MALFORMED, node, "", "more than %d channels",
				     MAX_CHANNELS);
			return;
		}
		decode_channel(c, node, c->out->channel_count++);
	}
}

static bool intid_used(const struct config_ctx *c, const struct partition_config *pc,
		       unsigned int end, uint32_t intid)
{
	if (pc->console == PARTITION_CONSOLE_VUART && intid == c->p->console_irq)
		return true;
	for (unsigned int d = 0; d < pc->device_count; d++) {
		for (unsigned int i = 0; i < pc->devices[d].irq_count; i++) {
			if (pc->devices[d].irqs[i] == intid)
				return true;
		}
	}
	for (unsigned int e = 0; e < end; e++) {
		if (pc->chan[e].intid == intid)
			return true;
	}
	return false;
}

void config_validate_channels(struct config_ctx *c)
{
	for (unsigned int p = 0; p < c->out->count; p++) {
		const struct partition_config *pc = &c->out->part[p];

		for (unsigned int e = 0; e < pc->chan_count; e++) {
			const struct partition_channel *ch = &pc->chan[e];
			const char *what = config_guest_clash(c, pc, ch->ipa, ch->size, pc->mem_count,
							      pc->flash_count, e);

			/* The physical region, from its first end, against everything
			 * and the channels before it. */
			const struct host_range h = {ch->node, "region", ch->pa, ch->size, HOST_MEMORY,
						     ch->id, NULL, CFG_ERR_CHANNEL_OVERLAP};

			if (ch->peer > p)
				config_check_host(c, &h);
			if (what != NULL)
				config_error(c, CFG_ERR_CHANNEL_ADDRESS, ch->node, "guest-addresses",
					     "in '%s', 0x%llx-0x%llx overlaps %s", pc->name,
					     (unsigned long long)ch->ipa,
					     (unsigned long long)(ch->ipa + ch->size - 1), what);
			if (ch->doorbell_ipa != 0) {
				what = config_guest_clash(c, pc, ch->doorbell_ipa, PAGE_SIZE,
							  pc->mem_count, pc->flash_count, e);
				if (what == NULL && config_ranges_overlap(ch->doorbell_ipa, PAGE_SIZE,
									 ch->ipa, ch->size))
					what = "the channel's own region";
				if (what != NULL)
					config_error(c, CFG_ERR_CHANNEL_ADDRESS, ch->node,
						     "doorbell-registers",
						     "in '%s', 0x%llx overlaps %s", pc->name,
						     (unsigned long long)ch->doorbell_ipa, what);
			}
			if (intid_used(c, pc, e, ch->intid))
				config_error(c, CFG_ERR_CHANNEL_INTID, ch->node, "doorbell-intids",
					     "in '%s', INTID %u is already in use", pc->name, ch->intid);
		}
	}
}
