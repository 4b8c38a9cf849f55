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

/* The drivers, by their index in uart_select()'s table: the table of
 * compatibles names them by a byte. */
#define DRV_PL011 0u
#define DRV_SBSA 1u
#define DRV_NS16550A 2u
#define DRV_NS16550 3u
#define DRV_DW_APB 4u
#define DRV_TI_K3 5u
#define DRV_TEGRA 6u
#define DRV_CADENCE 7u
#define DRV_IMX 8u
#define DRV_LPUART 9u
#define DRV_SCIF 10u
#define DRV_BCM2835_AUX 11u
#define DRV_COUNT 12u

/*
 * Compatible string to driver, in the order a console is looked for
 * without stdout-path. The strings sit in the table, not behind pointers:
 * in the position-independent image each pointer would cost 8 bytes and a
 * 24-byte relocation (as much as a string of its own).
 */
struct uart_match {
	char compatible[23]; /* the longest, "nvidia,tegra194-hsuart", and its NUL */
	uint8_t driver;      /* DRV_* */
};

static const struct uart_match matches[] = {
	{.compatible = "arm,pl011", .driver = DRV_PL011},
	{.compatible = "arm,sbsa-uart", .driver = DRV_SBSA},
	{.compatible = "ns16550a", .driver = DRV_NS16550A},
	{.compatible = "ns16550", .driver = DRV_NS16550},
	{.compatible = "snps,dw-apb-uart", .driver = DRV_DW_APB},
	{.compatible = "ti,am654-uart", .driver = DRV_TI_K3},
	{.compatible = "ti,am64-uart", .driver = DRV_TI_K3},
	{.compatible = "ti,j721e-uart", .driver = DRV_TI_K3},
	{.compatible = "nvidia,tegra194-hsuart", .driver = DRV_TEGRA},
	{.compatible = "nvidia,tegra20-uart", .driver = DRV_TEGRA},
	{.compatible = "cdns,uart-r1p12", .driver = DRV_CADENCE},
	{.compatible = "cdns,uart-r1p8", .driver = DRV_CADENCE},
	{.compatible = "xlnx,zynqmp-uart", .driver = DRV_CADENCE},
	{.compatible = "xlnx,xuartps", .driver = DRV_CADENCE},
	{.compatible = "fsl,imx6q-uart", .driver = DRV_IMX},
	{.compatible = "fsl,imx21-uart", .driver = DRV_IMX},
	{.compatible = "fsl,imx8qm-lpuart", .driver = DRV_LPUART},
	{.compatible = "fsl,imx8qxp-lpuart", .driver = DRV_LPUART},
	{.compatible = "fsl,imx7ulp-lpuart", .driver = DRV_LPUART},
	{.compatible = "renesas,rcar-gen3-scif", .driver = DRV_SCIF},
	{.compatible = "renesas,scif", .driver = DRV_SCIF},
	{.compatible = "brcm,bcm2835-aux-uart", .driver = DRV_BCM2835_AUX},
};

const char *uart_compatible(unsigned int i)
{
	return i < ARRAY_SIZE(matches) ? matches[i].compatible : NULL;
}

/* The first of the node's compatibles (its own order: most specific
 * first) that has a driver. */
static const struct uart_match *match_node(const void *fdt, int node)
{
	int len;
	const char *list = dt_getprop(fdt, node, "compatible", &len);
	int pos = 0;

	while (list != NULL && pos < len) {
		const char *s = &list[pos];
		size_t left = (size_t)len - (size_t)pos;
		size_t n = strnlen(s, left);

		for (size_t i = 0; i < ARRAY_SIZE(matches); i++) {
			if (strnlen(matches[i].compatible, sizeof(matches[i].compatible)) == n &&
			    memcmp(s, matches[i].compatible, n) == 0)
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
	static const struct uart_driver *const drivers[DRV_COUNT] = {
		[DRV_PL011] = &uart_pl011,
		[DRV_SBSA] = &uart_sbsa,
		[DRV_NS16550A] = &uart_ns16550a,
		[DRV_NS16550] = &uart_ns16550,
		[DRV_DW_APB] = &uart_dw_apb,
		[DRV_TI_K3] = &uart_ti_k3,
		[DRV_TEGRA] = &uart_tegra,
		[DRV_CADENCE] = &uart_cadence,
		[DRV_IMX] = &uart_imx,
		[DRV_LPUART] = &uart_lpuart,
		[DRV_SCIF] = &uart_scif,
		[DRV_BCM2835_AUX] = &uart_bcm2835_aux,
	};
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
	const struct uart_driver *drv = drivers[m->driver];

	if (drv->left_out != NULL) {
		char what[64];

		(void)bh_snprintf(what, sizeof(what), "this build has no driver for it (%s=n)",
				  drv->left_out);
		return select_refuse(why, why_len, where, what, m->compatible, BH_ERR_UNSUPPORTED);
	}
	if (!prop_u32_or(fdt, node, "reg-shift", drv->default_shift, &shift) || shift > 3)
		return select_refuse(why, why_len, where, "property 'reg-shift' must be one cell, 0 to 3",
			      m->compatible, BH_ERR_INVALID);
	if (!prop_u32_or(fdt, node, "reg-io-width", drv->default_width, &width) ||
	    (width != 1 && width != 2 && width != 4))
		return select_refuse(why, why_len, where, "property 'reg-io-width' must be 1, 2 or 4",
			      m->compatible, BH_ERR_INVALID);
	if (fdt_node_reg(fdt, node, 0, &r) != BH_OK)
		return select_refuse(why, why_len, where, "property 'reg': no register range",
			      m->compatible, BH_ERR_INVALID);
	u->io = fdt_node_in_io_space(fdt, node);
	if (u->io && (!drv->io_ok || !arch_uart_io_space))
		return select_refuse(why, why_len, where, "I/O-port registers, which this port has not",
			      m->compatible, BH_ERR_UNSUPPORTED);
	if (!u->io && fdt_reg_to_cpu(fdt, node, &r) != BH_OK)
		return select_refuse(why, why_len, where,
			      "property 'reg': no bus 'ranges' above it maps it to a CPU address",
			      m->compatible, BH_ERR_NOT_FOUND);
	if (r.size < (drv->span << shift) || r.base + r.size < r.base ||
	    (u->io && r.base + r.size > 0x10000))
		return select_refuse(why, why_len, where, "property 'reg': too small for its registers",
			      m->compatible, BH_ERR_INVALID);
	u->drv = drv;
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
