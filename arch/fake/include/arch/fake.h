/* SPDX-License-Identifier: Apache-2.0 */
/* What host tests can see and steer of the fake arch. */
#ifndef ARCH_FAKE_FAKE_H
#define ARCH_FAKE_FAKE_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct partition;

/* Everything written to the console since the last reset. */
const char *fake_console_output(void);
void fake_console_reset(void);

/* Also write console output here when set (host tools: stdout). */
extern FILE *fake_console_mirror;

/* The node the console attached to (-1: none). */
extern int fake_console_attached_node;

/* The console's transmitter: bytes it takes before it is full (SIZE_MAX:
 * never full; each arch_console_tx() uses some up), at most per call (a
 * FIFO that empties between calls), and the calls made. */
extern size_t fake_console_room;
extern size_t fake_console_tx_max;
extern unsigned int fake_console_tx_calls;
/* Called on entry to every arch_console_tx() when set. */
extern void (*fake_console_tx_hook)(void);

/* What arch_cpu_index() returns on this host thread (tests that race two
 * "CPUs" run each on a thread), and arch_wait_event() calls so far. */
extern _Thread_local unsigned int fake_cpu_index;
extern unsigned int fake_wait_events;

/* The UART registers the drivers see (drivers/uart), for their tests:
 * byte offset from the UART's base and access width. */
extern uint32_t (*fake_uart_read)(uint64_t off, unsigned int width);
extern void (*fake_uart_write)(uint64_t off, unsigned int width, uint32_t v);

extern uint64_t fake_time_ns;
/* Added to fake_time_ns by every arch_wait_event() when not 0: a wait
 * with a deadline reaches it. */
extern uint64_t fake_wait_time_step;
/* arch_hyp_colour_size()'s answer, arch_hyp_colour_prepare()'s, and the
 * span it was given. */
extern uint64_t fake_hyp_colour_size;
extern enum bh_err fake_hyp_colour_prepare_result;
extern uint64_t fake_hyp_colour_span;

/* arch_cpu_start() calls, and the hardware ID of the last CPU started. */
extern unsigned int fake_cpu_starts;
extern uint64_t fake_cpu_last_started_hwid;
/* CPUs (bit n: hardware ID n) whose arch_cpu_start() fails. */
extern uint64_t fake_cpu_start_fail;

/* arch_cpu_halt() calls. When fake_halt_jmp is set, arch_cpu_halt()
 * longjmps there (value 1) so a test can see core halt; else it aborts. */
extern unsigned int fake_halts;
extern jmp_buf *fake_halt_jmp;

/* arch_cpu_kick() calls, and the CPUs kicked (bit n: CPU index n). */
extern unsigned int fake_kicks;
/* The last arch_doorbell_raise(). */
extern struct partition *fake_doorbell_part;
extern uint32_t fake_doorbell_intid;
extern uint64_t fake_kicked_cpus;

/* Console input: the bytes arch_console_getc() gives (NULL: none), whether
 * arch_console_input_route() reports an interrupt and the CPU it was last
 * given, and arch_vuart_input() calls with the last partition told. */
extern const char *fake_console_input;
extern bool fake_console_input_irq;
extern int fake_console_input_cpu;
extern unsigned int fake_vuart_inputs;
extern struct partition *fake_vuart_input_part;

/* When set, arch_cpu_idle() longjmps there (value 1): a test can run
 * vcpu_run_loop() until its vCPU is off. */
extern jmp_buf *fake_idle_jmp;
/* Called from arch_vcpu_enter() when set: what the guest does while it runs. */
struct vcpu;
extern void (*fake_vcpu_enter_hook)(struct vcpu *vcpu);
/* arch_partition_reset_devices() calls. */
extern unsigned int fake_device_resets;

#endif
