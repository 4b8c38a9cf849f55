// SPDX-License-Identifier: Apache-2.0
/*
 * The UEFI application entry left out of the build (EFI=n,
 * docs/building.md): replaces arch/arm64/efi.c. The image keeps its PE/COFF
 * header (it is also the arm64 Image header's neighbour, and costs a few
 * bytes), so firmware that starts it hears why it will not run and gets
 * EFI_LOAD_ERROR back, rather than the hypervisor booting half set up.
 */

#include <stddef.h>
#include <stdint.h>

#include <arch/efi.h>

uint64_t efi_main(efi_handle image, struct efi_system_table *st)
{
	static const char msg[] = "Bulkhead: this build has no UEFI application entry (EFI=n): "
				  "start it as a Linux Image (booti, -kernel); not starting\r\n";
	efi_char16 line[sizeof(msg)]; /* UTF-16, its NUL included */

	(void)image;
	for (size_t n = 0; n < sizeof(msg); n++)
		line[n] = (efi_char16)msg[n];
	if (st->con_out != NULL)
		st->con_out->output_string(st->con_out, line);
	return 0;
}
