/* JSON documents and errors at JSON paths (see jsonctx.h). */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "load/jsonctx.h"

static const char *word(int zh, const char *w) { return zh ? jxi_msg_zh(w) : w; }

int jxi_read_file(const char *path, char **buf, size_t *len, int zh, jx_error *err)
{
    /* Open without blocking and read only regular files: a FIFO or a device
     * named by a scheme must not hang or flood the host. */
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    struct stat st;
    FILE *f = NULL;
    if (fd >= 0 && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
        close(fd);
        jxi_error_set_lang(err, zh, JX_EIO, "cannot read file: %s",
                           word(zh, S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file"));
        jxi_error_source(err, path);
        return JX_EIO;
    }
    if (fd >= 0 && !(f = fdopen(fd, "rb")))
        close(fd);
    if (!f) {
        int e = errno;
        jxi_error_set_lang(err, zh, JX_EIO, "cannot open file: %s",
                           word(zh, e == ENOENT   ? "no such file"
                                    : e == EACCES ? "permission denied"
                                    : e == EISDIR ? "is a directory"
                                                  : "open failed"));
        jxi_error_source(err, path);
        return JX_EIO;
    }
    size_t cap = 65536, n = 0;
    char *b = jxi_malloc(cap + 1);
    if (!b) {
        fclose(f);
        jxi_error_set_lang(err, zh, JX_ENOMEM, "out of memory reading the file");
        jxi_error_source(err, path);
        return JX_ENOMEM;
    }
    for (;;) {
        if (n == cap) {
            if (cap >= JXI_MAX_FILE_SIZE + 1u) {
                fclose(f);
                jxi_free(b);
                jxi_error_set_lang(err, zh, JX_ELIMIT, "file larger than the limit of %u bytes",
                                   (unsigned)JXI_MAX_FILE_SIZE);
                jxi_error_source(err, path);
                return JX_ELIMIT;
            }
            size_t ncap = cap * 2 > JXI_MAX_FILE_SIZE + 1u ? JXI_MAX_FILE_SIZE + 1u : cap * 2;
            char *nb = jxi_realloc(b, ncap + 1);
            if (!nb) {
                fclose(f);
                jxi_free(b);
                jxi_error_set_lang(err, zh, JX_ENOMEM, "out of memory reading the file");
                jxi_error_source(err, path);
                return JX_ENOMEM;
            }
            b = nb;
            cap = ncap;
        }
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        jxi_free(b);
        jxi_error_set_lang(err, zh, JX_EIO, "read error");
        jxi_error_source(err, path);
        return JX_EIO;
    }
    if (n > JXI_MAX_FILE_SIZE) {
        jxi_free(b);
        jxi_error_set_lang(err, zh, JX_ELIMIT, "file larger than the limit of %u bytes",
                           (unsigned)JXI_MAX_FILE_SIZE);
        jxi_error_source(err, path);
        return JX_ELIMIT;
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
}

static void set_position(jxi_jctx *c, jx_error *e, long offset)
{
    e->offset = offset;
    if (offset >= 0)
        jxi_line_column(c->text, c->len, (size_t)offset, &e->line, &e->column);
}

/* Fill a jx_error for the current path (+ key) and pass it on. */
static int report(jxi_jctx *c, int severity, int code, const jxi_path *path, const char *key,
                  int at_key, long offset, const char *fmt, va_list ap)
{
    jx_error e;
    jxi_error_setv(&e, code, c->zh ? jxi_msg_zh(fmt) : fmt, ap);
    jxi_error_source(&e, c->source);
    jxi_path p = *path;
    if (key)
        jxi_path_push_key(&p, key);
    jxi_buf b;
    jxi_buf_init(&b);
    jxi_path_format(&p, &b);
    jxi_error_path(&e, b.data && !b.failed ? b.data : "");
    jxi_buf_free(&b);
    set_position(c, &e, offset >= 0 ? offset : jxi_json_locate(c->text, c->len, &p, at_key && key));
    if (severity == JXI_SEV_ERROR) {
        if (code == JX_ENOMEM)
            c->nomem = 1;
        if (c->failed++ == 0 && c->err)
            *c->err = e;
    }
    if (c->diag)
        c->diag(c->diag_ctx, severity, &e);
    return code;
}

int jxi_jfail(jxi_jctx *c, int code, const char *key, int at_key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(c, JXI_SEV_ERROR, code, &c->path, key, at_key, -1, fmt, ap);
    va_end(ap);
    return code;
}

int jxi_jfail_offset(jxi_jctx *c, int code, const char *key, long offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(c, JXI_SEV_ERROR, code, &c->path, key, 0, offset, fmt, ap);
    va_end(ap);
    return code;
}

void jxi_jwarn(jxi_jctx *c, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(c, JXI_SEV_WARNING, 0, &c->path, key, 0, -1, fmt, ap);
    va_end(ap);
}

int jxi_jfail_at(jxi_jctx *c, int code, const jxi_path *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(c, JXI_SEV_ERROR, code, p, NULL, 0, -1, fmt, ap);
    va_end(ap);
    return code;
}

/* Where a syntax error starts. jansson's position is just past the token
 * it choked on, and its message quotes that token ("near 'hundred'"), so
 * step back over it; at the end of the input, point at the end. */
static long syntax_position(const jxi_jctx *c, const json_error_t *je)
{
    long pos = je->position;
    if (pos < 0 || (size_t)pos > c->len)
        pos = (long)c->len;
    if (strstr(je->text, "end of file") || (size_t)pos >= c->len)
        return (long)c->len;
    const char *near = strstr(je->text, "near '");
    if (near) {
        near += 6;
        const char *end = strrchr(near, '\'');
        size_t tl = end && end > near ? (size_t)(end - near) : 0;
        /* A quoted token may be cut short by jansson; only trust it when the
         * text before `pos` really ends with it. */
        if (tl > 0 && (size_t)pos >= tl && memcmp(c->text + pos - (long)tl, near, tl) == 0)
            return pos - (long)tl;
    }
    return pos > 0 ? pos - 1 : 0;
}

/* What is wrong, in words that quote nothing of the text: jansson's own
 * message shows the bytes it stopped at. */
static const char *syntax_problem(const json_error_t *je)
{
    switch (json_error_code(je)) {
    case json_error_out_of_memory: return "out of memory";
    case json_error_stack_overflow: return "nested too deeply";
    case json_error_invalid_utf8: return "invalid UTF-8";
    case json_error_premature_end_of_input: return "the text ends inside a value";
    case json_error_end_of_input_expected: return "text after the end of the document";
    case json_error_invalid_syntax: return "invalid syntax";
    case json_error_null_character:
    case json_error_null_byte_in_key: return "a NUL character";
    case json_error_duplicate_key: return "a duplicate key";
    case json_error_numeric_overflow: return "a number out of range";
    default: return "not valid JSON";
    }
}

json_t *jxi_json_parse(jxi_jctx *c)
{
    /* Most documents are well-formed: read them the fast way, and run the
     * checks one by one only to find what is wrong. */
    json_t *clean = jxi_json_read_clean(c->text, c->len, JXI_MAX_JSON_DEPTH);
    if (clean)
        return clean;
    size_t bad = jxi_utf8_check(c->text, c->len);
    if (bad != (size_t)-1) {
        jx_error e;
        jxi_error_set_lang(&e, c->zh, JX_ESYNTAX, "invalid UTF-8 at byte %zu", bad);
        jxi_error_source(&e, c->source);
        set_position(c, &e, (long)bad);
        c->failed++;
        *c->err = e;
        if (c->diag)
            c->diag(c->diag_ctx, JXI_SEV_ERROR, &e);
        return NULL;
    }
    long deep = jxi_json_too_deep(c->text, c->len, JXI_MAX_JSON_DEPTH);
    if (deep >= 0) {
        jx_error e;
        jxi_error_set_lang(&e, c->zh, JX_ELIMIT,
                           "JSON nests deeper than the limit of %d levels", JXI_MAX_JSON_DEPTH);
        jxi_error_source(&e, c->source);
        set_position(c, &e, deep);
        c->failed++;
        *c->err = e;
        if (c->diag)
            c->diag(c->diag_ctx, JXI_SEV_ERROR, &e);
        return NULL;
    }
    json_error_t je;
    json_t *root = json_loadb(c->text, c->len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        jx_error e;
        int code = json_error_code(&je) == json_error_out_of_memory ? JX_ENOMEM : JX_ESYNTAX;
        /* jansson's own text is English: in Chinese, our words for it. */
        if (c->unquoted || c->zh)
            jxi_error_set_lang(&e, c->zh, code, "malformed JSON: %s",
                               word(c->zh, syntax_problem(&je)));
        else
            jxi_error_set_lang(&e, c->zh, code, "malformed JSON: %s", je.text);
        /* jansson quotes the bytes it stopped at, which may be half a
         * character: keep the message valid UTF-8. */
        for (size_t i = 0, n = strlen(e.message); i < n;) {
            uint32_t cp;
            size_t k = jxi_utf8_decode(e.message + i, n - i, &cp);
            if (k == 0)
                e.message[i++] = '?';
            else
                i += k;
        }
        jxi_error_source(&e, c->source);
        set_position(c, &e, syntax_position(c, &je));
        c->failed++;
        *c->err = e;
        if (c->diag)
            c->diag(c->diag_ctx, JXI_SEV_ERROR, &e);
        return NULL;
    }
    if (!json_is_object(root)) {
        jxi_jfail(c, JX_ETYPE, NULL, 0, "expected a JSON object at the top, found %s",
                  jxi_jtype(c, root));
        json_decref(root);
        return NULL;
    }
    return root;
}

const char *jxi_jword(const jxi_jctx *c, const char *w) { return word(c->zh, w); }

const char *jxi_jtype(const jxi_jctx *c, const json_t *v)
{
    return jxi_jword(c, jxi_json_type_name(v));
}

const char *jxi_json_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "a value";
}

int jxi_check_keys(jxi_jctx *c, json_t *obj, const char *const *allowed, const char *what)
{
    const char *key;
    json_t *v;
    int rc = 0;
    json_object_foreach(obj, key, v) {
        int ok = 0;
        /* The first byte settles most comparisons without a call. */
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = (*a)[0] == key[0] && strcmp(*a, key) == 0;
        if (ok)
            continue;
        jxi_buf b;
        jxi_buf_init(&b);
        for (const char *const *a = allowed; *a; a++) {
            if (a != allowed)
                jxi_buf_puts(&b, ", ");
            jxi_buf_puts(&b, *a);
        }
        rc = jxi_jfail(c, JX_EKEY, key, 1, "unknown key \"%s\" in %s; expected one of: %s", key,
                       jxi_jword(c, what), b.data ? b.data : "");
        jxi_buf_free(&b);
    }
    return rc;
}

int jxi_get_string(jxi_jctx *c, json_t *obj, const char *key, int required, char **out)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required)
            return jxi_jfail(c, JX_EREQUIRED, NULL, 0, "missing required key \"%s\"", key);
        return 1;
    }
    if (!json_is_string(v))
        return jxi_jfail(c, JX_ETYPE, key, 0, "\"%s\" must be a string, found %s", key,
                         jxi_jtype(c, v));
    char *s = jxi_strndup(json_string_value(v), json_string_length(v));
    if (!s)
        return jxi_jfail(c, JX_ENOMEM, key, 0, "out of memory");
    if (strlen(s) != json_string_length(v)) {
        jxi_free(s);
        return jxi_jfail(c, JX_EVALUE, key, 0, "\"%s\" must not contain a NUL character", key);
    }
    jxi_free(*out);
    *out = s;
    return 0;
}

