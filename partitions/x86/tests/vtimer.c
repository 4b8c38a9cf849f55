// SPDX-License-Identifier: Apache-2.0
/* The local APIC timer's resolution: one-shots of 100 us, each timed with
 * the TSC (its rate from CPUID leaf 0x40000010), must fire within the next
 * 100 us, not at the hypervisor's next millisecond tick; so must deadlines
 * 100 us ahead in TSC-deadline mode (IA32_TSC_DEADLINE, CPUID 1 ECX[24]).
 * Run under -icount, where the figures are virtual time and reproducible. */

#include "rt.h"

#define TIMER_VECTOR 0x40
#define SHOTS 20
#define SHOT_NS 100000u
#define LATE_LIMIT_NS 100000u
#define LVT_TSC_DEADLINE (1u << 18)
#define MSR_TSC_DEADLINE 0x6e0u

static volatile unsigned int fired;

static void on_vector(unsigned int vector)
{
	if (vector == TIMER_VECTOR)
		fired++;
}

int main(void)
{
	uint32_t max_leaf, tsc_khz, lapic_khz, c, d;
	uint64_t worst = 0, best = ~0ull;

	__asm__ volatile("cpuid" : "=a"(max_leaf), "=b"(c), "=c"(c), "=d"(d) : "a"(0x40000000u));
	__asm__ volatile("cpuid" : "=a"(tsc_khz), "=b"(lapic_khz), "=c"(c), "=d"(d)
			 : "a"(0x40000010u));
	printf("vtimer: CPUID 0x40000000 max leaf 0x%x; local APIC timer %u kHz\n", max_leaf,
	       lapic_khz);
	if (tsc_khz == 0)
		return 1;
	rt_set_lapic_handler(on_vector);
	rt_lapic_write(RT_LAPIC_SVR, 0x1ff);
	rt_lapic_write(RT_LAPIC_TIMER_DIVIDE, 0xb); /* divide by 1 */
	rt_lapic_write(RT_LAPIC_LVT_TIMER, TIMER_VECTOR); /* one-shot */
	rt_irq_enable();
	for (unsigned int i = 0; i < SHOTS; i++) {
		unsigned int before = fired;
		uint64_t start = rt_counter();

		rt_lapic_write(RT_LAPIC_TIMER_INITIAL, SHOT_NS);
		while (fired == before)
			rt_wait_event();
		uint64_t ns = (rt_counter() - start) * 1000000u / tsc_khz;

		worst = ns > worst ? ns : worst;
		best = ns < best ? ns : best;
	}
	printf("vtimer: %u one-shots of %u us: %s\n", SHOTS, SHOT_NS / 1000,
	       best >= SHOT_NS && worst < SHOT_NS + LATE_LIMIT_NS ? "each fired on time"
								  : "some fired early or late");
	printf("vtimer: earliest %llu ns, latest %llu ns\n", (unsigned long long)best,
	       (unsigned long long)worst);

	__asm__ volatile("cpuid" : "=a"(c), "=b"(d), "=c"(c), "=d"(d) : "a"(1u), "c"(0u));
	printf("vtimer: CPUID 1 offers TSC-deadline mode: %s\n", (c >> 24) & 1 ? "yes" : "no");
	rt_lapic_write(RT_LAPIC_LVT_TIMER, LVT_TSC_DEADLINE | TIMER_VECTOR);
	uint64_t tsc_shot = (uint64_t)SHOT_NS * tsc_khz / 1000000u;
	uint64_t late_worst = 0, early = 0;

	for (unsigned int i = 0; i < SHOTS; i++) {
		unsigned int before = fired;
		uint64_t deadline = rt_counter() + tsc_shot;

		rt_wrmsr(MSR_TSC_DEADLINE, deadline);
		while (fired == before)
			rt_wait_event();
		uint64_t now = rt_counter();

		if (now < deadline)
			early++;
		else if ((now - deadline) * 1000000u / tsc_khz > late_worst)
			late_worst = (now - deadline) * 1000000u / tsc_khz;
	}
	printf("vtimer: %u TSC deadlines %u us ahead: %s; the MSR reads %llu after\n", SHOTS,
	       SHOT_NS / 1000,
	       early == 0 && late_worst < LATE_LIMIT_NS ? "each fired on time"
							 : "some fired early or late",
	       (unsigned long long)rt_rdmsr(MSR_TSC_DEADLINE));
	return 0;
}
