// SPDX-License-Identifier: Apache-2.0
/* Writes to COM2 (port 0x2f8), which its partition does not own: the I/O
 * intercept stops the partition; "still running" never shows. */

#include "rt.h"

int main(void)
{
	printf("porttouch: writing port 0x2f8\n");
	rt_outb(0x2f8, 'X');
	printf("porttouch: still running\n");
	return 0;
}