int jxi_get_number(jxi_jctx *c, json_t *obj, const char *key, int required, double *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required)
            return jxi_jfail(c, JX_EREQUIRED, NULL, 0, "missing required key \"%s\"", key);
        return 1;
    }
    if (!json_is_number(v))
        return jxi_jfail(c, JX_ETYPE, key, 0, "\"%s\" must be a number, found %s", key,
                         jxi_jtype(c, v));
    double d = json_number_value(v);
    if (!isfinite(d))
        return jxi_jfail(c, JX_EVALUE, key, 0, "\"%s\" must be a finite number", key);
    *out = d;
    return 0;
}

int jxi_get_int(jxi_jctx *c, json_t *obj, const char *key, int required, int lo, int hi,
                int *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required)
            return jxi_jfail(c, JX_EREQUIRED, NULL, 0, "missing required key \"%s\"", key);
        return 1;
    }
    if (!json_is_integer(v))
        return jxi_jfail(c, JX_ETYPE, key, 0, "\"%s\" must be an integer, found %s", key,
                         jxi_jtype(c, v));
    json_int_t i = json_integer_value(v);
    if (i < lo || i > hi)
        return jxi_jfail(c, JX_EVALUE, key, 0, "\"%s\" must be between %d and %d, found %lld",
                         key, lo, hi, (long long)i);
    *out = (int)i;
    return 0;
}
