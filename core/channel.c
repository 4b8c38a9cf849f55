// SPDX-License-Identifier: Apache-2.0
/* The doorbells of channels (channel.h); the arch delivers the interrupt. */

#include <bulkhead/arch.h>
#include <bulkhead/channel.h>
#include <bulkhead/partition.h>

static const struct partition_channel *end_of(const struct partition *part, uint64_t id)
{
	for (unsigned int e = 0; e < part->cfg->chan_count; e++) {
		if (part->cfg->chan[e].id == id)
			return &part->cfg->chan[e];
	}
	return NULL;
}

enum bh_hypercall_status channel_ring_check(const struct partition *caller, uint64_t id)
{
	if (id >= MAX_CHANNELS)
		return BH_HC_INVALID_PARAMETER;
	return end_of(caller, id) != NULL ? BH_HC_SUCCESS : BH_HC_DENIED;
}

void channel_ring(const struct partition *caller, unsigned int id)
{
	const struct partition_channel *end = end_of(caller, id);
	struct partition *peer = partition_at(end->peer);

	/* Ringing a stopped peer is harmless: its vGIC is reset before it
	 * starts again. */
	arch_doorbell_raise(peer, peer->cfg->chan[end->peer_end].intid);
}

int channel_doorbell_page(const struct partition *part, uint64_t ipa)
{
	for (unsigned int e = 0; e < part->cfg->chan_count; e++) {
		uint64_t page = part->cfg->chan[e].doorbell_ipa;

		if (page != 0 && ipa >= page && ipa < page + PAGE_SIZE)
			return (int)e;
	}
	return -1;
}

bool channel_read_only_at(const struct partition *part, uint64_t ipa)
{
	for (unsigned int c = 0; c < part->cfg->chan_count; c++) {
		const struct partition_channel *ch = &part->cfg->chan[c];

		if (!ch->writable && ipa >= ch->ipa && ipa - ch->ipa < ch->size)
			return true;
	}
	return false;
}

bool channel_doorbell_access(const struct partition *part, uint64_t ipa, bool write,
			     uint64_t *value)
{
	int end = channel_doorbell_page(part, ipa);

	if (end < 0)
		return false;
	unsigned int id = part->cfg->chan[end].id;
	uint64_t offset = ipa & (PAGE_SIZE - 1);

	if (write && offset == CHANNEL_DOORBELL_RING)
		channel_ring(part, id);
	else if (!write)
		*value = offset == CHANNEL_DOORBELL_ID ? id : 0;
	return true;
}
