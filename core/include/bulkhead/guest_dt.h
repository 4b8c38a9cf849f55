/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The device tree a partition boots with, synthesised from the system DT
 * and the partition's validated configuration, so users never write guest
 * DTs by hand: its CPUs (vCPU 0 first), memory, PSCI, timer, virtual GIC,
 * virtual UART and passthrough devices.
 */
#ifndef BULKHEAD_GUEST_DT_H
#define BULKHEAD_GUEST_DT_H

#include <stddef.h>
#include <stdint.h>

#include <bulkhead/error.h>
#include <bulkhead/partition_config.h>
#include <bulkhead/platform.h>

/* Decided by the loader. */
struct guest_dt_layout {
	uint64_t ramdisk_ipa, ramdisk_size; /* size 0: none */
	uint64_t vuart_ipa, vuart_size;     /* the virtual PL011 */
	uint32_t vuart_irq;                 /* its SPI's INTID; 0: polled only */
	uint32_t boot_count;                /* 1 on first boot, +1 per restart */
};

/* Build into @buf (@size bytes); *used is the final DT size. */
enum bh_err guest_dt_build(void *buf, size_t size, const void *sys_fdt, const struct platform *p,
			   const struct partition_config *cfg, unsigned int partition_id,
			   const struct guest_dt_layout *layout, size_t *used);

/* Use the partition's own DT module: copied, with /chosen initrd properties
 * set when there is a ramdisk. */
enum bh_err guest_dt_adopt(void *buf, size_t size, const void *module, uint64_t module_size,
			   const struct partition_config *cfg, const struct guest_dt_layout *layout,
			   size_t *used);

#endif
