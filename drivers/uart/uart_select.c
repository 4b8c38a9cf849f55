// SPDX-License-Identifier: Apache-2.0
/*
 * Which driver runs a UART: the table from compatible strings to drivers,
 * and the reading of the node (address through every bus's `ranges`,
 * reg-shift, reg-io-width). The hypervisor and bulkhead-check both call
 * uart_select(), so the checker refuses exactly the consoles the hypervisor
 * could not drive.
 */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/platform.h>

#include "uart.h"

struct uart_match {
	const char *compatible;
	const struct uart_driver *drv;
};

const char *const uart_compatibles[] = {
	"arm,pl011", "arm,sbsa-uart", "ns16550a", "ns16550", "snps,dw-apb-uart", "ti,am654-uart",
	"ti,am64-uart", "ti,j721e-uart", "nvidia,tegra194-hsuart", "nvidia,tegra20-uart",
	"cdns,uart-r1p12", "cdns,uart-r1p8", "xlnx,zynqmp-uart", "xlnx,xuartps", "fsl,imx6q-uart",
	"fsl,imx21-uart", "fsl,imx8qm-lpuart", "fsl,imx8qxp-lpuart", "fsl,imx7ulp-lpuart",
	"renesas,rcar-gen3-scif", "renesas,scif", "brcm,bcm2835-aux-uart", NULL,
};

/* The first of the node's compatibles (its own order: most specific
 * first) that has a driver. */
static const struct uart_match *match_node(const void *fdt, int node)
{
	static const struct uart_match matches[] = {
		{"arm,pl011", &uart_pl011},
		{"arm,sbsa-uart", &uart_sbsa},
		{"ns16550a", &uart_ns16550a},
		{"ns16550", &uart_ns16550},
		{"snps,dw-apb-uart", &uart_dw_apb},
		{"ti,am654-uart", &uart_ti_k3},
		{"ti,am64-uart", &uart_ti_k3},
		{"ti,j721e-uart", &uart_ti_k3},
		{"nvidia,tegra194-hsuart", &uart_tegra},
		{"nvidia,tegra20-uart", &uart_tegra},
		{"cdns,uart-r1p12", &uart_cadence},
		{"cdns,uart-r1p8", &uart_cadence},
		{"xlnx,zynqmp-uart", &uart_cadence},
		{"xlnx,xuartps", &uart_cadence},
		{"fsl,imx6q-uart", &uart_imx},
		{"fsl,imx21-uart", &uart_imx},
		{"fsl,imx8qm-lpuart", &uart_lpuart},
		{"fsl,imx8qxp-lpuart", &uart_lpuart},
		{"fsl,imx7ulp-lpuart", &uart_lpuart},
		{"renesas,rcar-gen3-scif", &uart_scif},
		{"renesas,scif", &uart_scif},
		{"brcm,bcm2835-aux-uart", &uart_bcm2835_aux},
	};
	int len;
	const char *list = dt_getprop(fdt, node, "compatible", &len);
	int pos = 0;

	while (list != NULL && pos < len) {
		const char *s = &list[pos];
		size_t left = (size_t)len - (size_t)pos;
		size_t n = strnlen(s, left);

		for (size_t i = 0; i < sizeof(matches) / sizeof(matches[0]); i++) {
			if (strlen(matches[i].compatible) == n && memcmp(s, matches[i].compatible, n) == 0)
				return &matches[i];
		}
		pos += (int)n + 1;
	}
	return NULL;
}

/* A u32 property, @dflt when absent; false when present but malformed. */
static bool prop_u32_or(const void *fdt, int node, const char *prop, uint32_t dflt, uint32_t *out)
{
	int len;
	const fdt32_t *v = dt_getprop(fdt, node, prop, &len);

	*out = dflt;
	if (v == NULL)
		return true;
	if (len != 4)
		return false;
	*out = fdt32_to_cpu(*v);
	return true;
}

static enum bh_err select_refuse(char *why, size_t why_len, const char *path, const char *what,
			  const char *compatible, enum bh_err err)
{
	(void)bh_snprintf(why, why_len, "%s: compatible \"%s\": %s", path, compatible, what);
	return err;
}

enum bh_err uart_select(const void *fdt, int node, struct uart *u, char *why, size_t why_len)
{
	char path[128];
	const char *where = fdt_path_or_unknown(fdt, node, path, sizeof(path));
	const struct uart_match *m = match_node(fdt, node);
	const char *first = dt_getprop(fdt, node, "compatible", NULL);
	struct mem_range r;
	uint32_t shift;
	uint32_t width;

	(void)memset(u, 0, sizeof(*u));
	if (m == NULL)
		return select_refuse(why, why_len, where, "no console driver for it", first != NULL ? first : "",
			      BH_ERR_UNSUPPORTED);
	if (!prop_u32_or(fdt, node, "reg-shift", m->drv->default_shift, &shift) || shift > 3)
		return select_refuse(why, why_len, where, "property 'reg-shift' must be one cell, 0 to 3",
			      m->compatible, BH_ERR_INVALID);
	if (!prop_u32_or(fdt, node, "reg-io-width", m->drv->default_width, &width) ||
	    (width != 1 && width != 2 && width != 4))
		return select_refuse(why, why_len, where, "property 'reg-io-width' must be 1, 2 or 4",
			      m->compatible, BH_ERR_INVALID);
	if (fdt_node_reg(fdt, node, 0, &r) != BH_OK)
		return select_refuse(why, why_len, where, "property 'reg': no register range",
			      m->compatible, BH_ERR_INVALID);
	u->io = fdt_node_in_io_space(fdt, node);
	if (u->io && (!m->drv->io_ok || !arch_uart_io_space))
		return select_refuse(why, why_len, where, "I/O-port registers, which this port has not",
			      m->compatible, BH_ERR_UNSUPPORTED);
	if (!u->io && fdt_reg_to_cpu(fdt, node, &r) != BH_OK)
		return select_refuse(why, why_len, where,
			      "property 'reg': no bus 'ranges' above it maps it to a CPU address",
			      m->compatible, BH_ERR_NOT_FOUND);
	if (r.size < (m->drv->span << shift) || r.base + r.size < r.base ||
	    (u->io && r.base + r.size > 0x10000))
		return select_refuse(why, why_len, where, "property 'reg': too small for its registers",
			      m->compatible, BH_ERR_INVALID);
	u->drv = m->drv;
	u->compatible = m->compatible;
	u->base = r.base;
	u->size = r.size;
	u->shift = (uint8_t)shift;
	u->width = (uint8_t)width;
	return BH_OK;
}

size_t uart_tx(struct uart *u, const char *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		unsigned int room = u->drv->tx_room(u);

		if (room == 0)
			break;
		for (; room != 0 && done < len; room--)
			u->drv->tx_put(u, (uint8_t)buf[done++]);
	}
	return done;
}
