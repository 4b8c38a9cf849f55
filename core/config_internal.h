/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between the configuration decoder and validator only. */
#ifndef BULKHEAD_CONFIG_INTERNAL_H
#define BULKHEAD_CONFIG_INTERNAL_H

#include <stdbool.h>

#include <libfdt.h>

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

/* Fixed-length properties (config_prop.c): @prop of @node when it is exactly
 * @cells cells; NULL when absent (an error saying @required, when that is
 * not NULL) or of another length (an error naming @what it should hold). */
const fdt32_t *config_prop_cells(struct config_ctx *c, int node, const char *prop,
				 unsigned int cells, const char *what, const char *required);
/* A list of 1 to @max entries of @cells cells each (@what, in the error):
 * NULL, and *@count 0, when absent or (with an error) malformed. */
const fdt32_t *config_prop_list(struct config_ctx *c, int node, const char *prop,
				unsigned int cells, unsigned int max, const char *what,
				unsigned int *count);
/* One cell, and one address of @ac cells: false when absent or malformed. */
bool config_read_u32(struct config_ctx *c, int node, const char *prop, uint32_t *out);
bool config_read_address(struct config_ctx *c, int node, const char *prop, int ac, uint64_t *out);
/* String property @prop: the index of its value among @choices (@n of
 * them), -1 if absent, -2 (and the error @err) if none of them. */
int config_prop_choice(struct config_ctx *c, int node, const char *prop,
		       const char *const *choices, unsigned int n, const char *err);
/* A one-cell property's value, @fallback when absent or not one cell (no
 * error: for properties of the machine's own nodes, checked elsewhere). */
uint32_t config_u32_or(const void *fdt, int node, const char *prop, uint32_t fallback);

/* PCI host bridges (config_pci.c; PCI=n: pci_none.c): their windows and
 * interrupts; what one is, and a requester ID through its `msi-map` and
 * `iommu-map` (config_rid_map.c, in every build). */
bool config_is_pci_bridge(const void *fdt, int node);
void config_decode_pci_function(struct config_ctx *c, int node, int dev, struct partition_device *d,
				const char *path);
void config_decode_bridge(struct config_ctx *c, int node, int bridge, struct partition_device *d,
			  const char *path);
/* Requester ID @rid through the bridge's @map (masked by @mask): false if
 * no entry covers it, else the node the entry names and the ID there. */
bool config_map_rid(const void *fdt, int bridge, const char *map, const char *mask, uint32_t rid,
		    int *node, uint32_t *id);
/* @rid's DeviceID at a GICv3 ITS through the bridge's `msi-map`, or -1. */
int32_t config_msi_devid(const void *fdt, int bridge, uint32_t rid);
/* DMA streams at IOMMUs the hypervisor drives (config_streams.c; without
 * the SMMUv3 driver, config_streams_none.c: none, and every one refused). */
bool config_is_iommu(const void *fdt, int node);
bool config_bridge_translated(const void *fdt, int bridge);
void config_decode_streams(struct config_ctx *c, int node, struct partition_config *pc);
/* `pci-functions` entry @entry, requester ID @rid, has MSI at an ITS as
 * DeviceID @devid (-1: none): refused where the build has no virtual ITS
 * (core/vits_none.c; core/vits_config.c accepts it). */
void config_decode_msi(struct config_ctx *c, int node, unsigned int entry, uint32_t rid,
		       int32_t devid);

/* The health properties of partition @node (health_config.c; refused by
 * health_none.c when HEALTH=n): those whose names start so. */
#define HEALTH_PROPERTY_PREFIXES                                                        \
	{                                                                                \
		"watchdog-", "fault-", "poweroff-", "restart-", "reset-registers"        \
	}
void config_decode_health(struct config_ctx *c, int node, struct partition_config *pc);

/* PMU ownership (pmu_config.c; refused by pmu_none.c when PMU=n): the
 * `pmu` property of partition @node, and its checks against the machine
 * and the other partitions (of partition @index). */
void config_decode_pmu(struct config_ctx *c, int node, struct partition_config *pc);
void config_validate_pmu(struct config_ctx *c, unsigned int index);

/* The checks between partitions and against the machine. */
void config_validate(struct config_ctx *c);

void config_decode_flash(struct config_ctx *c, int node, int ac, int sc,
			 struct partition_config *pc);
void config_decode_firmware(struct config_ctx *c, int node, int ac, struct partition_config *pc);

void config_validate_firmware(struct config_ctx *c);
bool config_in_ram(const struct platform *p, uint64_t base, uint64_t size);

/*
 * A host-physical range of @node's @prop (base, size) against RAM (it must
 * be inside one range), the hypervisor, the partitions' boot modules and
 * what @checks says (HOST_*), and the channel regions of ids below
 * @channels_before: one error, at the first clash, of @kind, or of the
 * clash's own kind when @kind is CFG_ERR_MEM_OVERLAP.
 */
#define HOST_MEMORY 1u
#define HOST_FLASH 2u /* flash regions but @self, and their images */
struct host_range {
	int node;
	const char *prop;
	uint64_t base;
	uint64_t size;
	unsigned int checks;
	unsigned int channels_before;
	const struct partition_flash *self;
	enum config_error_kind kind;
};
void config_check_host(struct config_ctx *c, const struct host_range *h);

/* Channels (channel_config.c): decoded once every partition is, then
 * checked against everything else. */
void config_decode_channels(struct config_ctx *c, int hypervisor_node);
void config_validate_channels(struct config_ctx *c);
/* Partitions' memory and modules against /reserved-memory and
 * /memreserve/, and who owns which region (config_reserved.c). */
void config_validate_reserved(struct config_ctx *c);

bool config_ranges_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs);
/* What in @pc's guest-physical map overlaps [base, base + size), in words
 * for an error, or NULL: its first @mem memory regions, a device's pages
 * (stage 2 maps whole pages), the virtual UART's, its first @flash flash
 * regions, its first @chans channel ends and their doorbell pages. Each
 * caller passes what comes before the range it checks: one error a clash. */
const char *config_guest_clash(const struct config_ctx *c, const struct partition_config *pc,
			       uint64_t base, uint64_t size, unsigned int mem, unsigned int flash,
			       unsigned int chans);

/* Cache colouring (colour_config.c): the hypervisor node's first coloured
 * partition (-1: none, and the cache geometry is not read); the geometry;
 * a partition's colours, after its memory and before its kernel's
 * placement; the checks between partitions. */
int config_first_coloured(const void *fdt, int hv);
void config_decode_llc(struct config_ctx *c, int hv, int first_coloured, const char *prop);
bool config_hyp_coloured(const void *fdt, int hv);
void config_decode_hyp_colours(struct config_ctx *c, int hv);
void config_decode_colours(struct config_ctx *c, int node, int sc, struct partition_config *pc);
bool config_colours_disjoint(const struct partition_config *a, const struct partition_config *b);
void config_validate_colours(struct config_ctx *c);

#endif
