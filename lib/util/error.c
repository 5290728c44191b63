/* Error reporting: jx_strerror and filling the caller's jx_error. */
#include <stdio.h>
#include <string.h>

#include "util/internal.h"

JX_API const char *jx_strerror(int code)
{
    switch (code) {
    case JX_OK: return "success";
    case JX_ENOMEM: return "out of memory";
    case JX_EARG: return "invalid argument";
    case JX_EIO: return "cannot read file";
    case JX_ESYNTAX: return "malformed JSON or text";
    case JX_EKEY: return "unknown key";
    case JX_ETYPE: return "wrong type";
    case JX_EVALUE: return "invalid value";
    case JX_EREQUIRED: return "required key missing";
    case JX_EDUPLICATE: return "duplicate name";
    case JX_ESUM: return "maxima do not add up";
    case JX_EBANDS: return "bands overlap or leave a gap";
    case JX_EFORMULA: return "formula does not parse";
    case JX_EREF: return "undeclared metric";
    case JX_ECYCLE: return "derived metrics form a cycle";
    case JX_EGRADES: return "grade cut-offs out of order";
    case JX_ELIMIT: return "limit exceeded";
    case JX_ENOTFOUND: return "no such metric or indicator";
    case JX_ELEVEL: return "undeclared level";
    case JX_EINCOMPLETE: return "missing input";
    case JX_EUNDEFINED: return "value cannot be computed";
    case JX_EUNSUPPORTED: return "not supported by this build";
    default: return "unknown error";
    }
}

void jxi_copy_truncated(char *dst, size_t n, const char *s)
{
    if (n == 0)
        return;
    size_t len = strlen(s);
    if (len < n) {
        memcpy(dst, s, len + 1);
        return;
    }
    /* Cut on a code-point boundary and mark the cut. */
    size_t keep = n > 4 ? n - 4 : 0;
    while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
        keep--;
    memcpy(dst, s, keep);
    if (n > 4)
        memcpy(dst + keep, "...", 4);
    else
        dst[keep] = '\0';
}

void jxi_error_setv(jx_error *err, int code, const char *fmt, va_list ap)
{
    if (!err)
        return;
    char tmp[1024];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    err->code = code;
    err->line = 0;
    err->column = 0;
    err->offset = -1;
    err->path[0] = '\0';
    err->source[0] = '\0'; /* callers with a source set it after */
    jxi_copy_truncated(err->message, sizeof err->message, tmp);
}

void jxi_error_set(jx_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jxi_error_setv(err, code, fmt, ap);
    va_end(ap);
}

void jxi_error_set_lang(jx_error *err, int zh, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jxi_error_setv(err, code, zh ? jxi_msg_zh(fmt) : fmt, ap);
    va_end(ap);
}

void jxi_error_source(jx_error *err, const char *source)
{
    if (err)
        jxi_copy_truncated(err->source, sizeof err->source, source ? source : "");
}

void jxi_error_path(jx_error *err, const char *path)
{
    if (err)
        jxi_copy_truncated(err->path, sizeof err->path, path ? path : "");
}
