/* init: the service table read from /etc/init.conf. */
#ifndef INIT_H
#define INIT_H

#define MAX_SERVICES 16
#define MAX_ARGS 16
#define MAX_DEPS 8
#define RESPAWN_LIMIT 5
#define RESPAWN_WINDOW_MS 60000

struct service {
  char name[32];
  char exec[128];
  char args[256];
  char env[256];
  char depends[128];
  char ready[128];
  int priority;
  int respawn;
  int session;
  /* run state */
  int pid;
  int started;
  int given_up;
  long starts[RESPAWN_LIMIT]; /* times of the last restarts (ring) */
  int nstarts;
};

struct config {
  char console[64];
  struct service svc[MAX_SERVICES];
  int count;
};

/* Parses INI text into cfg; returns 0, or -1 with a message on stderr. */
int config_parse(const char *text, struct config *cfg);
/* Reads and parses a file; -1 when it cannot be read. */
int config_load(const char *path, struct config *cfg);
/* Start order: dependencies first, then ascending priority, then file order. Fills order[]
 * with indexes; returns the count, or -1 on a dependency cycle or unknown dependency. */
int config_order(const struct config *cfg, int *order);

#endif
