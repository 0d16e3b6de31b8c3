/* The printf engine shared by the printf family: output goes through a sink. */
#ifndef _FUTURA_FORMAT_H
#define _FUTURA_FORMAT_H
#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_sink)(void *ctx, const char *s, size_t n);

/* Formats like printf; returns the number of characters produced. */
int __vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap);

/* Exact decimal digits of a finite, non-negative double: value = 0.D1D2…Dn × 10^dexp, no
 * trailing zeros, n >= 1 ("0" with dexp 1 for zero). Returns n; `digits` needs 800 bytes. */
int __double_digits(double v, char *digits, int *dexp);
#endif
