/* Formulas: the lexer, which turns the source into tokens one at a time for
 * the parser (expr_parse.c), and the error messages both of them write.
 *
 * Every file-scope name here starts with expr_ / EXPR_ (jxi_expr_ when
 * shared, in expr_int.h) so the file can be concatenated into a single-file
 * build. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compile/expr_int.h"
#include "util/internal.h"
#include "util/num.h"

int jxi_expr_fail(expr_parser *p, int code, size_t offset, const char *fmt, ...)
{
    va_list ap;
    p->e->code = code;
    p->e->offset = offset;
    va_start(ap, fmt);
    vsnprintf(p->e->message, sizeof p->e->message, fmt, ap);
    va_end(ap);
    return code;
}

/* s[0..n) as a message excerpt of at most `size` - 1 bytes, cut on a code
 * point boundary with "..." so long names keep messages readable. */
const char *jxi_expr_excerpt(const char *s, size_t n, char *buf, size_t size)
{
    if (n < size) {
        memcpy(buf, s, n);
        buf[n] = '\0';
        return buf;
    }
    size_t k = size - 4;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    memcpy(buf, s, k);
    memcpy(buf + k, "...", 4);
    return buf;
}

/* Non-ASCII code points that cannot be part of a plain name: CJK and
 * full-width punctuation, general punctuation (including “” quotes), and
 * symbols that look like operators (× ÷ ≤ ≥ ≠). */
static int expr_is_name_cp(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_'
               || (cp >= '0' && cp <= '9');
    return !(cp <= 0xBF || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x206F)
             || (cp >= 0x2200 && cp <= 0x22FF) || (cp >= 0x3000 && cp <= 0x303F)
             || cp == 0xFEFF || (cp >= 0xFF00 && cp <= 0xFF0F)
             || (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40)
             || (cp >= 0xFF5B && cp <= 0xFF65));
}

/* Length of the name character at s[pos], or 0 if there is none. */
static size_t expr_name_char(const expr_parser *p, size_t pos)
{
    uint32_t cp;
    size_t n = jxi_utf8_decode(p->s + pos, p->len - pos, &cp);
    return n && expr_is_name_cp(cp) ? n : 0;
}

/* A character that cannot start a token: explain the likely slip (a
 * full-width or typographic operator typed with a Chinese input method). */
static int expr_bad_char(expr_parser *p, size_t pos)
{
    uint32_t cp = 0;
    size_t n = jxi_utf8_decode(p->s + pos, p->len - pos, &cp);
    char ch[8];
    if (n == 0)
        return jxi_expr_fail(p, JX_EFORMULA, pos, "invalid UTF-8");
    if (cp < 0x20 || cp == 0x7F)
        return jxi_expr_fail(p, JX_EFORMULA, pos, "unexpected control character U+%04X",
                             (unsigned)cp);
    memcpy(ch, p->s + pos, n);
    ch[n] = '\0';
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        return jxi_expr_fail(p, JX_EFORMULA, pos, "full-width '%s' found; use ASCII '%c'", ch,
                             (char)(cp - 0xFEE0));
    static const struct { uint32_t cp; const char *use; } alike[] = {
        {0x3000, " "}, {0x00D7, "*"}, {0x00F7, "/"}, {0x2212, "-"}, {0x2264, "<="},
        {0x2265, ">="}, {0x2260, "!="}, {0x3010, "["}, {0x3011, "]"}, {0x3001, ","},
    };
    for (size_t i = 0; i < sizeof alike / sizeof alike[0]; i++)
        if (alike[i].cp == cp)
            return jxi_expr_fail(p, JX_EFORMULA, pos, "%s'%s' found; use ASCII '%s'",
                                 cp >= 0x3000 ? "full-width " : "", ch, alike[i].use);
    if ((cp >= 0x2018 && cp <= 0x201F) || cp == '"' || cp == '\'')
        return jxi_expr_fail(p, JX_EFORMULA, pos, "unexpected '%s'; write a name with quotes in "
                             "brackets, e.g. [“三公”经费]", ch);
    if (cp == '!')
        return jxi_expr_fail(p, JX_EFORMULA, pos, "unexpected '!'; use 'not' or '!='");
    if (cp == '&')
        return jxi_expr_fail(p, JX_EFORMULA, pos, "unexpected '&'; use 'and'");
    if (cp == '|')
        return jxi_expr_fail(p, JX_EFORMULA, pos, "unexpected '|'; use 'or'");
    return jxi_expr_fail(p, JX_EFORMULA, pos, "unexpected character '%s'", ch);
}

