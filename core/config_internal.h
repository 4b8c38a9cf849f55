/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between the configuration decoder and validator only. */
#ifndef BULKHEAD_CONFIG_INTERNAL_H
#define BULKHEAD_CONFIG_INTERNAL_H

#include <stdbool.h>

#include <bulkhead/partition_config.h>

struct config_ctx {
	const void *fdt;
	const struct platform *p;
	const struct hyp_footprint *hyp;
	config_peek_fn peek;
	struct system_config *out;
	struct config_errors *errors;
};

void config_error(struct config_ctx *c, enum config_error_kind kind, int node, const char *prop,
		  const char *fmt, ...) PRINTF_LIKE(5, 6);
const char *config_node_path(const struct config_ctx *c, int node, char *buf, int len);
bool config_ipa_in_memory(const struct partition_config *pc, uint64_t ipa);

/* The health properties of partition @node (health_config.c). */
void config_decode_health(struct config_ctx *c, int node, struct partition_config *pc);

/* The checks between partitions and against the machine. */
void config_validate(struct config_ctx *c);

#endif
