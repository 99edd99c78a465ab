// A floor to measure Tollgate's cost against: the least a WAMP broker can do for the load generator's fan-out, in C.
//
// One thread, epoll, WebSocket (RFC 6455, unfragmented frames) and WAMP v2 JSON only: HELLO, SUBSCRIBE, PUBLISH (with
// acknowledge), GOODBYE. An event is framed once per publication and appended to each subscriber's output buffer; the
// buffers are written once per turn of the event loop, so writes to a busy subscriber coalesce, as Tollgate's do. No
// authentication, no authorization, no limits beyond a 64 MiB output buffer, no other message: not a router, a
// measure of what the kernel and the sockets cost. `bench/run --vs c-floor` builds it with the system's cc
// (OpenSSL's libcrypto for the handshake's SHA-1).
//
//   cc -O2 -o c-floor c-floor.c -lcrypto && ./c-floor 19001     (listens on 127.0.0.1 only)
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_OUT (64u << 20)
#define MAX_ELEMENTS 8

typedef struct {
  char *data;
  size_t len, cap, off;
} buf_t;

typedef struct conn {
  int fd, open, closing, dirty, want_out;
  buf_t in, out;
  struct conn *next_dirty;
} conn_t;

typedef struct {
  char *topic;
  long id;
  conn_t **subs;
  size_t n, cap;
} topic_t;

static topic_t *topics;
static size_t ntopics;
static conn_t *dirty_list;
static int ep;
static long next_id = 1;

static void put(buf_t *b, const void *p, size_t n) {
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n) cap *= 2;
    b->data = realloc(b->data, cap);
    b->cap = cap;
  }
  memcpy(b->data + b->len, p, n);
  b->len += n;
}

static void mark_dirty(conn_t *c) {
  if (!c->dirty) {
    c->dirty = 1;
    c->next_dirty = dirty_list;
    dirty_list = c;
  }
}

static void frame_header(buf_t *b, int opcode, size_t n) {
  unsigned char h[10];
  size_t hl;
  h[0] = 0x80 | opcode;
  if (n < 126) {
    h[1] = n;
    hl = 2;
  } else if (n < 65536) {
    h[1] = 126, h[2] = n >> 8, h[3] = n;
    hl = 4;
  } else {
    h[1] = 127;
    for (int i = 0; i < 8; i++) h[2 + i] = (unsigned char)(n >> (56 - 8 * i));
    hl = 10;
  }
  put(b, h, hl);
}

// Whether c's output has passed MAX_OUT; if so it is marked to be closed at the end of this turn.
static int over_limit(conn_t *c) {
  if (c->out.len - c->out.off <= MAX_OUT) return 0;
  c->closing = 1;
  mark_dirty(c);
  return 1;
}

static void send_frame(conn_t *c, int opcode, const char *p, size_t n) {
  if (over_limit(c)) return;
  frame_header(&c->out, opcode, n);
  put(&c->out, p, n);
  mark_dirty(c);
}

static void send_text(conn_t *c, const char *s) { send_frame(c, 1, s, strlen(s)); }

// The top-level elements of a JSON array: start and end (exclusive) of each; returns how many, or -1.
static int elements(const char *p, size_t n, size_t st[], size_t en[]) {
  size_t i = 0;
  while (i < n && p[i] != '[') i++;
  if (i == n) return -1;
  i++;
  int count = 0, depth = 0, in_string = 0;
  size_t start = i;
  for (; i < n; i++) {
    char ch = p[i];
    if (in_string) {
      if (ch == '\\') i++;
      else if (ch == '"') in_string = 0;
      continue;
    }
    if (ch == '"') in_string = 1;
    else if (ch == '[' || ch == '{') depth++;
    else if ((ch == ']' || ch == '}') && depth > 0) depth--;
    else if ((ch == ',' || ch == ']') && depth == 0) {
      if (count < MAX_ELEMENTS) st[count] = start, en[count] = i;
      count++;
      if (ch == ']') return count < MAX_ELEMENTS ? count : MAX_ELEMENTS;
      start = i + 1;
    }
  }
  return -1;
}

static topic_t *topic_of(const char *p, size_t n, int create) {
  for (size_t i = 0; i < ntopics; i++)
    if (strlen(topics[i].topic) == n && memcmp(topics[i].topic, p, n) == 0) return &topics[i];
  if (!create) return NULL;
  topics = realloc(topics, (ntopics + 1) * sizeof(topic_t));
  topic_t *t = &topics[ntopics++];
  memset(t, 0, sizeof *t);
  t->topic = strndup(p, n);
  t->id = next_id++;
  return t;
}

