// SPDX-License-Identifier: Apache-2.0
/*
 * libfdt's error codes by name, for messages. libfdt's own fdt_strerror()
 * keeps its names behind a table of pointers, which in a position-
 * independent image costs 160 bytes of data and 19 relocations (456 bytes
 * of .rela.dyn); held in place, as here, they cost neither.
 */

#include <libfdt.h>

#include <bulkhead/compiler.h>
#include <bulkhead/dt.h>

/* One row per error of the libfdt the image links. */
STATIC_ASSERT(FDT_ERR_MAX == 19, "dt_strerror() names FDT_ERR_1..19");

const char *dt_strerror(int err)
{
	/* Indexed by the error's magnitude, designated as the MISRA check
	 * wants (9.3, 9.4); the longest, FDT_ERR_BADSTRUCTURE, and its NUL fill
	 * a row. */
	static const char names[20][21] = {
		[0] = "<no error>",
		[FDT_ERR_NOTFOUND] = "FDT_ERR_NOTFOUND",
		[FDT_ERR_EXISTS] = "FDT_ERR_EXISTS",
		[FDT_ERR_NOSPACE] = "FDT_ERR_NOSPACE",
		[FDT_ERR_BADOFFSET] = "FDT_ERR_BADOFFSET",
		[FDT_ERR_BADPATH] = "FDT_ERR_BADPATH",
		[FDT_ERR_BADPHANDLE] = "FDT_ERR_BADPHANDLE",
		[FDT_ERR_BADSTATE] = "FDT_ERR_BADSTATE",
		[FDT_ERR_TRUNCATED] = "FDT_ERR_TRUNCATED",
		[FDT_ERR_BADMAGIC] = "FDT_ERR_BADMAGIC",
		[FDT_ERR_BADVERSION] = "FDT_ERR_BADVERSION",
		[FDT_ERR_BADSTRUCTURE] = "FDT_ERR_BADSTRUCTURE",
		[FDT_ERR_BADLAYOUT] = "FDT_ERR_BADLAYOUT",
		[FDT_ERR_INTERNAL] = "FDT_ERR_INTERNAL",
		[FDT_ERR_BADNCELLS] = "FDT_ERR_BADNCELLS",
		[FDT_ERR_BADVALUE] = "FDT_ERR_BADVALUE",
		[FDT_ERR_BADOVERLAY] = "FDT_ERR_BADOVERLAY",
		[FDT_ERR_NOPHANDLES] = "FDT_ERR_NOPHANDLES",
		[FDT_ERR_BADFLAGS] = "FDT_ERR_BADFLAGS",
		[FDT_ERR_ALIGNMENT] = "FDT_ERR_ALIGNMENT",
	};

	if (err > 0)
		return "<valid offset/length>";
	if (err < -FDT_ERR_MAX)
		return "<unknown error>";
	return names[-err];
}
