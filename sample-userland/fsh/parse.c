/* fsh's parser: words with '…' and "…" quoting and \ escapes, the operators | < > >>, and $?
 * ($$ and $NAME from the environment as well). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fsh.h"

struct lexer {
  const char *p;
  char *out;
  char *end;
};

static int put(struct lexer *lx, char c) {
  if (lx->out >= lx->end) return -1;
  *lx->out++ = c;
  return 0;
}

static int put_str(struct lexer *lx, const char *s) {
  while (*s)
    if (put(lx, *s++) < 0) return -1;
  return 0;
}

/* $? $$ $NAME; lx->p is just past the '$'. */
static int expand(struct lexer *lx) {
  char num[16];
  if (*lx->p == '?') {
    lx->p++;
    snprintf(num, sizeof num, "%d", last_status);
    return put_str(lx, num);
  }
  if (*lx->p == '$') {
    lx->p++;
    snprintf(num, sizeof num, "%d", (int)getpid());
    return put_str(lx, num);
  }
  if (isalpha((unsigned char)*lx->p) || *lx->p == '_') {
    char name[64];
    int n = 0;
    while ((isalnum((unsigned char)*lx->p) || *lx->p == '_') && n < 63) name[n++] = *lx->p++;
    name[n] = 0;
    const char *v = getenv(name);
    return v ? put_str(lx, v) : 0;
  }
  return put(lx, '$');
}

/* Reads one word into storage; returns its start, or NULL at an operator / end. */
static char *word(struct lexer *lx, int *err) {
  char *start = lx->out;
  int any = 0;
  while (*lx->p && !isspace((unsigned char)*lx->p) && !strchr("|<>", *lx->p)) {
    char c = *lx->p++;
    any = 1;
    if (c == '\'') {
      while (*lx->p && *lx->p != '\'')
        if (put(lx, *lx->p++) < 0) goto overflow;
      if (!*lx->p) goto unterminated;
      lx->p++;
    } else if (c == '"') {
      while (*lx->p && *lx->p != '"') {
        if (*lx->p == '$') {
          lx->p++;
          if (expand(lx) < 0) goto overflow;
        } else if (*lx->p == '\\' && (lx->p[1] == '"' || lx->p[1] == '\\' || lx->p[1] == '$')) {
          if (put(lx, lx->p[1]) < 0) goto overflow;
          lx->p += 2;
        } else if (put(lx, *lx->p++) < 0) {
          goto overflow;
        }
      }
      if (!*lx->p) goto unterminated;
      lx->p++;
    } else if (c == '\\' && *lx->p) {
      if (put(lx, *lx->p++) < 0) goto overflow;
    } else if (c == '$') {
      if (expand(lx) < 0) goto overflow;
    } else if (put(lx, c) < 0) {
      goto overflow;
    }
  }
  if (!any) return NULL;
  if (put(lx, 0) < 0) goto overflow;
  return start;
unterminated:
  fprintf(stderr, "fsh: syntax error: unterminated quote\n");
  *err = 1;
  return NULL;
overflow:
  fprintf(stderr, "fsh: line too long\n");
  *err = 1;
  return NULL;
}

int parse_line(const char *line, struct pipeline *p, char *storage) {
  struct lexer lx;
  lx.p = line;
  lx.out = storage;
  lx.end = storage + 2 * LINE_MAX_LEN;
  memset(p, 0, sizeof *p);
  p->count = 1;
  struct command *c = &p->cmd[0];
  int err = 0;
  for (;;) {
    while (isspace((unsigned char)*lx.p)) lx.p++;
    if (!*lx.p || *lx.p == '#') break;
    if (*lx.p == '|') {
      lx.p++;
      if (c->argc == 0) goto syntax;
      if (p->count == MAX_CMDS) {
        fprintf(stderr, "fsh: too many commands in a pipeline\n");
        return -1;
      }
      c = &p->cmd[p->count++];
      continue;
    }
    if (*lx.p == '<' || *lx.p == '>') {
      int in = *lx.p == '<';
      int append = 0;
      lx.p++;
      if (!in && *lx.p == '>') {
        append = 1;
        lx.p++;
      }
      while (isspace((unsigned char)*lx.p)) lx.p++;
      char *target = word(&lx, &err);
      if (err) return -1;
      if (!target) goto syntax;
      if (in) c->in = target;
      else {
        c->out = target;
        c->append = append;
      }
      continue;
    }
    char *w = word(&lx, &err);
    if (err) return -1;
    if (!w) goto syntax;
    if (c->argc == MAX_WORDS) {
      fprintf(stderr, "fsh: too many words\n");
      return -1;
    }
    c->argv[c->argc++] = w;
  }
  if (p->count == 1 && c->argc == 0 && !c->in && !c->out) return 1;
  if (c->argc == 0) goto syntax;
  return 0;
syntax:
  fprintf(stderr, "fsh: syntax error near '%c'\n", *lx.p ? *lx.p : '|');
  return -1;
}
