// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual ITS in the configuration (ITS=y, docs/building.md): a PCI
 * function's MSI at an ITS, whose DeviceID core/config_dma.c found in the
 * host bridge's `msi-map`, is served by the partition's virtual ITS
 * (arch/arm64/vits.c), so there is nothing to refuse. A file of its own so
 * that a build without the virtual ITS puts core/vits_none.c, which
 * refuses it, in its place, and the default image carries no refusal.
 */

#include <bulkhead/compiler.h>

#include "config_internal.h"

void config_decode_msi(struct config_ctx *c, int node, unsigned int entry, uint32_t rid,
		       int32_t devid)
{
	(void)c;
	(void)node;
	(void)entry;
	(void)rid;
	(void)devid;
}
