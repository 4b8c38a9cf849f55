/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Typed errors. Every fallible core function returns enum bh_err; TRY()
 * propagates a failure to the caller unchanged so the first cause is the one
 * reported.
 */
#ifndef BULKHEAD_ERROR_H
#define BULKHEAD_ERROR_H

enum bh_err {
	BH_OK = 0,
	BH_ERR_INVALID,     /* malformed input: bad cells, bad value */
	BH_ERR_NOT_FOUND,   /* a required node or property is absent */
	BH_ERR_NO_MEMORY,   /* a fixed-size pool or table is exhausted */
	BH_ERR_TOO_MANY,    /* more items than the build supports */
	BH_ERR_UNSUPPORTED, /* valid, but not something Bulkhead can use */
	BH_ERR_FIRMWARE,    /* firmware (PSCI, ...) refused a request */
	BH_ERR_TIMEOUT,     /* something did not happen in time */
};

#define TRY(expr)                                   \
	do {                                        \
		enum bh_err try_err_ = (expr);      \
		if (try_err_ != BH_OK)              \
			return try_err_;            \
	} while (0)

const char *bh_err_name(enum bh_err err);

#endif
