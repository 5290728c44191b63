/* A streaming CSV reader (RFC 4180) over a buffer held in memory
 * (lib/util/csv.c). One record at a time: the fields of the current record are
 * unquoted into the reader's own storage, so a caller never sees quotes or
 * doubled quotes. Shared by the project-sheet reader and, later, other
 * readers of tabular text. */
#ifndef JIXIAO_CSV_H
#define JIXIAO_CSV_H

#include <stddef.h>

#include "util/internal.h"

typedef struct jxi_csv {
    const char *buf;    /* the whole text; a UTF-8 BOM at its start is skipped */
    size_t len;
    size_t pos;         /* where the next record starts */
    const char *source; /* named in errors */
    int line;           /* physical line where the next record starts */
    int record_line;    /* physical line where the current record started */
    long record;        /* 1-based number of the current record */
    jxi_buf text;       /* the current record's fields, each NUL-terminated */
    size_t *starts;     /* offsets of the fields in `text` */
    size_t *lens;
    size_t nfields, cap;
} jxi_csv;

/* Start reading buf[0..len). `source` (may be NULL: "<string>") must
 * outlive the reader. Nothing is allocated until the first record. */
void jxi_csv_init(jxi_csv *c, const char *buf, size_t len, const char *source);
void jxi_csv_free(jxi_csv *c);

/* Read the next record: 1, 0 at the end of the text, or a negative code
 * with `err` (JX_ESYNTAX for an unclosed quote, text after a closing quote
 * or invalid UTF-8, naming the record, field, line and column; JX_ENOMEM).
 * A record is ended by LF, CRLF or the end of the text; a blank line is a
 * record of one empty field. */
int jxi_csv_next(jxi_csv *c, jx_error *err);

/* The current record's fields: count, and field i (NUL-terminated, *len
 * its byte length when len is non-NULL). Valid until the next call. */
size_t jxi_csv_count(const jxi_csv *c);
const char *jxi_csv_field(const jxi_csv *c, size_t i, size_t *len);
/* 1 if every field of the current record is empty (or only spaces). */
int jxi_csv_blank(const jxi_csv *c);

#endif
