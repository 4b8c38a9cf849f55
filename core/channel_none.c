// SPDX-License-Identifier: Apache-2.0
/*
 * Channels left out of the build (CHANNELS=n, docs/building.md): replaces
 * core/channel.c and core/channel_config.c. A configuration with a
 * `bulkhead,channel` node is refused, naming the node and the option, so
 * that a system never boots without the channels its partitions expect;
 * with none configured, no partition has a channel end and the run-time
 * calls below only ever see that.
 */

#include <libfdt.h>

#include <bulkhead/channel.h>
#include <bulkhead/compiler.h>
#include <bulkhead/dt.h>

#include "config_internal.h"

void config_decode_channels(struct config_ctx *c, int hypervisor_node)
{
	int node;

	fdt_for_each_subnode(node, c->fdt, hypervisor_node) {
		if (dt_node_is_compatible(c->fdt, node, "bulkhead,channel"))
			config_error(c, CFG_ERR_NOT_BUILT, node, "compatible",
				     "\"bulkhead,channel\": this build has no channels (CHANNELS=n)");
	}
}

void config_validate_channels(struct config_ctx *c)
{
	(void)c;
}

/* The doorbell hypercall: no such call in this build. */
enum bh_hypercall_status channel_ring_check(const struct partition *caller, uint64_t id)
{
	(void)caller;
	(void)id;
	return BH_HC_NOT_SUPPORTED;
}

void channel_ring(const struct partition *caller, unsigned int id)
{
	(void)caller;
	(void)id;
}

int channel_doorbell_page(const struct partition *part, uint64_t ipa)
{
	(void)part;
	(void)ipa;
	return -1;
}

bool channel_read_only_at(const struct partition *part, uint64_t ipa)
{
	(void)part;
	(void)ipa;
	return false;
}

bool channel_doorbell_access(const struct partition *part, uint64_t ipa, bool write,
			     uint64_t *value)
{
	(void)part;
	(void)ipa;
	(void)write;
	(void)value;
	return false;
}
