// SPDX-License-Identifier: Apache-2.0
/* A small vsnprintf: enough for logs, with no floating point (EL2 has none). */

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/console.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_pad(struct out *o, char c, int count)
{
	while (count-- > 0)
		out_char(o, c);
}

struct spec {
	bool left;
	bool zero;
	int width;
	int precision; /* -1: none; for %s the most characters printed */
};

static void out_field(struct out *o, const struct spec *sp, const char *s, int len)
{
	int pad = sp->width > len ? sp->width - len : 0;

	if (!sp->left)
		out_pad(o, ' ', pad);
	for (int i = 0; i < len; i++)
		out_char(o, s[i]);
	if (sp->left)
		out_pad(o, ' ', pad);
}

static void out_number(struct out *o, const struct spec *sp, uint64_t value,
		       unsigned int base, bool upper, bool negative)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[value % base];
		value /= base;
	} while (value != 0);

	int len = n + (negative ? 1 : 0);
	int pad = sp->width > len ? sp->width - len : 0;

	if (!sp->left && !sp->zero)
		out_pad(o, ' ', pad);
	if (negative)
		out_char(o, '-');
	if (!sp->left && sp->zero)
		out_pad(o, '0', pad);
	while (n > 0)
		out_char(o, tmp[--n]);
	if (sp->left)
		out_pad(o, ' ', pad);
}

enum length { LEN_INT, LEN_LONG, LEN_LLONG, LEN_SIZE };

static uint64_t fetch_unsigned(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static int64_t fetch_signed(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
		return (int64_t)va_arg(*ap, size_t);
	default:
		return va_arg(*ap, int);
	}
}

static const char *parse_spec(const char *f, struct spec *sp, enum length *len, va_list *ap)
{
	*sp = (struct spec){false, false, 0, -1};
	while (*f == '-' || *f == '0') {
		if (*f == '-')
			sp->left = true;
		else
			sp->zero = true;
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->precision = 0;
		if (*f == '*') {
			f++;
			sp->precision = va_arg(*ap, int);
			if (sp->precision < 0)
				sp->precision = -1;
		}
		while (*f >= '0' && *f <= '9')
			sp->precision = sp->precision * 10 + (*f++ - '0');
	}

	if (*f == 'l') {
		f++;
		*len = LEN_LONG;
		if (*f == 'l') {
			f++;
			*len = LEN_LLONG;
		}
	} else if (*f == 'z') {
		f++;
		*len = LEN_SIZE;
	} else {
		*len = LEN_INT;
	}
	return f;
}

int bh_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = {buf, size, 0};
	va_list ap;

	va_copy(ap, ap_in);
	/* A while loop, not a for: a conversion moves f on by its length (14.2). */
	const char *f = fmt;

	while (*f != '\0') {
		if (*f != '%') {
			out_char(&o, *f);
			f++;
			continue;
		}
		struct spec sp;
		enum length len;

		f = parse_spec(f + 1, &sp, &len, &ap);
		switch (*f) {
		case 'd':
		case 'i': {
			int64_t v = fetch_signed(&ap, len);
			uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

			out_number(&o, &sp, mag, 10, false, v < 0);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
			/* One fetch for the three: each va_arg is a dozen
			 * instructions, and fetch_unsigned() has four. */
			out_number(&o, &sp, fetch_unsigned(&ap, len), *f == 'u' ? 10u : 16u, *f == 'X',
				   false);
			break;
		case 'p': {
			struct spec ps = {false, true, 16, -1};

			out_char(&o, '0');
			out_char(&o, 'x');
			out_number(&o, &ps, (uintptr_t)va_arg(ap, void *), 16, false, false);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			int n = 0;

			if (s == NULL)
				s = "(null)";
			while ((sp.precision < 0 || n < sp.precision) && s[n] != '\0')
				n++;
			out_field(&o, &sp, s, n);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			out_field(&o, &sp, &c, 1);
			break;
		}
		case '%':
			out_char(&o, '%');
			break;
		case '\0':
			break; /* a lone '%' at the end: print nothing more */
		default:
			out_char(&o, '%');
			out_char(&o, *f);
			break;
		}
		if (*f != '\0')
			f++;
	}
	va_end(ap);
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int bh_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = bh_vsnprintf(buf, size, fmt, ap);

	va_end(ap);
	return n;
}
