// SPDX-License-Identifier: Apache-2.0
/*
 * x86-64 boot: from head.S (long mode, identity map, .bss clear) to the
 * architecture-neutral boot_primary_main(). The system device tree is a
 * multiboot module: the one whose command line has the word "dtb" (QEMU:
 * -initrd "system.dtb dtb"; GRUB: module2 /system.dtb dtb), else the first
 * module that starts with the FDT magic.
 */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/boot.h>
#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/dt.h>

#include <arch/x86.h>

#define MB1_BOOT_MAGIC 0x2badb002u
#define MB2_BOOT_MAGIC 0x36d76289u
#define MB1_INFO_MODS (1u << 3)
#define MB2_TAG_END 0
#define MB2_TAG_MODULE 3
#define MB2_TAG_MEMORY_MAP 6
#define MB1_INFO_MEMORY_MAP (1u << 6)
#define MEMORY_AVAILABLE 1
#define COM1 0x3f8

struct boot_module {
	uint32_t start, end;
	const char *string;
};

static struct boot_module modules[16];
static unsigned int module_count;
static const char *loader = "unknown";

/* RAM as the loader's memory map (from the firmware's E820) has it. */
static struct mem_range usable[32];
static unsigned int usable_count;
static bool have_memory_map;

static void add_usable(uint64_t base, uint64_t size, uint32_t type)
{
	have_memory_map = true;
	if (type == MEMORY_AVAILABLE && size != 0 && usable_count < ARRAY_SIZE(usable))
		usable[usable_count++] = (struct mem_range){base, size};
}

/* Whether [base, base + size) is all usable RAM; if not, *hole is the
 * first address that is not. */
static bool is_usable(uint64_t base, uint64_t size, uint64_t *hole)
{
	uint64_t at = base;

	while (at < base + size) {
		unsigned int i = 0;

		while (i < usable_count && !(at >= usable[i].base && at - usable[i].base < usable[i].size))
			i++;
		if (i == usable_count) {
			*hole = at;
			return false;
		}
		at = usable[i].base + usable[i].size;
	}
	return true;
}

enum bh_err x86_check_ram(const struct platform *p)
{
	enum bh_err err = BH_OK;
	uint64_t hole;

	if (!have_memory_map) {
		log_printf("warning: the loader gave no memory map: the device tree's RAM is "
			   "trusted as it is\n");
		return BH_OK;
	}
	for (unsigned int i = 0; i < p->ram_count; i++) {
		const struct mem_range *r = &p->ram[i];

		if (!is_usable(r->base, r->size, &hole)) {
			log_printf("error: /memory: 0x%llx-0x%llx is not all RAM by the %s memory map: "
				   "0x%llx is not\n", (unsigned long long)r->base,
				   (unsigned long long)(r->base + r->size - 1), loader,
				   (unsigned long long)hole);
			err = BH_ERR_INVALID;
		}
	}
	for (unsigned int i = 0; i < module_count; i++) {
		const struct boot_module *m = &modules[i];

		if (m->end > m->start && !is_usable(m->start, m->end - m->start, &hole)) {
			log_printf("error: boot module \"%s\" at 0x%x-0x%x is not in RAM by the %s "
				   "memory map\n", m->string != NULL ? m->string : "", m->start,
				   m->end - 1, loader);
			err = BH_ERR_INVALID;
		}
	}
	if (err == BH_OK)
		log_printf("%s: memory map checked: the device tree's RAM and %u module(s) are RAM\n",
			   loader, module_count);
	return err;
}

static void add_module(uint32_t start, uint32_t end, const char *string)
{
	if (module_count < ARRAY_SIZE(modules))
		modules[module_count++] = (struct boot_module){start, end, string};
}

/* A little-endian field of a loader's table, at any alignment; byte by
 * byte rather than memcpy into a wider type (rule 21.15). */
static uint64_t loader_field(const uint8_t *p, unsigned int at, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = bytes; i > 0u; i--)
		v = (v << 8) | p[at + i - 1u];
	return v;
}

static void read_multiboot1(uint32_t info_pa)
{
	const uint32_t *info = (const uint32_t *)(uintptr_t)info_pa;

	loader = "multiboot1";
	if ((info[0] & MB1_INFO_MEMORY_MAP) != 0u) {
		const uint8_t *e = (const uint8_t *)(uintptr_t)info[12];
		const uint8_t *end = e + info[11];

		/* Entries: size (not counting itself), base, length, type; unaligned. */
		while (e + 24 <= end) {
			uint32_t size = (uint32_t)loader_field(e, 0, 4);

			add_usable(loader_field(e, 4, 8), loader_field(e, 12, 8),
				   (uint32_t)loader_field(e, 20, 4));
			e += size + 4;
		}
	}
	if (!(info[0] & MB1_INFO_MODS))
		return;
	const uint32_t *mod = (const uint32_t *)(uintptr_t)info[6];

	for (uint32_t i = 0; i < info[5]; i++, mod += 4)
		add_module(mod[0], mod[1], (const char *)(uintptr_t)mod[2]);
}

