/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the partition device-tree builder (guest_dt.c) and its
 * passthrough clocks (guest_dt_clocks.c) only: the sequential writer, and
 * the clocks a partition's devices get.
 */
#ifndef BULKHEAD_GUEST_DT_WRITER_H
#define BULKHEAD_GUEST_DT_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <libfdt.h>

#include <bulkhead/partition_config.h>

/* Everything in here is sequential-write calls; collect the first error. */
struct writer {
	void *fdt;
	int err;
	/* What the system DT has, looked up once per guest DT. */
	bool sys_has_psci;
	bool sys_has_gic;
};

/* The writer's calls (core/guest_dt_writer.c), each a no-op once a call
 * failed. Out of line: the check of the first error and the byte swap,
 * inline at each of some 150 calls, cost the image about 2 KB. */
void dtw_begin(struct writer *w, const char *name);
void dtw_end(struct writer *w);
void dtw_prop(struct writer *w, const char *name, const void *val, int len);
void dtw_prop_u32(struct writer *w, const char *name, uint32_t v);
void dtw_prop_u64(struct writer *w, const char *name, uint64_t v);
void dtw_prop_str(struct writer *w, const char *name, const char *s);

/* The builders' short names for them. */
static inline void begin(struct writer *w, const char *name)
{
	dtw_begin(w, name);
}

static inline void end(struct writer *w)
{
	dtw_end(w);
}

static inline void prop(struct writer *w, const char *name, const void *val, int len)
{
	dtw_prop(w, name, val, len);
}

static inline void prop_u32(struct writer *w, const char *name, uint32_t v)
{
	dtw_prop_u32(w, name, v);
}

static inline void prop_u64(struct writer *w, const char *name, uint64_t v)
{
	dtw_prop_u64(w, name, v);
}

static inline void prop_str(struct writer *w, const char *name, const char *s)
{
	dtw_prop_str(w, name, s);
}

/* Guest phandles guest_dt.c and guest_dt_pci.c share. */
#define PHANDLE_GIC 1
#define PHANDLE_ITS 3

/* A PCI host bridge's `ranges`, and its `interrupt-map` and `msi-map`
 * (guest_dt_pci.c; no-ops in core/pci_none.c, PCI=n). */
void guest_dt_bridge_ranges(struct writer *w, const void *sys, const struct partition_device *dev);
void guest_dt_bridge_maps(struct writer *w, const void *sys, const struct partition_config *cfg,
			  int node);

#define MAX_DEVICE_CLOCKS 8

/* Fixed clocks of the system DT feeding passthrough devices, each copied
 * once into the partition's DT. */
struct device_clocks {
	uint32_t sys_phandle[MAX_DEVICE_CLOCKS]; /* guest phandle: PHANDLE_DEVICE_CLOCKS + index */
	unsigned int count;
};

/* The fixed clocks @cfg's devices use, then their nodes in the guest. */
void guest_dt_collect_clocks(const void *sys, const struct partition_config *cfg,
			     struct device_clocks *clocks);
void guest_dt_fixed_clocks(struct writer *w, const void *sys, const struct device_clocks *clocks);

/* The fixed clock at device @index's `device-clock-rates` rate, written
 * just before the device. */
void guest_dt_rate_clock(struct writer *w, const struct partition_device *dev, unsigned int index);

/* The device's `clocks` (and `clock-names`) in guest phandles: its rate
 * clock, or its fixed clocks; nothing if it has neither. */
void guest_dt_device_clocks(struct writer *w, const void *sys, const struct partition_device *dev,
			    unsigned int index, const struct device_clocks *clocks);

#endif
