/* fbtest: animated gradient frames (r = x + f, g = y + f, b = 0x40), drawn straight into /dev/fb0
 * or, with -c, into a 320×240 surface of the compositor (sent in bands of rows, since one FIPC
 * message holds at most 64 KiB); prints the frames per second on the virtual clock. -n N sets the
 * frame count (default 30), -d MS the delay per frame (16). */
#include <errno.h>
#include <fcntl.h>
#include <fipc.h>
#include <futuraway_proto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define SURF_W 320
#define SURF_H 240
#define BAND 48 /* rows per message: 48 × 1280 bytes = 60 KiB */

static int draw_direct(int frames, int delay_ms) {
  int fd = open("/dev/fb0", O_RDWR);
  if (fd < 0) {
    perror("fbtest: /dev/fb0");
    return 1;
  }
  struct fb_info info;
  long r = sys_ioctl(fd, FBIOGET_INFO, &info);
  if (r < 0) {
    fprintf(stderr, "fbtest: FBIOGET_INFO: %s\n", strerror((int)-r));
    return 1;
  }
  uint32_t *fb = mmap(NULL, info.pitch * info.height, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  if (fb == MAP_FAILED) {
    perror("fbtest: mmap");
    return 1;
  }
  printf("fbtest: %ux%u, pitch %u, %u bpp\n", info.width, info.height, info.pitch, info.bpp);
  int stride = (int)(info.pitch / 4);
  long start = time_millis();
  for (int f = 0; f < frames; f++) {
    for (uint32_t y = 0; y < info.height; y++) {
      uint32_t *row = fb + y * (uint32_t)stride;
      uint32_t g = ((y + (uint32_t)f) & 255) << 8;
      for (uint32_t x = 0; x < info.width; x++) row[x] = 0xFF000000u | (((x + (uint32_t)f) & 255) << 16) | g | 0x40;
    }
    if (delay_ms) usleep((useconds_t)delay_ms * 1000);
  }
  long elapsed = time_millis() - start;
  munmap(fb, info.pitch * info.height);
  return (int)elapsed;
}

static unsigned char band_buf[sizeof(struct fway_commit_rows) + BAND * SURF_W * 4];

static int draw_client(int frames, int delay_ms) {
  struct fway_create c = {SURF_W, SURF_H, FWAY_FORMAT_ARGB32, 0};
  int id = fipc_request(FUTURAWAY_SERVICE, FWAY_CREATE, &c, sizeof c, NULL, 0, NULL);
  if (id < 0) {
    fprintf(stderr, "fbtest: compositor: %s\n", strerror(-id));
    return -1;
  }
  struct fway_position pos = {(uint32_t)id, 240, 180};
  fipc_request(FUTURAWAY_SERVICE, FWAY_SET_POSITION, &pos, sizeof pos, NULL, 0, NULL);
  uint32_t *px = (uint32_t *)(band_buf + sizeof(struct fway_commit_rows));
  printf("fbtest: surface %d (%dx%d) on the compositor\n", id, SURF_W, SURF_H);
  long start = time_millis();
  for (int f = 0; f < frames; f++) {
    for (int y0 = 0; y0 < SURF_H; y0 += BAND) {
      struct fway_commit_rows h = {(uint32_t)id, (uint32_t)y0, BAND, SURF_W * 4};
      memcpy(band_buf, &h, sizeof h);
      for (int y = 0; y < BAND; y++) {
        uint32_t g = ((uint32_t)(y0 + y + f) & 255) << 8;
        for (int x = 0; x < SURF_W; x++) px[y * SURF_W + x] = 0xFF000000u | ((uint32_t)((x + f) & 255) << 16) | g | 0x40;
      }
      int st = fipc_request(FUTURAWAY_SERVICE, FWAY_COMMIT_ROWS, band_buf, sizeof band_buf, NULL, 0, NULL);
      if (st < 0) {
        fprintf(stderr, "fbtest: commit: %s\n", strerror(-st));
        return -1;
      }
    }
    if (delay_ms) usleep((useconds_t)delay_ms * 1000);
  }
  return (int)(time_millis() - start);
}

int main(int argc, char **argv) {
  int client = 0;
  int frames = 30;
  int delay = 16;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-c") == 0) client = 1;
    else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) frames = atoi(argv[++i]);
    else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc) delay = atoi(argv[++i]);
    else {
      fprintf(stderr, "usage: fbtest [-c] [-n FRAMES] [-d MS]\n");
      return 2;
    }
  }
  int ms = client ? draw_client(frames, delay) : draw_direct(frames, delay);
  if (ms < 0) return 1;
  if (ms == 0) ms = 1;
  long fps100 = (long)frames * 100000L / ms;
  printf("fbtest: %d frames in %d ms, %ld.%02ld fps\n", frames, ms, fps100 / 100, fps100 % 100);
  return 0;
}