/* A number at s[*pos] (a digit, or '.' and a digit). */
static int expr_lex_number(expr_parser *p, size_t *at)
{
    const char *s = p->s;
    size_t len = p->len, pos = *at;
    expr_token *t = &p->t;
    size_t n = jxi_parse_number(s + pos, len - pos, &t->num);
    if (n == 0)
        return jxi_expr_fail(p, JX_EFORMULA, pos, "malformed number");
    if (!isfinite(t->num))
        return jxi_expr_fail(p, JX_EFORMULA, pos, "number out of range");
    if (pos + n < len && expr_name_char(p, pos + n)) {
        /* "2023年预算": a name that starts with a digit */
        size_t end = pos + n, k;
        while (end < len && (k = expr_name_char(p, end)) > 0)
            end += k;
        char name[64];
        return jxi_expr_fail(p, JX_EFORMULA, pos,
                             "a name cannot start with a digit; write it in brackets: [%s]",
                             jxi_expr_excerpt(s + pos, end - pos, name, sizeof name));
    }
    t->type = EXPR_T_NUM;
    *at = pos + n;
    return 0;
}

/* A plain name or a keyword (and, or, not) at s[*pos], whose first
 * character is `n` bytes long. */
static void expr_lex_word(expr_parser *p, size_t *at, size_t n)
{
    const char *s = p->s;
    size_t len = p->len, pos = *at;
    expr_token *t = &p->t;
    do
        pos += n;
    while (pos < len && (n = expr_name_char(p, pos)) > 0);
    size_t k = pos - t->start;
    const char *w = s + t->start;
    t->type = k == 3 && !memcmp(w, "and", 3)   ? EXPR_T_AND
              : k == 2 && !memcmp(w, "or", 2)  ? EXPR_T_OR
              : k == 3 && !memcmp(w, "not", 3) ? EXPR_T_NOT
                                               : EXPR_T_NAME;
    t->name = t->start;
    t->name_len = k;
    *at = pos;
}

/* A name in brackets at s[*pos] ('['). */
static int expr_lex_bracketed(expr_parser *p, size_t *at)
{
    const char *s = p->s;
    size_t len = p->len, pos = *at;
    expr_token *t = &p->t;
    const char *close = memchr(s + pos + 1, ']', len - pos - 1);
    if (!close)
        return jxi_expr_fail(p, JX_EFORMULA, pos, "expected ']' to close the bracketed name");
    if (close == s + pos + 1)
        return jxi_expr_fail(p, JX_EFORMULA, pos, "empty name in brackets");
    t->type = EXPR_T_NAME;
    t->bracketed = 1;
    t->name = pos + 1;
    t->name_len = (size_t)(close - (s + pos + 1));
    *at = (size_t)(close - s) + 1;
    return 0;
}

/* An operator or punctuation at s[*pos], or an error for any other
 * character. */
static int expr_lex_operator(expr_parser *p, size_t *at)
{
    const char *s = p->s;
    size_t len = p->len, pos = *at;
    expr_token *t = &p->t;
    unsigned char c = (unsigned char)s[pos];
    int two = pos + 1 < len ? s[pos + 1] : 0;
    size_t n = 1;
    switch (c) {
    case '(': t->type = EXPR_T_LP; break;
    case ')': t->type = EXPR_T_RP; break;
    case ',': t->type = EXPR_T_COMMA; break;
    case '+': t->type = EXPR_T_PLUS; break;
    case '-': t->type = EXPR_T_MINUS; break;
    case '*': t->type = EXPR_T_STAR; break;
    case '/': t->type = EXPR_T_SLASH; break;
    case '<':
        t->type = two == '=' ? EXPR_T_LE : two == '>' ? EXPR_T_NE : EXPR_T_LT;
        n = two == '=' || two == '>' ? 2 : 1;
        break;
    case '>':
        t->type = two == '=' ? EXPR_T_GE : EXPR_T_GT;
        n = two == '=' ? 2 : 1;
        break;
    case '=':
        t->type = EXPR_T_EQ;
        n = two == '=' ? 2 : 1;
        break;
    case '!':
        if (two != '=')
            return expr_bad_char(p, pos);
        t->type = EXPR_T_NE;
        n = 2;
        break;
    case ']':
        return jxi_expr_fail(p, JX_EFORMULA, pos, "unexpected ']' without '['");
    default:
        return expr_bad_char(p, pos);
    }
    *at = pos + n;
    return 0;
}

/* Read the next token into p->t (the current one moves to p->prev). */
int jxi_expr_next(expr_parser *p)
{
    const char *s = p->s;
    size_t len = p->len, pos = p->pos;
    expr_token *t = &p->t;

    p->prev = *t;
    while (pos < len && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r'))
        pos++;
    memset(t, 0, sizeof *t);
    t->start = pos;
    if (pos == len) {
        t->type = EXPR_T_END;
        t->end = p->pos = pos;
        return 0;
    }
    unsigned char c = (unsigned char)s[pos];
    size_t n;
    int rc = 0;
    if ((c >= '0' && c <= '9') || (c == '.' && pos + 1 < len && s[pos + 1] >= '0'
                                   && s[pos + 1] <= '9'))
        rc = expr_lex_number(p, &pos);
    else if ((n = expr_name_char(p, pos)) > 0)
        expr_lex_word(p, &pos, n);
    else if (c == '[')
        rc = expr_lex_bracketed(p, &pos);
    else
        rc = expr_lex_operator(p, &pos);
    if (rc)
        return rc;
    t->end = p->pos = pos;
    return 0;
}
