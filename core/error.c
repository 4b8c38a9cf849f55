// SPDX-License-Identifier: Apache-2.0

#include <bulkhead/error.h>

const char *bh_err_name(enum bh_err err)
{
	switch (err) {
	case BH_OK:
		return "ok";
	case BH_ERR_INVALID:
		return "invalid";
	case BH_ERR_NOT_FOUND:
		return "not found";
	case BH_ERR_NO_MEMORY:
		return "out of memory";
	case BH_ERR_TOO_MANY:
		return "too many";
	case BH_ERR_UNSUPPORTED:
		return "unsupported";
	case BH_ERR_FIRMWARE:
		return "firmware error";
	case BH_ERR_TIMEOUT:
		return "timeout";
	}
	return "unknown error";
}
