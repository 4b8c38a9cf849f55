/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The few UEFI structures the UEFI application entry uses (UEFI
 * specification 2.10, sections 4 and 7), shared by arch/arm64/efi.c and its
 * stand-in when the build leaves it out (efi_none.c); unused members are
 * kept as opaque pointers so the offsets match.
 */
#ifndef ARCH_EFI_H
#define ARCH_EFI_H

#include <stdint.h>

typedef uint64_t efi_status;
typedef void *efi_handle;
typedef uint16_t efi_char16;

#define EFI_SUCCESS 0
#define EFI_ERROR_BIT (1ULL << 63)
#define EFI_INVALID_PARAMETER (EFI_ERROR_BIT | 2)
#define EFI_BUFFER_TOO_SMALL (EFI_ERROR_BIT | 5)
#define EFI_LOADER_DATA 2

struct efi_guid {
	uint32_t a;
	uint16_t b;
	uint16_t c;
	uint8_t d[8];
};

struct efi_table_header {
	uint64_t signature;
	uint32_t revision;
	uint32_t header_size;
	uint32_t crc32;
	uint32_t reserved;
};

struct efi_text_output {
	void *reset;
	efi_status (*output_string)(struct efi_text_output *self, const efi_char16 *text);
};

struct efi_boot_services {
	struct efi_table_header hdr;
	void *raise_tpl;
	void *restore_tpl;
	void *allocate_pages;
	void *free_pages;
	efi_status (*get_memory_map)(uint64_t *map_size, void *map, uint64_t *map_key,
				     uint64_t *descriptor_size, uint32_t *descriptor_version);
	efi_status (*allocate_pool)(uint32_t pool_type, uint64_t size, void **buffer);
	void *free_pool;
	void *create_event;
	void *set_timer;
	void *wait_for_event;
	void *signal_event;
	void *close_event;
	void *check_event;
	void *install_protocol_interface;
	void *reinstall_protocol_interface;
	void *uninstall_protocol_interface;
	void *handle_protocol;
	void *reserved;
	void *register_protocol_notify;
	void *locate_handle;
	void *locate_device_path;
	void *install_configuration_table;
	void *load_image;
	void *start_image;
	void *exit;
	void *unload_image;
	efi_status (*exit_boot_services)(efi_handle image, uint64_t map_key);
};

struct efi_configuration_table {
	struct efi_guid vendor_guid;
	void *vendor_table;
};

struct efi_system_table {
	struct efi_table_header hdr;
	efi_char16 *firmware_vendor;
	uint32_t firmware_revision;
	efi_handle console_in_handle;
	void *con_in;
	efi_handle console_out_handle;
	struct efi_text_output *con_out;
	efi_handle standard_error_handle;
	struct efi_text_output *std_err;
	void *runtime_services;
	struct efi_boot_services *boot_services;
	uint64_t number_of_table_entries;
	struct efi_configuration_table *configuration_table;
};

/* Called by head.S's efi_entry: the DTB's address with boot services
 * ended, or 0 after saying why (the firmware then gets EFI_LOAD_ERROR). */
uint64_t efi_main(efi_handle image, struct efi_system_table *st);

#endif
