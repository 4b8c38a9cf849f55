/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The architecture interface: everything core/ may ask of an architecture.
 * Core code includes no other arch header; each port (arch/arm64, arch/x86,
 * and the host fake in arch/fake) implements these functions and provides
 * <arch/types.h> with the arch-specific halves of core structures.
 */
#ifndef BULKHEAD_ARCH_H
#define BULKHEAD_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <arch/types.h>
#include <bulkhead/compiler.h>
#include <bulkhead/error.h>

struct cpu;
struct partition;
struct platform;
struct vcpu;

/* Name of the architecture as shown in the banner ("arm64", "x86_64"). */
extern const char arch_name[];

/* ---- console ---------------------------------------------------------- */

struct uart;

/* Make the UART @u (chosen by uart_select() for DT node @node) reachable
 * and start its driver; BH_OK if it is now the console. */
enum bh_err arch_console_attach(const void *fdt, int node, struct uart *u);

/* Write as much of @buf as the console UART takes now, without waiting;
 * the count written (callers serialise). */
size_t arch_console_tx(const char *buf, size_t len);

/* A received character, or -1 if none is waiting (never blocks). */
int arch_console_getc(void);

/* Deliver the console UART's receive interrupt @intid to CPU @cpu_index
 * (again, to move it); it ends in vuart_input_interrupt(). False if it
 * cannot be used. */
bool arch_console_input_route(unsigned int cpu_index, uint32_t intid);

/* ---- this CPU ----------------------------------------------------------- */

/* The logical index of the calling CPU (0 = the boot CPU). */
unsigned int arch_cpu_index(void);

/* Sleep until an event (arm64: WFE) and wake sleepers (arm64: SEV). */
void arch_wait_event(void);
void arch_send_event(void);

/* Stop the calling CPU for good; other CPUs carry on. */
NORETURN void arch_cpu_halt(void);

/* Interrupt CPU @cpu_index so that a vCPU running there traps to the
 * hypervisor (and leaves its guest if its partition is stopping). */
void arch_cpu_kick(unsigned int cpu_index);

/* Idle the calling CPU until an interrupt (arm64: WFI), and serve the
 * hypervisor's own interrupts (console input) that woke it. */
void arch_cpu_idle(void);

/* Monotonic time since reset in nanoseconds (arm64: CNTPCT_EL0). */
uint64_t arch_time_ns(void);

/* Zeroed memory kept for good, or NULL when there is none left; boot CPU
 * only, during boot. The tables sized for the largest system (DT index,
 * configuration, partitions, vCPUs) come from here rather than .bss, so
 * the image holds only code and data. Only the CPUs use it, by virtual
 * address: a coloured hypervisor moves it with its image. */
void *arch_boot_alloc(size_t bytes);

/* The same from memory that never moves: for what a device reads by
 * physical address, or what is large and used only at load and restart. */
void *arch_boot_alloc_pinned(size_t bytes);

/* Add [base, base + size), free RAM the hypervisor has mapped, to the pool
 * translation tables come from (core/table_carve.c); boot CPU only, before
 * partitions are built. */
enum bh_err arch_table_pool_add(uint64_t base, uint64_t size);

/* For ports: @ticks of a counter at @hz in nanoseconds (0 if @hz is), split
 * to avoid 64-bit overflow of ticks * 1e9. */
static inline uint64_t ticks_to_ns(uint64_t ticks, uint64_t hz)
{
	if (hz == 0)
		return 0;
	return (ticks / hz) * 1000000000ull + (ticks % hz) * 1000000000ull / hz;
}

/* ---- DMA isolation --------------------------------------------------- */

/* Compatible strings of the IOMMUs this port drives, NULL-terminated: a
 * master behind one of them reaches only its partition's memory, and the
 * IOMMU itself can never be passed to a partition. */
extern const char *const arch_iommu_compatibles[];

/* ---- platform and SMP --------------------------------------------------- */

/* Parse the arch-specific platform nodes (interrupt controller, firmware
 * interface, timer) into p->arch and give the hypervisor access to RAM
 * (for loading partitions). Logs what is wrong and where. */
enum bh_err arch_platform_parse(const void *fdt, struct platform *p);

/* Print the arch part of the boot report. */
void arch_platform_report(const struct platform *p);

/* Start secondary CPU @cpu; it arrives in cpu_secondary_main(). */
enum bh_err arch_cpu_start(const struct platform *p, struct cpu *cpu);

/* Architecture hook run once per CPU after it reported in (test builds use
 * it to fault on purpose). */
void arch_cpu_online_hook(struct cpu *cpu);

/*
 * The coloured hypervisor (`bulkhead,hypervisor-colours`, docs/colouring.md).
 * arch_hyp_colour_size(): the bytes of the image that move onto pages of its
 * colours (0: this port cannot). arch_hyp_colour_prepare(): before any
 * partition is built, set aside what the move needs, for a way-aligned span
 * at @span_base of free RAM. arch_hyp_colour_switch(): once partitions are
 * built and before any runs, copy the image there and move every CPU onto
 * it; other CPUs take part from arch_hyp_colour_poll(), which every CPU
 * that waits (idle or halted) calls between events.
 */
struct system_config;
uint64_t arch_hyp_colour_size(void);
enum bh_err arch_hyp_colour_prepare(const struct system_config *sys, uint64_t span_base);
enum bh_err arch_hyp_colour_switch(void);
void arch_hyp_colour_poll(void);

/* ---- partitions ------------------------------------------------------- */

/* Build the partition's guest-physical address space from its validated
 * configuration (RAM, passthrough MMIO, emulated devices left unmapped). */
enum bh_err arch_partition_init(struct partition *part, const struct platform *p);

/* Every partition is built and every vCPU placed (vcpu_for_cpu() answers),
 * none started: last chance to fail. DMA isolation is switched on here. */
enum bh_err arch_partitions_built(const struct platform *p);

/* Make [pa, pa + size) as written by the hypervisor visible to a guest
 * that starts with its MMU and caches off (clean to PoC, invalidate I). */
void arch_sync_guest_memory(uint64_t pa, uint64_t size);

/* Zero [pa, pa + size) of a stopped partition's memory (page aligned), so
 * that a restart leaks nothing of the previous run; visible to a guest that
 * starts with its caches off. Fast: a restart's time is mostly this. */
void arch_clear_guest_memory(uint64_t pa, uint64_t size);

/* Perform @part's reset-registers writes (a stopped partition's devices
 * before it restarts). */
void arch_partition_reset_devices(struct partition *part);

/* Prepare the calling CPU's vCPU for a fresh start at vcpu->entry with
 * vcpu->context in its first argument register, as after a reset. */
void arch_vcpu_reset(struct vcpu *vcpu);

/* Input arrived for @part's virtual UART: raise its interrupt if the
 * guest asked for it. Called with no lock held. */
void arch_vuart_input(struct partition *part);

/* Pend the edge-triggered virtual SPI @intid (a channel's doorbell) of
 * @part, from any CPU; rings before the guest takes it coalesce. */
void arch_doorbell_raise(struct partition *part, uint32_t intid);

/* Run the vCPU on the calling (its own) CPU until it leaves its guest;
 * vcpu->exit says why. */
void arch_vcpu_enter(struct vcpu *vcpu);

#endif
