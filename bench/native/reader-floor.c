/*
 * The floor of reading one small WebSocket frame per socket in this machine's kernel: connects
 * N sockets to 127.0.0.1:PORT, reads them with epoll and read(2) for SECONDS, and prints its own
 * user and system CPU per read after the first 2 s. Run by bench/dist/reader-floor.js beside a
 * Node reader of the same sockets' load (see docs/benchmarks.md, "What runs").
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now (void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static double us (struct timeval a, struct timeval b) { return (b.tv_sec - a.tv_sec) * 1e6 + (b.tv_usec - a.tv_usec); }

int main (int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: reader-floor <sockets> <port> <seconds>\n"); return 2; }
  int n = atoi(argv[1]), port = atoi(argv[2]);
  double seconds = atof(argv[3]);
  int ep = epoll_create1(0);
  for (int i = 0; i < n; i++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { 0 };
    a.sin_family = AF_INET; a.sin_port = htons(port); a.sin_addr.s_addr = htonl(0x7f000001);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) { perror("connect"); return 1; }
    struct epoll_event e = { .events = EPOLLIN, .data.fd = fd };
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
  }
  static char buf[262144];
  struct epoll_event ev[1024];
  long reads = 0, counted = 0, marks = 0;
  struct rusage u0, u1;
  double t0 = now();
  int measuring = 0;
  while (now() - t0 < seconds) {
    int k = epoll_wait(ep, ev, 1024, 100);
    for (int i = 0; i < k; i++) {
      ssize_t got = read(ev[i].data.fd, buf, sizeof buf);
      if (got > 0) { reads++; if (memchr(buf, '~', got)) marks++; }
    }
    if (!measuring && now() - t0 > 2) { measuring = 1; getrusage(RUSAGE_SELF, &u0); counted = reads; }
  }
  getrusage(RUSAGE_SELF, &u1);
  long r = reads - counted;
  if (r <= 0 || marks == 0) { fprintf(stderr, "nothing read\n"); return 1; }
  printf("{\"reads\":%ld,\"userUs\":%.3f,\"systemUs\":%.3f}\n", r, us(u0.ru_utime, u1.ru_utime) / r, us(u0.ru_stime, u1.ru_stime) / r);
  return 0;
}
