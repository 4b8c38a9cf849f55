/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the hostile-guest programs (attacker.c, racer.c) share: their
 * report line, and running the one attack their bootargs name.
 */
#ifndef HOSTILE_ATTACK_H
#define HOSTILE_ATTACK_H

#include <stddef.h>

struct attack {
	const char *name;
	void (*run)(const char *name);
};

/* "hostile: NAME: " and the formatted text, one line. */
void report(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Run the attack "attack=NAME" of the bootargs names from @table, print
 * "hostile: NAME: done" and power the partition off (also when no attack
 * is named, or an unknown one, after saying so). */
__attribute__((noreturn)) void run_named_attack(const struct attack *table, size_t count);

#endif
