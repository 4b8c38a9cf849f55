/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Channels between partitions at run time (docs/channels.md): the doorbell
 * that raises an end's doorbell interrupt in the other partition, whether rung by
 * hypercall or through the emulated doorbell page.
 */
#ifndef BULKHEAD_CHANNEL_H
#define BULKHEAD_CHANNEL_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/hypercall.h>

struct partition;

/* BH_HC_SUCCESS if @caller is an end of channel @id; else the error the
 * doorbell call returns (no such channel, or not one of its ends). */
enum bh_hypercall_status channel_ring_check(const struct partition *caller, uint64_t id);

/* Raise the doorbell of the other end of channel @id (checked above). */
void channel_ring(const struct partition *caller, unsigned int id);

/* The end of @part whose doorbell page holds guest address @ipa, or -1. */
int channel_doorbell_page(const struct partition *part, uint64_t ipa);

/* Whether guest address @ipa is in a channel region @part sees read-only:
 * a write fault there is that end's, not a stray access. */
bool channel_read_only_at(const struct partition *part, uint64_t ipa);

/* A trapped access to a doorbell page: false if @ipa is in none of
 * @part's; else a write to RING rings the peer, a read of ID gives the
 * channel's id, other offsets read 0 and ignore writes. */
bool channel_doorbell_access(const struct partition *part, uint64_t ipa, bool write,
			     uint64_t *value);

/* Doorbell page registers: a write of any value to DOORBELL_RING rings the
 * peer; ID reads the channel's id. */
#define CHANNEL_DOORBELL_RING 0x0
#define CHANNEL_DOORBELL_ID 0x4

#endif
