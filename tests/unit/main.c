// SPDX-License-Identifier: Apache-2.0
/* Runs every registered test; the last line is `unit: N passed, N failed`. */

#include <stdarg.h>
#include <stdlib.h>

#include "test.h"

#define MAX_TESTS 512
#define DTB_MAX (1 << 20)

struct test {
	const char *name;
	test_fn fn;
};

static struct test tests[MAX_TESTS];
static int test_count;
static int current_failures;
const char *test_dtb_dir;

void test_register(const char *name, test_fn fn)
{
	if (test_count < MAX_TESTS)
		tests[test_count++] = (struct test){name, fn};
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("  %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	current_failures++;
}

static void *loaded[MAX_TESTS * 4];
static int loaded_count;

static void free_loaded(void)
{
	for (int i = 0; i < loaded_count; i++)
		free(loaded[i]);
}

/* Every tree gets its own buffer, never reused while the tests run: the DT
 * index recognises a tree by its address, as in the hypervisor, where the
 * DTB never moves. */
void *test_load_dtb(const char *name)
{
	char path[512];
	char *buf = aligned_alloc(8, DTB_MAX);

	if (loaded_count == 0)
		atexit(free_loaded);
	if (loaded_count < (int)(sizeof(loaded) / sizeof(loaded[0])))
		loaded[loaded_count++] = buf;

	snprintf(path, sizeof(path), "%s/%s.dtb", test_dtb_dir, name);
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		printf("  cannot open %s\n", path);
		current_failures++;
		memset(buf, 0, 64);
		return buf;
	}
	size_t n = fread(buf, 1, DTB_MAX, f);

	fclose(f);
	(void)n;
	return buf;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	test_dtb_dir = argc > 1 ? argv[1] : "build/host/dtb";
	for (int i = 0; i < test_count; i++) {
		current_failures = 0;
		tests[i].fn();
		if (current_failures == 0) {
			passed++;
		} else {
			failed++;
			printf("FAIL %s\n", tests[i].name);
		}
	}
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
