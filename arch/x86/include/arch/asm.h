/* SPDX-License-Identifier: Apache-2.0 */
/* Constants shared by the x86 assembly and C (checked in cpu.c). */
#ifndef ARCH_X86_ASM_H
#define ARCH_X86_ASM_H

/* Where the AP start-up code is copied: below 1 MiB, 4 KiB aligned (the
 * SIPI vector is its page number). */
#define TRAMPOLINE_BASE 0x8000

#define GDT_CODE64 0x08
#define GDT_DATA 0x10
#define GDT_CODE32 0x18

/* struct cpu: where hwid and arch.stack_top are, and its size. */
#define CPU_HWID_OFFSET 8
#define CPU_STACK_TOP_OFFSET 32
#define CPU_STRUCT_SIZE 48

/* struct guest_regs */
#define GR_RBX 0
#define GR_RCX 8
#define GR_RDX 16
#define GR_RSI 24
#define GR_RDI 32
#define GR_RBP 40
#define GR_R8 48
#define GR_R9 56
#define GR_R10 64
#define GR_R11 72
#define GR_R12 80
#define GR_R13 88
#define GR_R14 96
#define GR_R15 104

#endif
