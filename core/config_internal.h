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

/* DMA masters (config_dma.c): PCI host bridges' windows and interrupts,
 * and the partition's DMA streams at IOMMUs the hypervisor drives. */
bool config_is_pci_bridge(const void *fdt, int node);
bool config_is_iommu(const void *fdt, int node);
void config_decode_bridge(struct config_ctx *c, int node, int bridge, struct partition_device *d,
			  const char *path);
void config_decode_streams(struct config_ctx *c, int node, struct partition_config *pc);

/* The health properties of partition @node (health_config.c). */
void config_decode_health(struct config_ctx *c, int node, struct partition_config *pc);

/* The checks between partitions and against the machine. */
void config_validate(struct config_ctx *c);

void config_decode_flash(struct config_ctx *c, int node, int ac, int sc,
			 struct partition_config *pc);
void config_decode_firmware(struct config_ctx *c, int node, int ac, struct partition_config *pc);

void config_validate_firmware(struct config_ctx *c);
bool config_in_ram(const struct platform *p, uint64_t base, uint64_t size);

/* Channels (channel_config.c): decoded once every partition is, then
 * checked against everything else. */
void config_decode_channels(struct config_ctx *c, int hypervisor_node);
void config_validate_channels(struct config_ctx *c);
/* Partitions' memory and modules against /reserved-memory and
 * /memreserve/, and who owns which region (config_reserved.c). */
void config_validate_reserved(struct config_ctx *c);

bool config_ranges_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs);

#endif
