/* SPDX-License-Identifier: Apache-2.0 */
/* A partition's virtual ITS on arm64 (vits.c; core/vits_cmd.c decides). */
#ifndef ARCH_ARM64_VITS_H
#define ARCH_ARM64_VITS_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/error.h>
#include <bulkhead/partition.h>
#include <bulkhead/platform.h>

/* At build (boot CPU): a virtual ITS if the partition owns functions with
 * MSI, their DeviceIDs mapped in the physical ITS. */
enum bh_err vits_build(struct partition *part, const struct platform *p);
/* The page its devices' MSI writes go to (the ITS's GITS_TRANSLATER), at
 * the same address in its DMA space; 0 without a virtual ITS. */
uint64_t vits_translater_page(const struct partition *part);
/* A trapped access to its GITS_* frame or to LPI registers of its
 * redistributors and distributor; false: not one of those. */
bool vits_mmio(struct vcpu *v, uint64_t ipa, bool write, uint64_t *value, unsigned int size);
/* Physical LPI @intid taken on @v's CPU: to its vLPI; false if no
 * partition's device owns it. */
bool vits_lpi(struct vcpu *v, unsigned int intid);
/* A stop or restart: every mapping dropped, physical ones too. */
void vits_reset(struct partition *part);
/* GICv4: @v's vPE resident on its CPU while it runs (true at entry,
 * false when it leaves its guest); nothing otherwise. On @v's CPU. */
void vits_vcpu_resident(const struct vcpu *v, bool resident);

#endif
