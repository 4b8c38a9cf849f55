/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Partitions and their vCPUs at run time. Each vCPU is pinned to one
 * physical CPU for good, so a vCPU never migrates and its EL1 state lives in
 * the physical registers: nothing is context-switched but the general
 * registers on a trap.
 *
 * Lock order: partition.lock, then uart_lock (a partition's virtual UART),
 * then the console input lock, then console_lock. Two partitions' uart_locks
 * are never held together.
 */
#ifndef BULKHEAD_PARTITION_H
#define BULKHEAD_PARTITION_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/types.h>
#include <bulkhead/cfi_flash.h>
#include <bulkhead/console_filter.h>
#include <bulkhead/health.h>
#include <bulkhead/partition_config.h>
#include <bulkhead/spinlock.h>

#define VUART_LINE_MAX 120u

/* Console output of one vCPU, gathered into whole lines, filtered. */
struct vuart_line {
	char text[VUART_LINE_MAX];
	unsigned int len;
	struct console_filter filter;
};

enum vcpu_state {
	VCPU_OFF = 0,
	VCPU_STARTING, /* CPU_ON accepted (or boot): the pCPU will enter it */
	VCPU_RUNNING,
};

/* Why a vCPU left its guest for the run loop. */
enum vcpu_exit {
	VCPU_EXIT_NONE = 0,
	VCPU_EXIT_OFF,     /* PSCI CPU_OFF */
	VCPU_EXIT_STOP,    /* the partition is stopping (SYSTEM_OFF, fault policy) */
	VCPU_EXIT_RESTART, /* the partition is restarting (SYSTEM_RESET) */
};

enum partition_state {
	PARTITION_STOPPED = 0,
	PARTITION_RUNNING,
	PARTITION_RESTARTING,
};

struct partition;

#define VUART_INPUT_MAX 64

/* Characters typed while the partition had the console focus. */
struct vuart_input {
	char buf[VUART_INPUT_MAX];
	unsigned int head, tail; /* free-running; head - tail = waiting */
};

struct vcpu {
	struct partition *part;
	unsigned int index; /* vCPU number within the partition; 0 boots */
	unsigned int pcpu;  /* the physical CPU it is pinned to */
	enum vcpu_state state;
	enum vcpu_exit exit; /* why it last left the guest */
	uint64_t entry;      /* where it starts, and its x0, once STARTING */
	uint64_t context;
	struct vuart_line out; /* written only by this vCPU: no lock */
	/* Exits to the hypervisor taken by this vCPU's CPU while in its guest
	 * (traps and interrupts; not the SMCCC_VERSION fast path of arm64's
	 * vectors), since boot; written only by that CPU. */
	uint64_t exits;
	struct vcpu_arch arch;
};

struct partition {
	unsigned int id;
	const struct partition_config *cfg;
	enum partition_state state;
	unsigned int restarts;
	unsigned int faults; /* containment events: partition_fault() */
	unsigned int boots; /* times started, restarts included */
	struct health_state health; /* under lock, but for the kick and fault counts */
	struct spinlock lock;
	uint64_t dt_ipa; /* where its device tree was placed */
	struct vuart_input input; /* under the console input lock */
	struct spinlock uart_lock; /* the virtual UART's device state (arch) */
	struct vcpu *vcpus[MAX_CPUS]; /* vCPU i, on physical CPU cfg->cpus[i] */
	/* Flash region i's CFI bank, if it has one (cfg->flash[i].cfi), and the
	 * lock its commands and its stage-2 mapping change under (a leaf). */
	struct cfi_flash flash_cfi[MAX_PARTITION_FLASH];
	struct spinlock flash_lock;
	struct partition_arch arch;
};

/* Build, load and start every partition of @sys; nothing starts on error. */
enum bh_err partitions_start(const void *fdt, const struct platform *p,
			     const struct system_config *sys);

/* Partitions started and not yet reported stopped (restarting ones count). */
unsigned int partitions_running(void);

/* The partitions, in configuration order. */
unsigned int partitions_count(void);
struct partition *partition_at(unsigned int index);

/* The vCPU pinned to physical CPU @cpu_index, or NULL. */
extern struct vcpu *vcpu_of_cpu[MAX_CPUS]; /* set once at boot, read-only after */

/* Inline: every trap from a guest asks it. */
static inline struct vcpu *vcpu_for_cpu(unsigned int cpu_index)
{
	return cpu_index < MAX_CPUS ? vcpu_of_cpu[cpu_index] : NULL;
}

/* The run loop of a physical CPU that hosts a vCPU. */
NORETURN void vcpu_run_loop(struct vcpu *vcpu);

/* Partition-scoped power control, for the guest firmware interface. */
enum vcpu_on_result {
	VCPU_ON_OK,
	VCPU_ON_ALREADY_ON,
	VCPU_ON_INVALID, /* no such vCPU in this partition */
};
enum vcpu_on_result vcpu_power_on(struct partition *part, unsigned int index, uint64_t entry,
				  uint64_t context);
bool vcpu_is_on(const struct partition *part, unsigned int index, bool *pending);

/* Request that the calling vCPU leave its guest; returns what the arch
 * trap handler should do (the exit reason is recorded on the vCPU). */
void partition_stop(struct partition *part, const char *why);
void partition_restart(struct partition *part, const char *why);
/* The partition powered itself off: stop it, or restart it if its
 * poweroff-action says so. */
void partition_power_off(struct partition *part, const char *why);
/* Restart or stop @part (or nothing) as a health policy says; a restart
 * beyond the restart-limit stops it instead. */
void partition_act(struct partition *part, enum health_action action, const char *why);

/*
 * The one place every contained fault of a partition is counted: an access
 * outside its memory (CPU or DMA), a trap it may not make. The caller has
 * already contained the fault (and logged it); the partition's fault policy
 * decides what happens next.
 */
void partition_fault(struct partition *part, const char *what);

/* A character written by a vCPU to its partition's virtual UART. */
void vuart_putc(struct vcpu *v, char c);

/*
 * Console input. The hypervisor's UART belongs to it; what is typed goes to
 * the partition with the focus. Ctrl-T (VUART_FOCUS_KEY) then a key moves
 * the focus to the next partition with a virtual UART, handing it the key,
 * or, if the key is VUART_STATUS_KEY, lists the partitions' status.
 */
#define VUART_FOCUS_KEY 0x14
/* After Ctrl-T: list the partitions' status, the focus staying put. */
#define VUART_STATUS_KEY 's'

/* Make @part's virtual UARTs known for input; the first one gets the focus. */
void vuart_input_register(struct partition *part);

/*
 * Once every partition is registered: take console input on the console
 * UART's interrupt, on a CPU no vCPU runs on (its idle loop serves it), or,
 * with none free, on the CPU of the focused partition's vCPU 0. Without an
 * interrupt, input is polled whenever a guest looks at its virtual UART.
 */
void vuart_input_start(const struct platform *p);

/* The console UART's input interrupt: hand what was typed to the focused
 * partition and tell the virtual UARTs that received something. */
void vuart_input_interrupt(void);

/* The next character typed for @part, or -1; how many are waiting. */
int vuart_getc(struct partition *part);
unsigned int vuart_input_count(struct partition *part);

#endif