// A JSON string element's contents (between its quotes).
static int string_at(const char *p, size_t st, size_t en, const char **s, size_t *n) {
  while (st < en && p[st] != '"') st++;
  size_t e = en;
  while (e > st && p[e - 1] != '"') e--;
  if (e <= st + 1) return -1;
  *s = p + st + 1;
  *n = e - st - 2;
  return 0;
}

static void on_message(conn_t *c, const char *p, size_t n) {
  size_t st[MAX_ELEMENTS], en[MAX_ELEMENTS];
  int count = elements(p, n, st, en);
  if (count < 1) return;
  long type = strtol(p + st[0], NULL, 10);
  char line[256];
  if (type == 1) {
    snprintf(line, sizeof line, "[2,%ld,{\"roles\":{\"broker\":{}}}]", next_id++);
    send_text(c, line);
  } else if (type == 32 && count >= 4) {
    const char *s;
    size_t sn;
    if (string_at(p, st[3], en[3], &s, &sn)) return;
    topic_t *t = topic_of(s, sn, 1);
    if (t->n == t->cap) {
      t->cap = t->cap ? t->cap * 2 : 64;
      t->subs = realloc(t->subs, t->cap * sizeof(conn_t *));
    }
    t->subs[t->n++] = c;
    snprintf(line, sizeof line, "[33,%.*s,%ld]", (int)(en[1] - st[1]), p + st[1], t->id);
    send_text(c, line);
  } else if (type == 16 && count >= 4) {
    const char *s;
    size_t sn;
    if (string_at(p, st[3], en[3], &s, &sn)) return;
    long pub = next_id++;
    topic_t *t = topic_of(s, sn, 0);
    if (t && t->n > 0) {
      // The EVENT, framed once for all subscribers: [36, subscription, publication, {}, args, kwargs].
      buf_t ev = {0};
      int hl = snprintf(line, sizeof line, "[36,%ld,%ld,{}", t->id, pub);
      put(&ev, line, hl);
      if (count > 4) {
        put(&ev, ",", 1);
        put(&ev, p + st[4], en[count - 1] - st[4]);
      }
      put(&ev, "]", 1);
      buf_t framed = {0};
      frame_header(&framed, 1, ev.len);
      put(&framed, ev.data, ev.len);
      for (size_t i = 0; i < t->n; i++) {
        conn_t *s2 = t->subs[i];
        if (s2 == c || s2->closing || over_limit(s2)) continue;
        put(&s2->out, framed.data, framed.len);
        mark_dirty(s2);
      }
      free(ev.data);
      free(framed.data);
    }
    if (memmem(p + st[2], en[2] - st[2], "\"acknowledge\":true", 18)) {
      snprintf(line, sizeof line, "[17,%.*s,%ld]", (int)(en[1] - st[1]), p + st[1], pub);
      send_text(c, line);
    }
  } else if (type == 6) {
    send_text(c, "[6,{},\"wamp.close.goodbye_and_out\"]");
  }
}

static void handshake(conn_t *c) {
  char *end = memmem(c->in.data, c->in.len, "\r\n\r\n", 4);
  if (!end) return;
  const char *key = NULL;
  size_t keylen = 0;
  for (char *line = c->in.data; line < end;) {
    char *eol = memmem(line, end + 2 - line, "\r\n", 2);
    if (!eol) break;
    if (eol - line > 18 && strncasecmp(line, "Sec-WebSocket-Key:", 18) == 0) {
      key = line + 18;
      while (*key == ' ') key++;
      keylen = eol - key;
    }
    line = eol + 2;
  }
  if (!key) {
    c->closing = 1;
    return;
  }
  unsigned char digest[SHA_DIGEST_LENGTH];
  char material[128], accept[64], reply[512];
  int m = snprintf(material, sizeof material, "%.*s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", (int)keylen, key);
  SHA1((unsigned char *)material, m, digest);
  EVP_EncodeBlock((unsigned char *)accept, digest, SHA_DIGEST_LENGTH);
  int n = snprintf(reply, sizeof reply,
                   "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Accept: %s\r\nSec-WebSocket-Protocol: wamp.2.json\r\n\r\n", accept);
  put(&c->out, reply, n);
  mark_dirty(c);
  size_t used = end + 4 - c->in.data;
  memmove(c->in.data, c->in.data + used, c->in.len - used);
  c->in.len -= used;
  c->open = 1;
}

