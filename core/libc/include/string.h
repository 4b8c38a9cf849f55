/* SPDX-License-Identifier: Apache-2.0 */
/* The subset of <string.h> the hypervisor (and libfdt inside it) uses. */
#ifndef BULKHEAD_LIBC_STRING_H
#define BULKHEAD_LIBC_STRING_H

#include <stddef.h>

void *memchr(const void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
char *strchr(const char *s, int c);
int strcmp(const char *a, const char *b);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);
size_t strnlen(const char *s, size_t max);
char *strrchr(const char *s, int c);

#endif
