// SPDX-License-Identifier: Apache-2.0
/*
 * Interrupt controllers and CPU start-up: the legacy PICs remapped out of
 * the exception vectors and masked, every I/O APIC pin masked (no device
 * interrupt is routed yet), a local APIC per CPU whose one-shot timer
 * ticks at least once a millisecond (it bounds every wait, as the arm64
 * event stream does) and sooner where a guest's timer is due, IPIs, and
 * INIT-SIPI-SIPI through the real-mode trampoline.
 */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/dt.h>

#include <arch/x86.h>

#define LAPIC_ID 0x20
#define LAPIC_TPR 0x80
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_ICR_LOW 0x300
#define LAPIC_ICR_HIGH 0x310
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0

#define SVR_ENABLE (1u << 8)
#define LVT_MASKED (1u << 16)
#define LVT_PERIODIC (1u << 17)
#define ICR_PENDING (1u << 12)
#define ICR_INIT 0x4500u     /* INIT, level assert */
#define ICR_STARTUP 0x4600u  /* start-up IPI, level assert */
#define ICR_FIXED 0x4000u
#define TIMER_DIVIDE_16 0x3
#define TIMER_HZ 1000
#define NS_PER_SEC 1000000000ULL

#define IOAPIC_SELECT 0x00
#define IOAPIC_WINDOW 0x10
#define IOAPIC_VERSION 0x01
#define IOAPIC_REDIRECTION(pin) (0x10 + 2 * (pin))

#define PIT_HZ 1193182
#define PIT_CALIBRATION_HZ 100 /* a 10 ms measurement */

static uint64_t lapic;
static uint32_t timer_initial; /* one tick */
static uint64_t timer_hz;

static uint32_t lapic_read(unsigned int reg)
{
	return mmio_read32(lapic + reg);
}

static void lapic_write(unsigned int reg, uint32_t v)
{
	mmio_write32(lapic + reg, v);
}

/* Start a 10 ms countdown on PIT channel 2 (its gate is ours: no speaker). */
static void pit_start(void)
{
	uint16_t count = PIT_HZ / PIT_CALIBRATION_HZ;
	uint8_t gate = (uint8_t)(inb(0x61) & 0xfc);

	outb(0x61, gate);
	outb(0x43, 0xb0); /* channel 2, low then high byte, mode 0 */
	outb(0x42, (uint8_t)count);
	outb(0x42, (uint8_t)(count >> 8));
	outb(0x61, gate | 0x01); /* gate high: counting starts */
}

/* Boot-time calibration only: OUT2 rises when the count ends. */
static void pit_wait(void)
{
	while (!(inb(0x61) & 0x20))
		__asm__ volatile("pause");
}

uint64_t pit_calibrate_tsc(void)
{
	pit_start();
	uint64_t start = rdtsc();

	pit_wait();
	return (rdtsc() - start) * PIT_CALIBRATION_HZ;
}

static void pic_remap_and_mask(void)
{
	static const uint8_t init[2][4] = {
		{0x11, VECTOR_PIC_BASE, 0x04, 0x01},     /* master: IRQ 2 cascades */
		{0x11, VECTOR_PIC_BASE + 8, 0x02, 0x01}, /* slave: cascade identity 2 */
	};
	static const uint16_t base[2] = {0x20, 0xa0};

	for (unsigned int i = 0; i < 2; i++) {
		outb(base[i], init[i][0]);
		for (unsigned int w = 1; w < 4; w++)
			outb(base[i] + 1, init[i][w]);
		outb(base[i] + 1, 0xff);
	}
}

static void ioapic_mask_all(struct platform_arch *a)
{
	volatile uint32_t *io = (volatile uint32_t *)(uintptr_t)a->ioapic_base;

	io[IOAPIC_SELECT / 4] = IOAPIC_VERSION;
	a->ioapic_pins = ((io[IOAPIC_WINDOW / 4] >> 16) & 0xff) + 1;
	for (unsigned int pin = 0; pin < a->ioapic_pins; pin++) {
		io[IOAPIC_SELECT / 4] = IOAPIC_REDIRECTION(pin);
		io[IOAPIC_WINDOW / 4] = LVT_MASKED;
		io[IOAPIC_SELECT / 4] = IOAPIC_REDIRECTION(pin) + 1;
		io[IOAPIC_WINDOW / 4] = 0;
	}
}

static enum bh_err node_base(const void *fdt, const char *compatible, uint64_t *base)
{
	int node = dt_node_by_compatible(fdt, -1, compatible);
	struct mem_range r;

	if (node < 0) {
		log_printf("error: no node with compatible \"%s\"\n", compatible);
		return BH_ERR_NOT_FOUND;
	}
	if (fdt_node_reg(fdt, node, 0, &r) != BH_OK || r.size == 0) {
		char path[96];

		log_printf("error: %s: property 'reg': missing or empty\n",
			   fdt_path_or_unknown(fdt, node, path, sizeof(path)));
		return BH_ERR_INVALID;
	}
	*base = r.base;
	return BH_OK;
}

/* Local APIC timer ticks per second, against the PIT: under emulation
 * both follow the same virtual clock, which the TSC need not. */
static uint64_t lapic_timer_calibrate(void)
{
	lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VECTOR_TIMER);
	lapic_write(LAPIC_TIMER_INITIAL, 0xffffffffu);
	pit_start();
	uint32_t start = lapic_read(LAPIC_TIMER_CURRENT);

	pit_wait();
	uint32_t elapsed = start - lapic_read(LAPIC_TIMER_CURRENT);

	lapic_write(LAPIC_TIMER_INITIAL, 0);
	return (uint64_t)elapsed * PIT_CALIBRATION_HZ;
}

