// SPDX-License-Identifier: Apache-2.0
/*
 * /bin/cntvct in the Linux test initramfs: prints the virtual counter
 * (CNTVCT_EL0, which Linux lets EL0 read) and its frequency as
 * "<ticks> <hz>". make bench uses it to time the boot to /init against
 * reset, in counter time. Static and libc-free: two system calls.
 */

#define SYS_WRITE 64
#define SYS_EXIT 93

static long syscall3(long nr, long a, long b, long c)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
}

/* Decimal digits of @v ending at @end; returns where they start. */
static char *decimal(char *end, unsigned long v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return end;
}

void _start(void);
__attribute__((noreturn)) void _start(void)
{
	unsigned long ticks, hz;
	char buf[48];
	char *end = buf + sizeof(buf);
	char *p;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(ticks));
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(hz));
	*--end = '\n';
	p = decimal(end, hz);
	*--p = ' ';
	p = decimal(p, ticks);
	syscall3(SYS_WRITE, 1, (long)p, buf + sizeof(buf) - p);
	syscall3(SYS_EXIT, 0, 0, 0);
	__builtin_unreachable();
}