static void read_multiboot2(uint32_t info_pa)
{
	/* Physical addresses, as integers: each tag is reached by its own (11.3). */
	uint64_t at = (uint64_t)info_pa + 8;
	uint64_t end = (uint64_t)info_pa + *(const uint32_t *)(uintptr_t)info_pa;

	loader = "multiboot2";
	while (at + 8 <= end) {
		const uint32_t *tag = (const uint32_t *)(uintptr_t)at;

		if (tag[0] == MB2_TAG_END || tag[1] < 8)
			break;
		if (tag[0] == MB2_TAG_MODULE)
			add_module(tag[2], tag[3], (const char *)(tag + 4));
		if (tag[0] == MB2_TAG_MEMORY_MAP && tag[2] >= 24) {
			for (uint32_t off = 16; off + 24 <= tag[1]; off += tag[2]) {
				const uint8_t *e = (const uint8_t *)(uintptr_t)(at + off);

				add_usable(loader_field(e, 0, 8), loader_field(e, 8, 8),
					   (uint32_t)loader_field(e, 16, 4));
			}
		}
		at += ALIGN_UP(tag[1], 8u);
	}
}

static bool has_word(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = s; p != NULL && *p != '\0';) {
		while (*p == ' ')
			p++;
		const char *q = strchr(p, ' ');
		size_t len = q != NULL ? (size_t)(q - p) : strlen(p);

		if (len == n && strncmp(p, word, n) == 0)
			return true;
		p = q;
	}
	return false;
}

static const struct boot_module *find_dtb(void)
{
	for (unsigned int i = 0; i < module_count; i++) {
		if (modules[i].string != NULL && has_word(modules[i].string, "dtb"))
			return &modules[i];
	}
	for (unsigned int i = 0; i < module_count; i++) {
		if (modules[i].end - modules[i].start >= 4 &&
		    fdt_magic((const void *)(uintptr_t)modules[i].start) == FDT_MAGIC)
			return &modules[i];
	}
	return NULL;
}

/*
 * Boot modules a loader such as GRUB placed where it chose: a multiboot
 * module whose string has the word `bulkhead-module=PATH` fills in the DT
 * module node at PATH, whose `reg` is rewritten in place to where the module
 * is (same cell counts, so the tree does not move). QEMU's -kernel flow puts
 * the modules at the DT's addresses itself and needs none of this.
 * Returns how many were placed, or -1 with *error the offending string.
 */
#define PLACE_WORD "bulkhead-module="

static const char *place_path(const char *s, size_t *len)
{
	const size_t n = sizeof(PLACE_WORD) - 1u;
	const char *p = s;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		size_t word = 0;

		while (p[word] != '\0' && p[word] != ' ')
			word++;
		if (word > n && strncmp(p, PLACE_WORD, n) == 0) {
			*len = word - n;
			return p + n;
		}
		p = &p[word];
	}
	return NULL;
}

static int place_modules(void *fdt, const char **error)
{
	int placed = 0;

	for (unsigned int i = 0; i < module_count; i++) {
		size_t len = 0;
		const char *path = modules[i].string != NULL ? place_path(modules[i].string, &len) : NULL;

		if (path == NULL)
			continue;
		/* Not yet indexed (the DT index is built after this, from the
		 * result): dt_path_offset() takes aliases only to absolute paths. */
		int node = dt_path_offset(fdt, path, (int)len);
		int rlen;
		const fdt32_t *reg = node >= 0 ? fdt_getprop(fdt, node, "reg", &rlen) : NULL;
		fdt32_t cells[4] = {cpu_to_fdt32(0), cpu_to_fdt32(modules[i].start), cpu_to_fdt32(0),
				    cpu_to_fdt32(modules[i].end - modules[i].start)};

		if (reg == NULL || rlen != 16 ||
		    fdt_node_check_compatible(fdt, node, "multiboot,module") != 0 ||
		    fdt_setprop_inplace(fdt, node, "reg", cells, sizeof(cells)) != 0) {
			*error = modules[i].string;
			return -1;
		}
		placed++;
	}
	return placed;
}

/* Without a device tree there is no console; COM1 is the PC's best guess. */
static NORETURN void early_refusal(const char *why)
{
	for (const char *c = why; *c != '\0'; c++) {
		while (!(inb(COM1 + 5) & 0x20))
			__asm__ volatile("pause");
		outb(COM1, (uint8_t)*c);
	}
	arch_cpu_halt();
}

static uint16_t exit_port;
static uint32_t exit_value; /* two-cell form: the 16-bit word written to power off */
static bool exit_word;

