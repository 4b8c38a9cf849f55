// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual ITS left out of the build (ITS=n, docs/building.md): replaces
 * core/vits_config.c and core/vits_cmd.c (arch/arm64/vits_none.c the rest).
 * A PCI function whose MSI the host bridge sends to an ITS is refused,
 * naming the node, the property, the entry and the option, so that no
 * partition boots without the interrupts its device raises.
 */

#include <bulkhead/compiler.h>

#include "config_internal.h"

void config_decode_msi(struct config_ctx *c, int node, unsigned int entry, uint32_t rid,
		       int32_t devid)
{
	if (devid >= 0)
		config_error(c, CFG_ERR_NOT_BUILT, node, "pci-functions",
			     "entry %u: requester ID 0x%x has MSI at an ITS (DeviceID 0x%x): this "
			     "build has no virtual ITS (ITS=n)", entry, (unsigned int)rid,
			     (unsigned int)devid);
}
