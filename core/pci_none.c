// SPDX-License-Identifier: Apache-2.0
/*
 * PCI passthrough left out of the build (PCI=n, docs/building.md):
 * replaces core/config_pci.c and core/guest_dt_pci.c. A PCI host bridge
 * among a partition's `devices` and x86's `bulkhead,pci-function` are
 * refused, naming the node and the option, rather than passed without the
 * windows, interrupts and MSI that make them work. No partition then owns
 * a bridge, so its guest DT needs nothing from one.
 */

#include <libfdt.h>

#include <bulkhead/compiler.h>
#include <bulkhead/dt.h>
#include <bulkhead/platform.h>

#include "config_internal.h"
#include "guest_dt_writer.h"

void config_decode_bridge(struct config_ctx *c, int node, int bridge, struct partition_device *d,
			  const char *path)
{
	(void)d;
	if (config_is_pci_bridge(c->fdt, bridge))
		config_error(c, CFG_ERR_NOT_BUILT, node, "devices",
			     "%s: a PCI host bridge: this build has no PCI passthrough (PCI=n)", path);
}

void config_decode_pci_function(struct config_ctx *c, int node, int dev, struct partition_device *d,
				const char *path)
{
	(void)d;
	if (dt_getprop(c->fdt, dev, "bulkhead,pci-function", NULL) == NULL)
		return;
	/* As with PCI=y where no build could pass it: not the option's fault. */
	if (!c->p->pci_functions)
		config_error(c, CFG_ERR_BAD_VALUE, node, "devices",
			     "%s: 'bulkhead,pci-function': this port does not pass PCI configuration "
			     "space or MSI to partitions", path);
	else
		config_error(c, CFG_ERR_NOT_BUILT, node, "devices",
			     "%s: 'bulkhead,pci-function': this build has no PCI passthrough (PCI=n)",
			     path);
}

void guest_dt_bridge_ranges(struct writer *w, const void *sys, const struct partition_device *dev)
{
	(void)w;
	(void)sys;
	(void)dev;
}

void guest_dt_bridge_maps(struct writer *w, const void *sys, const struct partition_config *cfg,
			  int node)
{
	(void)w;
	(void)sys;
	(void)cfg;
	(void)node;
}
