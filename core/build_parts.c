// SPDX-License-Identifier: Apache-2.0
/*
 * Which optional parts this build left out, read from the parts string the
 * banner and bulkhead-check --version print ("CHANNELS=y ... GICV2=n"), so
 * that what a build refuses and what it says it has can never disagree.
 * Most parts need no such question (their stubs refuse); a choice between
 * parts that are all in core's reach, as the GIC versions, asks it here.
 */

#include <string.h>

#include <bulkhead/boot.h>

bool build_part_left_out(const char *option)
{
	size_t n = strlen(option);
	const char *parts = bulkhead_parts;
	size_t at = 0;

	/* Unit tests and fuzz targets build every part and say nothing of
	 * them: only an explicit "OPTION=n" leaves a part out. */
	while (parts[at] != '\0') {
		size_t len = 0;

		while (parts[at + len] != '\0' && parts[at + len] != ' ')
			len++;
		if (len == n + 2u && strncmp(&parts[at], option, n) == 0 && parts[at + n] == '=')
			return parts[at + n + 1u] == 'n';
		at += len;
		while (parts[at] == ' ')
			at++;
	}
	return false;
}
