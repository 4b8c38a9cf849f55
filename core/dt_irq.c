// SPDX-License-Identifier: Apache-2.0
/*
 * Interrupt specifiers from `interrupts` or `interrupts-extended`: one
 * reader, so a board whose timer or UART uses either form (R-Car, RK3588's
 * 4-cell GIC) is read the same by every check and by the partitions' DTs.
 */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/dt.h>
#include <bulkhead/dt_irq.h>

/* Largest GIC SPI number in a specifier (INTID 1019 - 32). */
#define GIC_SPI_MAX 987u
#define GIC_PPI_MAX 15u
#define GIC_TYPE_SPI 0u
#define GIC_TYPE_PPI 1u
#define IRQ_TYPE_EDGE_BOTH 0x3u

int dt_interrupt_parent(const void *fdt, int node)
{
	for (int n = node; n >= 0; n = dt_parent_offset(fdt, n)) {
		int len;
		const fdt32_t *ph = dt_getprop(fdt, n, "interrupt-parent", &len);

		if (ph != NULL)
			return len == 4 ? dt_node_by_phandle(fdt, fdt32_to_cpu(*ph)) : -1;
		if (n == 0)
			break;
	}
	return -1;
}

const char *dt_irq_prop_name(const void *fdt, int node)
{
	return dt_getprop(fdt, node, "interrupts-extended", NULL) != NULL ? "interrupts-extended"
									  : "interrupts";
}

/* #interrupt-cells of controller @parent, or -1 if absent or out of range. */
static int interrupt_cells(const void *fdt, int parent)
{
	int len;
	const fdt32_t *v = parent >= 0 ? dt_getprop(fdt, parent, "#interrupt-cells", &len) : NULL;

	if (v == NULL || len != 4 || fdt32_to_cpu(*v) < 1u || fdt32_to_cpu(*v) > DT_IRQ_MAX_CELLS)
		return -1;
	return (int)fdt32_to_cpu(*v);
}

static void copy_spec(const fdt32_t *v, struct dt_irq *out)
{
	for (int i = 0; i < out->cells; i++)
		out->spec[i] = fdt32_to_cpu(v[i]);
}

/* Entry @index of `interrupts-extended`: each its own parent and size. */
static enum bh_err get_extended(const void *fdt, const fdt32_t *v, int words, int index,
				struct dt_irq *out)
{
	int at = 0;
	int i = 0;

	while (at < words) {
		int parent = dt_node_by_phandle(fdt, fdt32_to_cpu(v[at]));
		int cells = interrupt_cells(fdt, parent);

		if (parent < 0 || cells <= 0 || at + 1 + cells > words)
			return BH_ERR_INVALID;
		if (i == index) {
			out->parent = parent;
			out->cells = cells;
			copy_spec(&v[at + 1], out);
			return BH_OK;
		}
		at += 1 + cells;
		i++;
	}
	return BH_ERR_NOT_FOUND;
}

enum bh_err dt_irq_get(const void *fdt, int node, int index, struct dt_irq *out)
{
	int len;
	const fdt32_t *v = dt_getprop(fdt, node, "interrupts-extended", &len);

	(void)memset(out, 0, sizeof(*out));
	if (index < 0)
		return BH_ERR_NOT_FOUND;
	if (v != NULL) {
		if (len % 4 != 0)
			return BH_ERR_INVALID;
		return get_extended(fdt, v, len / 4, index, out);
	}
	v = dt_getprop(fdt, node, "interrupts", &len);
	if (v == NULL)
		return BH_ERR_NOT_FOUND;
	int parent = dt_interrupt_parent(fdt, node);
	int cells = interrupt_cells(fdt, parent);

	if (cells <= 0 || len % (cells * 4) != 0)
		return BH_ERR_INVALID;
	if (index >= len / (cells * 4))
		return BH_ERR_NOT_FOUND;
	out->parent = parent;
	out->cells = cells;
	copy_spec(&v[index * cells], out);
	return BH_OK;
}

bool dt_is_gic(const void *fdt, int node)
{
	static const char *const gics[] = {"arm,gic-v3", "arm,gic-400", "arm,cortex-a15-gic",
					   "arm,cortex-a9-gic", "arm,gic-v2"};

	for (unsigned int i = 0; node >= 0 && i < sizeof(gics) / sizeof(gics[0]); i++) {
		if (dt_node_is_compatible(fdt, node, gics[i]))
			return true;
	}
	return false;
}

uint32_t dt_irq_gic_intid(const void *fdt, const struct dt_irq *irq)
{
	if (irq->cells < 3 || !dt_is_gic(fdt, irq->parent))
		return 0;
	if (irq->spec[0] == GIC_TYPE_SPI && irq->spec[1] <= GIC_SPI_MAX)
		return irq->spec[1] + 32u;
	if (irq->spec[0] == GIC_TYPE_PPI && irq->spec[1] <= GIC_PPI_MAX)
		return irq->spec[1] + 16u;
	return 0;
}

bool dt_irq_gic_edge(const struct dt_irq *irq)
{
	return irq->cells >= 3 && (irq->spec[2] & IRQ_TYPE_EDGE_BOTH) != 0u;
}
