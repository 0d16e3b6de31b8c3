/* time.h */
#ifndef _TIME_H
#define _TIME_H
#include <sys/types.h>
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
struct timespec {
  time_t tv_sec;
  long tv_nsec;
};
int nanosleep(const struct timespec *req, struct timespec *rem);
int clock_gettime(int clockid, struct timespec *ts);
time_t time(time_t *t);
/* Milliseconds since boot on the virtual clock (syscall 400). */
long time_millis(void);
#endif