static void frames(conn_t *c) {
  size_t p = 0;
  unsigned char *d = (unsigned char *)c->in.data;
  while (c->in.len - p >= 2) {
    int opcode = d[p] & 0x0f, masked = d[p + 1] & 0x80;
    uint64_t n = d[p + 1] & 0x7f;
    size_t h = 2;
    if (n == 126) {
      if (c->in.len - p < 4) break;
      n = (d[p + 2] << 8) | d[p + 3];
      h = 4;
    } else if (n == 127) {
      if (c->in.len - p < 10) break;
      n = 0;
      for (int i = 0; i < 8; i++) n = (n << 8) | d[p + 2 + i];
      h = 10;
    }
    if (masked) h += 4;
    if (c->in.len - p < h + n) break;
    unsigned char *payload = d + p + h;
    if (masked)
      for (uint64_t i = 0; i < n; i++) payload[i] ^= d[p + h - 4 + (i & 3)];
    if (opcode == 1 || opcode == 2) on_message(c, (char *)payload, n);
    else if (opcode == 9) send_frame(c, 10, (char *)payload, n);
    else if (opcode == 8) {
      send_frame(c, 8, (char *)payload, n < 2 ? n : 2);
      c->closing = 1;
    }
    p += h + n;
  }
  memmove(c->in.data, c->in.data + p, c->in.len - p);
  c->in.len -= p;
}

static void drop(conn_t *c) {
  for (size_t i = 0; i < ntopics; i++) {
    topic_t *t = &topics[i];
    for (size_t j = 0; j < t->n; j++)
      if (t->subs[j] == c) t->subs[j--] = t->subs[--t->n];
  }
  epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  free(c->in.data);
  free(c->out.data);
  free(c);
}

static int flush(conn_t *c) {
  while (c->out.off < c->out.len) {
    ssize_t w = write(c->fd, c->out.data + c->out.off, c->out.len - c->out.off);
    if (w < 0) {
      if (errno == EAGAIN) break;
      return -1;
    }
    c->out.off += w;
  }
  if (c->out.off == c->out.len) c->out.off = c->out.len = 0;
  else if (c->out.off > (1u << 20)) {
    memmove(c->out.data, c->out.data + c->out.off, c->out.len - c->out.off);
    c->out.len -= c->out.off;
    c->out.off = 0;
  }
  int want = c->out.len > c->out.off;
  if (want != c->want_out) {
    struct epoll_event e = {.events = EPOLLIN | (want ? EPOLLOUT : 0), .data.ptr = c};
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
    c->want_out = want;
  }
  return 0;
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  int port = argc > 1 ? atoi(argv[1]) : 9001;
  int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
  setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  if (bind(ls, (struct sockaddr *)&a, sizeof a) || listen(ls, 4096)) {
    perror("c-floor: listen");
    return 1;
  }
  ep = epoll_create1(0);
  struct epoll_event le = {.events = EPOLLIN, .data.ptr = NULL};
  epoll_ctl(ep, EPOLL_CTL_ADD, ls, &le);
  printf("c-floor listening on ws://127.0.0.1:%d/ws pid %d\n", port, getpid());
  fflush(stdout);
  struct epoll_event evs[512];
  char rb[65536];
  for (;;) {
    int n = epoll_wait(ep, evs, 512, -1);
    for (int i = 0; i < n; i++) {
      conn_t *c = evs[i].data.ptr;
      if (!c) {
        int fd;
        while ((fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          conn_t *nc = calloc(1, sizeof *nc);
          nc->fd = fd;
          struct epoll_event e = {.events = EPOLLIN, .data.ptr = nc};
          epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
        }
        continue;
      }
      if (c->closing) continue;
      if (evs[i].events & EPOLLOUT) mark_dirty(c);
      if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        ssize_t r;
        while ((r = read(c->fd, rb, sizeof rb)) > 0) {
          put(&c->in, rb, r);
          if (!c->open) handshake(c);
          if (c->open) frames(c);
          if (c->closing) break;
        }
        if (r == 0 || (r < 0 && errno != EAGAIN)) c->closing = 1;
        if (c->closing) mark_dirty(c);
      }
    }
    // one write per connection per turn: what the turn queued for it leaves together
    conn_t *list = dirty_list;
    dirty_list = NULL;
    while (list) {
      conn_t *c = list;
      list = c->next_dirty;
      c->dirty = 0;
      if (flush(c) < 0 || c->closing) drop(c);
    }
  }
}
