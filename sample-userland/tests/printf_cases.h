/* printf cases shared by the guest's libtest and the host program of the tests
 * (tests/fixtures/userland/printf_host.c): the same formats and values, printed as
 * "P|<output>|" lines, so the host's printf is the reference. Values are chosen to print the
 * same on ILP32 and LP64. */
#ifndef PRINTF_CASES_H
#define PRINTF_CASES_H

static volatile double cases_big = 1e308;
static volatile double cases_third = 1.0 / 3.0;

#define PRINTF_CASES(C)                                                                 \
  C("%d %d %d", 0, 42, -42)                                                             \
  C("%d %d", 2147483647, -2147483647 - 1)                                               \
  C("%5d|%-5d|%05d", 42, 42, 42)                                                        \
  C("%+d % d %+d % d", 5, 5, -5, -5)                                                    \
  C("%.3d|%.0d|%8.3d|%-+8.3d|", 7, 0, -7, 7)                                            \
  C("%08.3d|%-08d|", 7, 7)                                                              \
  C("%i %u", -17, 4294967295u)                                                          \
  C("%x %X %#x %#X %#x", 255u, 255u, 255u, 255u, 0u)                                    \
  C("%#08x|%#.6x|%8.4X|", 0x1234u, 0x1234u, 0xabu)                                      \
  C("%o %#o %#o %#.0o %.0o|", 8u, 8u, 0u, 0u, 0u)                                       \
  C("%hhd %hhu %hd %hu", 300, 300, 70000, 70000)                                        \
  C("%hhx %hx", 0x1ff, 0x1ffff)                                                         \
  C("%lld %llu", -9223372036854775807LL - 1, 18446744073709551615ULL)                   \
  C("%llx %llX %llo", 0x123456789abcdefULL, 0xfedcba9876543210ULL, 01234567012345ULL)   \
  C("%ld %lu %lx", -123456L, 123456UL, 0xbeefUL)                                        \
  C("%zu %zx %td", (size_t)12345, (size_t)0xabc, (ptrdiff_t)-5)                         \
  C("%jd %ju", (intmax_t)-1234567890123LL, (uintmax_t)9876543210ULL)                    \
  C("%c|%3c|%-3c|", 'A', 'B', 'C')                                                      \
  C("%s|%.2s|%5s|%-5s|%.0s|", "hello", "hello", "hi", "hi", "gone")                     \
  C("%p %p", (void *)0x1234, (void *)0)                                                 \
  C("%10p|%-10p|", (void *)0xabcd, (void *)0xabcd)                                      \
  C("100%% %s", "sure")                                                                 \
  C("%*d|%-*d|%*d|", 5, 42, 5, 42, -4, 7)                                               \
  C("%.*f|%*.*f|%.*d|", 2, 3.14159, 8, 3, 2.5, 4, 9)                                    \
  C("%f %f %f", 3.14159, 0.0, -0.0)                                                     \
  C("%f %f", 1e10, 123456789.125)                                                       \
  C("%.0f %.0f %.0f %.0f", 0.5, 1.5, 2.5, 3.5)                                          \
  C("%.2f %.2f %.2f", 0.125, 0.375, 1.005)                                              \
  C("%f %.10f %.20f", 1e-7, cases_third, 0.1)                                           \
  C("%f", 1e300)                                                                        \
  C("%.3f", 5e-324)                                                                     \
  C("%10.3f|%-10.2f|%+.1f|%010.2f|%#.0f|% f", -3.14159, 2.5, 2.25, -1.5, 3.0, 1.0)     \
  C("%F %f %F", cases_big * 10.0, -cases_big * 10.0, 1.5)                               \
  C("%8f|%-8f|%08f|", cases_big * 10.0, cases_big * 10.0, -cases_big * 10.0)            \
  C("%e %e %e", 0.0, 1.0, 123456.789)                                                   \
  C("%e %.2e %E", 1e-300, 9.9999999, 1.5e100)                                           \
  C("%e %.0e %.0e %#.0e", 5e-324, 25.0, 35.0, 3.0)                                      \
  C("%12.4e|%-12.2E|%+e", 1234.5678, 0.000123, 42.0)                                    \
  C("%g %g %g %g", 0.0, 100000.0, 1000000.0, 1e-4)                                      \
  C("%g %g %g %g", 1e-5, 123.456, 0.0001234, 1e100)                                     \
  C("%#g %.3g %.0g %G", 1.0, 3.14159, 0.5, 1e-10)                                       \
  C("%g %g %g", 9.9999995, 999999.5, 0.00009999995)                                     \
  C("%.10g %.17g %g", cases_third, 0.1, 1.7976931348623157e308)                         \
  C("%10.3g|%-10g|%+g|%010g|", 3.14159, 2.5, 2.0, -1.25)                                \
  C("%d %s %c %.2f %x", 1, "two", '3', 4.0, 5u)                                        \
  C("%-05d|%+ d|% +d|%-+5d|%+05d|", 7, 7, 7, 7, -7)                                    \
  C("%-#10x|%-#10o|%#5X|%#.0x|", 0x2au, 8u, 0xbeu, 0u)                                  \
  C("%hhd %hhi %hd %hi", -129, 200, -32769, 40000)                                      \
  C("%lli %lld %lli", -1LL, 9223372036854775807LL, 0LL)                                 \
  C("%zd %ti %jx %jo", (ptrdiff_t)-9, (ptrdiff_t)77, (uintmax_t)0xffffffffffULL,       \
    (uintmax_t)8)                                                                       \
  C("%.10s|%-8.3s|%8.0s|%s|", "short", "abcdef", "gone", "")                            \
  C("%+.3e|%-12.1e|%012.3E|%.0e", -0.000123456, 99999.0, 6.02e23, 0.0)                  \
  C("%#.3g|%#g|%-#10.2g|%+.0g", 1.0, 123456789.0, 0.05, 7.5)                            \
  C("%.1f %.1f %.1f %.1f", 0.05, 0.15, 0.25, 0.35)                                      \
  C("%.15g %.16g %.3f", 0.1 + 0.2, 1.0 / 3.0, 2.0005)                                   \
  C("%u %x %o", (unsigned)-1, (unsigned)-2, (unsigned)-3)

#endif
