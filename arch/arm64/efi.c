// SPDX-License-Identifier: Apache-2.0
/*
 * Started as a UEFI application (head.S: PE/COFF header, efi_entry): find
 * the device tree in the EFI configuration table, leave boot services, and
 * hand the DTB to head.S, which turns the MMU off and takes the normal boot
 * path. This runs on the firmware's stack and page tables, before anything
 * of the hypervisor is set up: it uses no global state, and prints through
 * the firmware's console until ExitBootServices() takes it away.
 * The UEFI structures it uses are in <arch/efi.h>.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bulkhead/boot.h>
#include <bulkhead/compiler.h>

#include <arch/efi.h>

/* The flattened device tree (UEFI specification, "EFI_DTB_TABLE_GUID"). */
static const struct efi_guid dtb_table_guid = {
	0xb1b621d5u, 0xf19cu, 0x41a5u, {0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0}};

/* Room for descriptors that appear between sizing the map and reading it
 * (the pool allocation for the map itself adds one or two). */
#define MEMORY_MAP_SLACK_DESCRIPTORS 16
#define EXIT_ATTEMPTS 8
#define FDT_MAGIC 0xd00dfeedu
#define LINE_MAX 160

/* Print an ASCII message as UTF-16, "%" replaced by @value in hex and "#"
 * by @value as one decimal digit. */
static void efi_print(struct efi_system_table *st, const char *msg, uint64_t value)
{
	efi_char16 line[LINE_MAX];
	size_t n = 0;

	for (const char *c = msg; *c != '\0' && n < LINE_MAX - 24; c++) {
		if (*c == '%') {
			line[n++] = '0';
			line[n++] = 'x';
			int shift = 60;

			while (shift > 0 && ((value >> shift) & 0xf) == 0)
				shift -= 4;
			for (; shift >= 0; shift -= 4)
				line[n++] = (efi_char16)"0123456789abcdef"[(value >> shift) & 0xf];
		} else if (*c == '#') {
			line[n++] = (efi_char16)('0' + value % 10);
		} else if (*c == '\n') {
			line[n++] = '\r';
			line[n++] = '\n';
		} else {
			line[n++] = (efi_char16)*c;
		}
	}
	line[n] = 0;
	if (st->con_out != NULL)
		st->con_out->output_string(st->con_out, line);
}

static bool guid_equal(const struct efi_guid *x, const struct efi_guid *y)
{
	const uint8_t *a = (const uint8_t *)x;
	const uint8_t *b = (const uint8_t *)y;

	for (size_t i = 0; i < sizeof(*x); i++) {
		if (a[i] != b[i])
			return false;
	}
	return true;
}

static const void *find_dtb(const struct efi_system_table *st)
{
	for (uint64_t i = 0; i < st->number_of_table_entries; i++) {
		const struct efi_configuration_table *t = &st->configuration_table[i];

		if (guid_equal(&t->vendor_guid, &dtb_table_guid))
			return t->vendor_table;
	}
	return NULL;
}

static unsigned int current_el(void)
{
	uint64_t el;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	return (unsigned int)((el >> 2) & 3);
}

/*
 * ExitBootServices() wants the key of the current memory map; any
 * allocation in between (by the firmware too: timer events run until
 * boot services end) changes it, and the call then fails with
 * EFI_INVALID_PARAMETER: read the map again, into the same buffer, and
 * retry. After one failure only GetMemoryMap and ExitBootServices may be
 * called, hence the buffer allocated once, with slack, up front.
 */
static efi_status exit_boot_services(efi_handle image, struct efi_system_table *st)
{
	struct efi_boot_services *bs = st->boot_services;
	uint64_t size = 0, key, descriptor_size;
	uint32_t version;
	void *map = NULL;
	efi_status status = bs->get_memory_map(&size, NULL, &key, &descriptor_size, &version);

	if (status != EFI_BUFFER_TOO_SMALL)
		return status;
	uint64_t capacity = size + MEMORY_MAP_SLACK_DESCRIPTORS * descriptor_size;

	status = bs->allocate_pool(EFI_LOADER_DATA, capacity, &map);
	if (status != EFI_SUCCESS)
		return status;
	for (int attempt = 0; attempt < EXIT_ATTEMPTS; attempt++) {
		size = capacity;
		status = bs->get_memory_map(&size, map, &key, &descriptor_size, &version);
		if (status != EFI_SUCCESS)
			return status;
		status = bs->exit_boot_services(image, key);
		if (status != EFI_INVALID_PARAMETER)
			return status;
	}
	return status;
}

/* Returns the DTB's address with boot services ended, or 0 after saying why. */
uint64_t efi_main(efi_handle image, struct efi_system_table *st)
{
	const uint32_t *dtb = find_dtb(st);

	efi_print(st, "Bulkhead: started by UEFI\n", 0);
	if (current_el() != 2) {
		efi_print(st, "Bulkhead: not at EL2 (at EL#): the CPU or the firmware gives no "
			  "virtualization (QEMU: -M virt,virtualization=on); not starting\n",
			  current_el());
		return 0;
	}
	if (dtb == NULL) {
		efi_print(st, "Bulkhead: no device tree in the EFI configuration table "
			  "(QEMU: -M virt,acpi=off); not starting\n", 0);
		return 0;
	}
	if (__builtin_bswap32(dtb[0]) != FDT_MAGIC) {
		efi_print(st, "Bulkhead: the EFI device tree at % is not a flattened device tree\n",
			  (uint64_t)(uintptr_t)dtb);
		return 0;
	}
	efi_print(st, "Bulkhead: device tree at %, leaving boot services\n",
		  (uint64_t)(uintptr_t)dtb);
	efi_status status = exit_boot_services(image, st);

	if (status != EFI_SUCCESS) {
		efi_print(st, "Bulkhead: ExitBootServices failed, status %\n", status);
		return 0;
	}
	return (uint64_t)(uintptr_t)dtb;
}
