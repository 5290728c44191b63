/* Internal declarations shared by the library's files. Nothing here is
 * public; every name starts with jxi_. */
#ifndef JIXIAO_INTERNAL_H
#define JIXIAO_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "jixiao.h"

#if defined(__GNUC__)
#  define JXI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#  define JXI_PRINTF(a, b)
#endif

/* ---- Limits (docs/scheme-format.md, "Limits") -------------------------------------------- */

#define JXI_MAX_FILE_SIZE (16u * 1024u * 1024u) /* scheme or input file, bytes */
#define JXI_MAX_DEPTH 16          /* indicator nesting */
#define JXI_MAX_INDICATORS 100000
#define JXI_MAX_METRICS 100000
#define JXI_MAX_FORMULA_LENGTH 4096 /* bytes */
#define JXI_MAX_FORMULA_DEPTH 64  /* nested parentheses / calls / operators */
#define JXI_MAX_JSON_DEPTH 64     /* JSON nesting checked before decoding */

/* ---- Memory (lib/util/alloc.c) ----------------------------------------------- */

/* Every allocation of the library goes through these, so failure injection
 * can reach every path. */
void *jxi_malloc(size_t n);
void *jxi_calloc(size_t n, size_t size);
void *jxi_realloc(void *p, size_t n);
void jxi_free(void *p);
char *jxi_strdup(const char *s);
char *jxi_strndup(const char *s, size_t n);

#ifdef JX_ALLOC_TESTING
/* Only in a library built with -DJX_ALLOC_TESTING (`make check-alloc`,
 * tests/test_alloc.c); the normal build has none of this and no global
 * mutable state. Counts restart at each jxi_alloc_fail_after call.
 *   jxi_alloc_fail_after(n, persist): the n-th allocation from now (1: the
 *     next) fails, and with `persist` every one after it; 0 disables.
 *   jxi_alloc_count: allocations attempted (jxi_malloc, _calloc, _realloc;
 *     pcre2's go through them).
 *   jxi_alloc_failures: failures injected.
 *   jxi_alloc_live: the library's blocks allocated and not yet freed (never
 *     reset). */
void jxi_alloc_fail_after(long n, int persist);
long jxi_alloc_count(void);
long jxi_alloc_failures(void);
long jxi_alloc_live(void);
#endif

/* ---- Growable string (lib/util/strbuf.c) ------------------------------------- */

typedef struct jxi_buf {
    char *data;  /* always NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
    int failed;  /* an allocation failed; further appends are ignored */
} jxi_buf;

void jxi_buf_init(jxi_buf *b);
void jxi_buf_free(jxi_buf *b);
void jxi_buf_append(jxi_buf *b, const char *s, size_t n);
void jxi_buf_puts(jxi_buf *b, const char *s);
void jxi_buf_putc(jxi_buf *b, char c);
/* printf-style, for integers and strings only: never use it for doubles
 * (the radix character follows the locale); use jxi_buf_number. */
void jxi_buf_printf(jxi_buf *b, const char *fmt, ...) JXI_PRINTF(2, 3);
/* x rounded half-up to `digits` decimals, '.' as radix. */
void jxi_buf_number(jxi_buf *b, double x, int digits);
/* x with as few decimals as show it exactly (up to 12 significant). */
void jxi_buf_number_g(jxi_buf *b, double x);
/* A JSON string literal, quotes included. */
void jxi_buf_json_string(jxi_buf *b, const char *s);
/* An object key: the string literal and ':'. */
void jxi_buf_json_key(jxi_buf *b, const char *k);
/* Hand over the string (caller frees with jxi_free); NULL if any append
 * failed. The buffer is left empty. */
char *jxi_buf_take(jxi_buf *b);

/* JX_FEATURE_* bits of the extraction code (lib/extract/extract.c,
 * lib/extract/extract_none.c). */
unsigned jxi_extract_features(void);

/* ---- UTF-8 (lib/util/utf8.c) ------------------------------------------------- */

/* Decode one code point at s[0..len); returns its length (1..4) and stores
 * it in *cp, or returns 0 for an invalid or truncated sequence. */
size_t jxi_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Write code point cp (at most U+10FFFF) as UTF-8 into o; returns 1..4. */
size_t jxi_utf8_encode(char *o, uint32_t cp);
/* Byte offset of the first invalid sequence, or (size_t)-1 if valid. */
size_t jxi_utf8_check(const char *s, size_t len);
/* Line (1-based) and column (1-based, in code points) of byte `offset`. */
void jxi_line_column(const char *s, size_t len, size_t offset, int *line, int *column);
/* 1 if s[from..len) reads as GBK double-byte text (a lead byte 0x81-0xFE
 * and a trail 0x40-0xFE, at least two such pairs): the usual reason a
 * Chinese text is not UTF-8. */
int jxi_looks_gbk(const char *s, size_t len, size_t from);
/* Fill err with JX_ESYNTAX for invalid UTF-8 at byte `bad` of `what`
 * ("the text", "the CSV file"), naming GBK when the bytes look like it, with
 * the offset, line and column. */
void jxi_utf8_error(jx_error *err, const char *what, const char *s, size_t len, size_t bad);

/* ---- Errors (lib/util/error.c) ----------------------------------------------- */

/* Fill `err` (if non-NULL) with code and message, clearing position fields. */
/* The Chinese format for an English message format, or `fmt` itself when
 * there is none (lib/util/msg_zh.c). */
const char *jxi_msg_zh(const char *fmt);
size_t jxi_msg_zh_count(void);
const char *jxi_msg_zh_english(size_t k);

void jxi_error_set(jx_error *err, int code, const char *fmt, ...) JXI_PRINTF(3, 4);
/* The same with the message in Chinese when `zh` (JX_LOAD_LANG_ZH). */
void jxi_error_set_lang(jx_error *err, int zh, int code, const char *fmt, ...) JXI_PRINTF(4, 5);
void jxi_error_setv(jx_error *err, int code, const char *fmt, va_list ap);
void jxi_error_source(jx_error *err, const char *source);
void jxi_error_path(jx_error *err, const char *path);
/* Copy s into dst of size n, truncating with "..." on a UTF-8 boundary. */
void jxi_copy_truncated(char *dst, size_t n, const char *s);

#endif
