// SPDX-License-Identifier: Apache-2.0
/*
 * /bin/perfstat in the Linux test initramfs: what `perf stat -e
 * cycles,instructions` does, for a partition that owns its CPUs' PMU
 * (`pmu`, docs/bindings/partitions.md), without perf (Debian's linux-perf
 * is not in the initramfs): the two hardware events opened with
 * perf_event_open(2) on this process, enabled around a fixed loop, read and
 * printed in perf stat's layout. Counting user and kernel, and asking for
 * the hypervisor too (exclude_hv clear, perf's default): Bulkhead never lets
 * EL2 be counted (arch/arm64/vpmu.c). An event that cannot be opened
 * prints "<not supported>", as perf does. Static and libc-free.
 */

#define SYS_IOCTL 29
#define SYS_CLOSE 57
#define SYS_READ 63
#define SYS_WRITE 64
#define SYS_EXIT 93
#define SYS_PERF_EVENT_OPEN 241

#define PERF_TYPE_HARDWARE 0
#define PERF_COUNT_HW_CPU_CYCLES 0
#define PERF_COUNT_HW_INSTRUCTIONS 1
#define PERF_ATTR_DISABLED 1ul /* the first flag bit */
#define PERF_EVENT_IOC_ENABLE 0x2400
#define PERF_EVENT_IOC_DISABLE 0x2401

#define LOOPS 1000000

/* PERF_ATTR_SIZE_VER0: the fields every kernel knows. */
struct perf_event_attr {
	unsigned int type;
	unsigned int size;
	unsigned long config;
	unsigned long sample_period;
	unsigned long sample_type;
	unsigned long read_format;
	unsigned long flags; /* disabled, inherit, pinned, ..., exclude_hv (bit 6), ... */
	unsigned int wakeup_events;
	unsigned int bp_type;
	unsigned long config1;
};

static long syscall5(long nr, long a, long b, long c, long d, long e)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4)
			 : "memory");
	return x0;
}

static unsigned long length(const char *s)
{
	unsigned long n = 0;

	while (s[n] != '\0')
		n++;
	return n;
}

static void print(const char *s)
{
	(void)syscall5(SYS_WRITE, 1, (long)s, (long)length(s), 0, 0);
}

/* Right-aligned in 19 columns, as perf stat prints counts. */
static void print_count(unsigned long v)
{
	char buf[24];
	char *p = buf + sizeof(buf) - 1;

	*p = '\0';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (p > buf + sizeof(buf) - 1 - 19)
		*--p = ' ';
	print(p);
}

static long open_event(unsigned long config)
{
	/* Field by field: an initialiser could become a memset call, and
	 * there is no libc. */
	struct perf_event_attr attr;
	volatile unsigned char *bytes = (volatile unsigned char *)&attr;

	for (unsigned long i = 0; i < sizeof(attr); i++)
		bytes[i] = 0;
	attr.type = PERF_TYPE_HARDWARE;
	attr.size = sizeof(struct perf_event_attr);
	attr.config = config;
	attr.flags = PERF_ATTR_DISABLED;

	return syscall5(SYS_PERF_EVENT_OPEN, (long)&attr, 0 /* this process */, -1 /* any CPU */,
			-1 /* no group */, 0);
}

void _start(void);
__attribute__((noreturn)) void _start(void)
{
	static const char *const names[2] = {"cycles", "instructions"};
	long fd[2];
	unsigned long count[2] = {0, 0};

	fd[0] = open_event(PERF_COUNT_HW_CPU_CYCLES);
	fd[1] = open_event(PERF_COUNT_HW_INSTRUCTIONS);
	for (int i = 0; i < 2; i++) {
		if (fd[i] >= 0)
			(void)syscall5(SYS_IOCTL, fd[i], PERF_EVENT_IOC_ENABLE, 0, 0, 0);
	}
	for (volatile unsigned long n = 0; n < LOOPS; n++)
		;
	for (int i = 0; i < 2; i++) {
		if (fd[i] < 0)
			continue;
		(void)syscall5(SYS_IOCTL, fd[i], PERF_EVENT_IOC_DISABLE, 0, 0, 0);
		if (syscall5(SYS_READ, fd[i], (long)&count[i], sizeof(count[i]), 0, 0) != sizeof(count[i]))
			fd[i] = -1;
		(void)syscall5(SYS_CLOSE, fd[i], 0, 0, 0, 0);
	}
	print("\n Performance counter stats for 'a loop of 1000000':\n\n");
	for (int i = 0; i < 2; i++) {
		if (fd[i] < 0)
			print("      <not supported>");
		else
			print_count(count[i]);
		print("      ");
		print(names[i]);
		print("\n");
	}
	print("\n");
	(void)syscall5(SYS_EXIT, fd[0] < 0 || fd[1] < 0, 0, 0, 0, 0);
	for (;;)
		;
}
