/* A small printf for the console: no C library, no floating point, no heap. */
#include <nmtwin/fw.h>

struct spec {
  unsigned width;
  char pad;     /* ' ' or '0' */
  int left;     /* '-' flag */
};

static int emit(const char *s, unsigned len, const struct spec *sp)
{
  unsigned fill = sp->width > len ? sp->width - len : 0;
  int total = (int)(len + fill);
  unsigned i;
  if (!sp->left) {
    /* Zero padding goes between the sign and the digits. */
    if (sp->pad == '0' && len && s[0] == '-') {
      nmtwin_putc('-');
      ++s;
      --len;
    }
    for (i = 0; i < fill; ++i)
      nmtwin_putc(sp->pad);
  }
  for (i = 0; i < len; ++i)
    nmtwin_putc(s[i]);
  if (sp->left)
    for (i = 0; i < fill; ++i)
      nmtwin_putc(' ');
  return total;
}

/* v /= base, returns the remainder. 16 bits at a time, so only 32-bit divisions are
 * needed (libgcc's 64-bit division would double the size of a small program). */
static unsigned divide(uint64_t *v, unsigned base)
{
  uint64_t q = 0;
  uint32_t r = 0;
  for (int shift = 48; shift >= 0; shift -= 16) {
    uint32_t part = (r << 16) | (uint32_t)((*v >> shift) & 0xFFFFu);
    q |= (uint64_t)(part / base) << shift;
    r = part % base;
  }
  *v = q;
  return r;
}

/* Digits of v in `base` at the end of buf (24 bytes hold a 64-bit value and a sign). */
static unsigned format_number(char buf[24], uint64_t v, unsigned base, int upper, int negative)
{
  const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  unsigned pos = 24;
  do
    buf[--pos] = digits[divide(&v, base)];
  while (v);
  if (negative)
    buf[--pos] = '-';
  return pos;
}

int nmtwin_vprintf(const char *fmt, va_list ap)
{
  int written = 0;
  char buf[24];
  for (; *fmt; ++fmt) {
    if (*fmt != '%') {
      nmtwin_putc(*fmt);
      ++written;
      continue;
    }
    const char *start = fmt++;
    struct spec sp = {0, ' ', 0};
    for (; *fmt == '-' || *fmt == '0'; ++fmt) {
      if (*fmt == '-')
        sp.left = 1;
      else
        sp.pad = '0';
    }
    for (; *fmt >= '0' && *fmt <= '9'; ++fmt)
      sp.width = sp.width * 10u + (unsigned)(*fmt - '0');
    int longs = 0;
    for (; *fmt == 'l'; ++fmt)
      ++longs;
    uint64_t u = 0;
    int negative = 0;
    unsigned base = 10;
    int upper = 0;
    switch (*fmt) {
    case 'd':
    case 'i': {
      int64_t v = longs >= 2 ? va_arg(ap, long long) : longs ? va_arg(ap, long) : va_arg(ap, int);
      negative = v < 0;
      u = negative ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
      break;
    }
    case 'X':
      upper = 1;
      /* fall through */
    case 'x':
      base = 16;
      /* fall through */
    case 'u':
      u = longs >= 2 ? va_arg(ap, unsigned long long) : longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
      break;
    case 'p':
      u = (uint32_t)va_arg(ap, void *);
      base = 16;
      sp.width = 8;
      sp.pad = '0';
      written += emit("0x", 2, &(struct spec){0, ' ', 0});
      break;
    case 'c':
      buf[0] = (char)va_arg(ap, int);
      written += emit(buf, 1, &sp);
      continue;
    case 's': {
      const char *s = va_arg(ap, const char *);
      unsigned len = 0;
      if (!s)
        s = "(null)";
      while (s[len])
        ++len;
      written += emit(s, len, &sp);
      continue;
    }
    case '%':
      nmtwin_putc('%');
      ++written;
      continue;
    default: /* unknown: print the conversion as written */
      for (; start <= fmt && *start; ++start, ++written)
        nmtwin_putc(*start);
      if (!*fmt)
        return written;
      continue;
    }
    unsigned pos = format_number(buf, u, base, upper, negative);
    written += emit(buf + pos, 24u - pos, &sp);
  }
  return written;
}

int nmtwin_printf(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = nmtwin_vprintf(fmt, ap);
  va_end(ap);
  return n;
}
