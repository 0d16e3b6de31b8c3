/* init's configuration: INI sections [global] and [service:NAME] with key=value lines. */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "init.h"

static char *trim(char *s) {
  while (isspace((unsigned char)*s)) s++;
  char *e = s + strlen(s);
  while (e > s && isspace((unsigned char)e[-1])) *--e = 0;
  return s;
}

static int yes(const char *v) {
  return strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
}

static void set_key(struct service *s, const char *key, const char *val, int line) {
  if (strcmp(key, "exec") == 0) strlcpy(s->exec, val, sizeof s->exec);
  else if (strcmp(key, "args") == 0) strlcpy(s->args, val, sizeof s->args);
  else if (strcmp(key, "env") == 0) strlcpy(s->env, val, sizeof s->env);
  else if (strcmp(key, "depends") == 0) strlcpy(s->depends, val, sizeof s->depends);
  else if (strcmp(key, "ready") == 0) strlcpy(s->ready, val, sizeof s->ready);
  else if (strcmp(key, "priority") == 0) s->priority = atoi(val);
  else if (strcmp(key, "respawn") == 0) s->respawn = yes(val);
  else if (strcmp(key, "session") == 0) s->session = yes(val);
  else fprintf(stderr, "init: init.conf:%d: unknown key '%s' ignored\n", line, key);
}

int config_parse(const char *text, struct config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  strlcpy(cfg->console, "/dev/console", sizeof cfg->console);
  struct service *cur = NULL;
  int in_global = 0;
  int line = 0;
  const char *p = text;
  char buf[512];
  while (*p) {
    size_t n = strcspn(p, "\n");
    line++;
    if (n >= sizeof buf) n = sizeof buf - 1;
    memcpy(buf, p, n);
    buf[n] = 0;
    p += strcspn(p, "\n");
    if (*p) p++;
    char *s = trim(buf);
    if (*s == 0 || *s == '#' || *s == ';') continue;
    if (*s == '[') {
      char *end = strchr(s, ']');
      if (!end) {
        fprintf(stderr, "init: init.conf:%d: unterminated section\n", line);
        return -1;
      }
      *end = 0;
      s = trim(s + 1);
      cur = NULL;
      in_global = strcmp(s, "global") == 0;
      if (strncmp(s, "service:", 8) == 0) {
        if (cfg->count == MAX_SERVICES) {
          fprintf(stderr, "init: init.conf:%d: too many services\n", line);
          return -1;
        }
        cur = &cfg->svc[cfg->count++];
        strlcpy(cur->name, trim(s + 8), sizeof cur->name);
        cur->priority = 100;
      } else if (!in_global) {
        fprintf(stderr, "init: init.conf:%d: unknown section [%s] ignored\n", line, s);
      }
      continue;
    }
    char *eq = strchr(s, '=');
    if (!eq) {
      fprintf(stderr, "init: init.conf:%d: expected key=value\n", line);
      return -1;
    }
    *eq = 0;
    char *key = trim(s);
    char *val = trim(eq + 1);
    if (cur) set_key(cur, key, val, line);
    else if (in_global && strcmp(key, "console") == 0) strlcpy(cfg->console, val, sizeof cfg->console);
  }
  for (int i = 0; i < cfg->count; i++) {
    if (!cfg->svc[i].exec[0]) {
      fprintf(stderr, "init: service %s has no exec\n", cfg->svc[i].name);
      return -1;
    }
  }
  return 0;
}

int config_load(const char *path, struct config *cfg) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  static char text[8192];
  size_t len = 0;
  for (;;) {
    ssize_t r = read(fd, text + len, sizeof text - 1 - len);
    if (r <= 0) break;
    len += (size_t)r;
  }
  close(fd);
  text[len] = 0;
  return config_parse(text, cfg);
}

static int find(const struct config *cfg, const char *name) {
  for (int i = 0; i < cfg->count; i++)
    if (strcmp(cfg->svc[i].name, name) == 0) return i;
  return -1;
}

/* Are all of service i's dependencies in placed[]? -1 when one is unknown. */
static int deps_met(const struct config *cfg, int i, const int *placed) {
  char deps[128];
  strlcpy(deps, cfg->svc[i].depends, sizeof deps);
  char *save;
  for (char *d = strtok_r(deps, " ,\t", &save); d; d = strtok_r(NULL, " ,\t", &save)) {
    int j = find(cfg, d);
    if (j < 0) {
      fprintf(stderr, "init: service %s depends on unknown service %s\n", cfg->svc[i].name, d);
      return -1;
    }
    if (!placed[j]) return 0;
  }
  return 1;
}

int config_order(const struct config *cfg, int *order) {
  int placed[MAX_SERVICES] = {0};
  int n = 0;
  while (n < cfg->count) {
    int best = -1;
    for (int i = 0; i < cfg->count; i++) {
      if (placed[i]) continue;
      int m = deps_met(cfg, i, placed);
      if (m < 0) return -1;
      if (m && (best < 0 || cfg->svc[i].priority < cfg->svc[best].priority)) best = i;
    }
    if (best < 0) {
      fprintf(stderr, "init: dependency cycle among services\n");
      return -1;
    }
    placed[best] = 1;
    order[n++] = best;
  }
  return n;
}