enum bh_err apic_platform_init(const void *fdt, struct platform_arch *a)
{
	enum bh_err l = node_base(fdt, "intel,ce4100-lapic", &a->lapic_base);
	enum bh_err io = node_base(fdt, "intel,ce4100-ioapic", &a->ioapic_base);

	if (l != BH_OK)
		return l;
	if (io != BH_OK)
		return io;
	if (a->lapic_base != (rdmsr(0x1b) & ~0xfffull)) {
		log_printf("error: the local APIC node says 0x%llx, the CPU 0x%llx\n",
			   (unsigned long long)a->lapic_base,
			   (unsigned long long)(rdmsr(0x1b) & ~0xfffull));
		return BH_ERR_INVALID;
	}
	lapic = a->lapic_base;
	pic_remap_and_mask();
	ioapic_mask_all(a);
	irq_init(a->ioapic_base, a->ioapic_pins);
	a->lapic_timer_hz = lapic_timer_calibrate();
	timer_hz = a->lapic_timer_hz;
	timer_initial = (uint32_t)(a->lapic_timer_hz / TIMER_HZ);
	apic_cpu_init();
	x86_ipis_ready();
	return BH_OK;
}

void apic_cpu_init(void)
{
	lapic_write(LAPIC_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
	lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_16);
	lapic_write(LAPIC_LVT_TIMER, VECTOR_TIMER); /* one-shot */
	apic_timer_tick();
}

/* The next tick a millisecond from now (its interrupt calls this again). */
void apic_timer_tick(void)
{
	struct cpu *me = this_cpu();

	me->arch.timer_deadline_ns = arch_time_ns() + NS_PER_SEC / TIMER_HZ;
	lapic_write(LAPIC_TIMER_INITIAL, timer_initial != 0u ? timer_initial : 1000000u);
}

/* Bring this CPU's timer interrupt forward to @deadline_ns, if that is
 * sooner than the one armed: a guest's local APIC timer is then taken, as
 * an exit, when it is due rather than at the next tick. */
void apic_timer_wake_at(uint64_t deadline_ns)
{
	struct cpu *me = this_cpu();
	uint64_t now = arch_time_ns();

	if (deadline_ns >= me->arch.timer_deadline_ns || timer_hz == 0u)
		return;
	uint64_t ns = deadline_ns > now ? deadline_ns - now : 0u;
	uint64_t count = ns * timer_hz / NS_PER_SEC;

	me->arch.timer_deadline_ns = deadline_ns;
	lapic_write(LAPIC_TIMER_INITIAL, count != 0u ? (uint32_t)count : 1u);
}

uint32_t apic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

void apic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

static void icr_wait_idle(void)
{
	for (unsigned int i = 0; i < 100000 && (lapic_read(LAPIC_ICR_LOW) & ICR_PENDING); i++)
		__asm__ volatile("pause");
}

static void icr_send(uint32_t apic, uint32_t low)
{
	/* An interrupt handler on this CPU must not send between the halves. */
	uint64_t flags;

	__asm__ volatile("pushfq\n\tpopq %0\n\tcli" : "=r"(flags) : : "memory");
	icr_wait_idle();
	lapic_write(LAPIC_ICR_HIGH, apic << 24);
	lapic_write(LAPIC_ICR_LOW, low);
	icr_wait_idle();
	__asm__ volatile("pushq %0\n\tpopfq" : : "r"(flags) : "memory", "cc");
}

void apic_send_ipi(uint32_t apic, uint8_t vector)
{
	icr_send(apic, ICR_FIXED | vector);
}

/* Sleep, not spin: this CPU's timer ticks at least every millisecond. */
static void delay_ns(uint64_t ns)
{
	uint64_t end = arch_time_ns() + ns;

	while (arch_time_ns() < end)
		arch_wait_event();
}

static unsigned int ap_arrived; /* index of the last AP out of the trampoline */

void x86_ap_arrived(unsigned int index)
{
	__atomic_store_n(&ap_arrived, index, __ATOMIC_RELEASE);
}

/*
 * INIT, then two start-up IPIs pointing at the trampoline, with the delays
 * the MP specification asks for; then wait (bounded, asleep between timer
 * ticks and the AP's event) until the AP is out of the trampoline, which the
 * next AP reuses.
 */
enum bh_err arch_cpu_start(const struct platform *p, struct cpu *cpu)
{
	static bool copied;
	uint32_t target = (uint32_t)cpu->hwid;

	(void)p;
	if (!copied) {
		uintptr_t start = (uintptr_t)x86_trampoline_start;

		(void)memcpy((void *)(uintptr_t)TRAMPOLINE_BASE, x86_trampoline_start,
		       (uintptr_t)x86_trampoline_end - start);
		copied = true;
	}
	cpu->arch.apic_id = target;
	cpu->arch.stack_top = (uint64_t)(uintptr_t)__cpu_areas + (cpu->index + 1ull) * CPU_AREA_SIZE;
	__atomic_store_n(&ap_arrived, 0, __ATOMIC_RELEASE);
	icr_send(target, ICR_INIT);
	delay_ns(10000000);
	for (int i = 0; i < 2; i++) {
		icr_send(target, ICR_STARTUP | (TRAMPOLINE_BASE >> 12));
		uint64_t end = arch_time_ns() + (i == 0 ? 1000000 : 100000000);

		while (__atomic_load_n(&ap_arrived, __ATOMIC_ACQUIRE) != cpu->index &&
		       arch_time_ns() < end)
			arch_wait_event();
		if (__atomic_load_n(&ap_arrived, __ATOMIC_ACQUIRE) == cpu->index)
			return BH_OK;
	}
	return BH_ERR_TIMEOUT;
}