uint16_t x86_exit_port(void)
{
	return exit_port;
}

/* Ends the run (tests): QEMU's isa-debug-exit takes @status (it exits
 * with 2 * status + 1); a two-cell exit-on-idle (bochs' ACPI PM1a control
 * register and its power-off word) has one way out whatever the status,
 * and the tests read why from the log. */
void x86_exit(uint32_t status)
{
	if (exit_port == 0u)
		return;
	if (exit_word) {
		/* A power-off ends the machine at once, unlike isa-debug-exit
		 * under QEMU, whose UART has no transmit time. */
		console_flush();
		x86_console_wait_sent();
		outw(exit_port, (uint16_t)exit_value);
	}
	else
		outl(exit_port, status);
}

static void read_chosen(const void *fdt)
{
	int chosen = dt_path_offset(fdt, "/chosen", 7);
	int len;
	const fdt32_t *v = chosen >= 0 ? fdt_getprop(fdt, chosen, "bulkhead,exit-on-idle", &len) : NULL;

	if (v != NULL && (len == 4 || len == 8) && fdt32_to_cpu(*v) < 0x10000) {
		exit_port = (uint16_t)fdt32_to_cpu(*v);
		exit_word = len == 8;
		exit_value = len == 8 ? fdt32_to_cpu(v[1]) : 0u;
	}
}

NORETURN void x86_primary_main(uint32_t magic, uint32_t info);
NORETURN void x86_primary_main(uint32_t magic, uint32_t info)
{
	uint32_t boot_apic_id = cpuid(1, 0).ebx >> 24;

	cpus[0].arch.apic_id = boot_apic_id;
	idt_init();
	x86_cpu_local_init(0);
	x86_time_init(pit_calibrate_tsc());
	uint64_t entry_ns = arch_time_ns();

	if (magic == MB1_BOOT_MAGIC)
		read_multiboot1(info);
	else if (magic == MB2_BOOT_MAGIC)
		read_multiboot2(info);
	else
		early_refusal("\r\nBulkhead: not started by a multiboot loader; halting\r\n");
	const struct boot_module *dtb = find_dtb();
	const void *fdt = dtb != NULL ? (const void *)(uintptr_t)dtb->start : NULL;

	if (fdt == NULL || fdt_check_header(fdt) != 0 ||
	    fdt_totalsize(fdt) > dtb->end - dtb->start || !dt_structure_sound(fdt))
		early_refusal("\r\nBulkhead: no valid device tree module (multiboot module \"dtb\"); "
			      "halting\r\n");
	const char *bad_module = NULL;
	int placed = place_modules((void *)(uintptr_t)fdt, &bad_module);

	(void)dt_index_build(fdt);
	if (console_init(fdt) != BH_OK)
		early_refusal("\r\nBulkhead: the device tree describes no usable 16550 console; "
			      "halting\r\n");
	read_chosen(fdt);
	boot_banner();
	log_printf("x86: entered from %s on APIC ID %u at %llu ns since reset, device tree at "
		   "0x%x (module \"%s\")\n", loader, boot_apic_id, (unsigned long long)entry_ns,
		   dtb->start, dtb->string != NULL ? dtb->string : "");
	log_printf("x86: long mode, boot identity map of 4 GiB with 2 MiB pages\n");
	if (placed < 0) {
		log_printf("fatal: multiboot module \"%s\": its " PLACE_WORD " path is not a boot module "
			   "node of the device tree with a two-cell address and size\n", bad_module);
		x86_exit(1);
		arch_cpu_halt();
	}
	if (placed > 0)
		log_printf("x86: %d boot module(s) placed by the loader, their nodes' reg set to match\n",
			   placed);
	x86_virt_choose();
	const char *missing = x86_virt()->missing();

	if (missing != NULL) {
		log_printf("fatal: %s\n", missing);
		log_printf("Bulkhead needs AMD SVM with nested paging (QEMU: -cpu qemu64,+svm,+npt, "
			   "EPYC or max) or Intel VMX with EPT and unrestricted guest (bochs: "
			   "corei5_arrandale_m520 or newer); halting\n");
		x86_exit(1); /* QEMU exits with status 3 */
		arch_cpu_halt();
	}
	boot_primary_main(fdt, boot_apic_id, (uint64_t)(uintptr_t)__image_start,
			  (uint64_t)(uintptr_t)__reserved_end);
}

NORETURN void x86_secondary_main(unsigned int index)
{
	x86_cpu_local_init(index);
	mmu_cpu_init(index);
	x86_ap_arrived(index);
	apic_cpu_init();
	arch_send_event(); /* the boot CPU sleeps until it sees the arrival */
	x86_virt()->cpu_init(index);
	cpu_secondary_main(&cpus[index]);
}
