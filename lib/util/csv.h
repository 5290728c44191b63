/* The library's one CSV parser (RFC 4180), lib/util/csv.c, in two layers.
 *
 * Records and fields: jxi_csv_scan finds where a record ends in text that
 * arrives in pieces (it keeps its state between calls, so each byte is
 * looked at once however the text is cut), and jxi_csv_split cuts one
 * record into fields, pointing into the record where a field is not
 * quoted and unquoting into its own scratch where it is. The batch reader
 * (lib/eval/csv_read.c) streams files through these.
 *
 * Over a whole buffer: jxi_csv_next reads one record at a time, its fields
 * NUL-terminated in the reader's own storage and checked as UTF-8; the
 * project-sheet reader uses it.
 *
 * Both share the grammar: a record ends at a line feed outside quotes (a
 * CR before it is dropped); a field is quoted only when its first byte is
 * '"', and inside one "" is a quote; a quote elsewhere is data, as is a
 * CR that does not end the record. */
#ifndef JIXIAO_CSV_H
#define JIXIAO_CSV_H

#include <stddef.h>

#include "util/internal.h"

/* ---- Records in streamed text --------------------------------------------- */

/* Where the record that starts at rec[0] ends. Zero it for each record; the
 * offsets are relative to the record's first byte, so the caller may move
 * the bytes between calls. */
typedef struct jxi_csv_scan_state {
    size_t at;   /* bytes of the record looked at */
    int state;   /* where `at` is: a field's start, in a plain field, ... */
    long lines;  /* line feeds inside quoted fields so far */
} jxi_csv_scan_state;

/* Look at rec[s->at..n): 1 with *end the offset of the line feed that ends
 * the record, or 0 when it does not end within the n bytes (call again when
 * more have arrived, or take rec[0..n) as the last record at the end of the
 * text). */
int jxi_csv_scan(jxi_csv_scan_state *s, const char *rec, size_t n, size_t *end);

/* ---- Fields of one record ----------------------------------------------------- */

typedef struct jxi_csv_cell {
    const char *p;   /* the value: in the record, or unquoted in the scratch */
    size_t n;
    size_t raw;      /* where the field starts in the record (its quote if quoted) */
    size_t raw_end;  /* where it ends (the comma or the end of the record) */
} jxi_csv_cell;

#define JXI_CSV_UNCLOSED 1    /* a quoted field is not closed */
#define JXI_CSV_AFTER_QUOTE 2 /* a byte other than ',' after a closing quote */

typedef struct jxi_csv_fields {
    jxi_csv_cell *f;
    size_t nf, cap;
    char *scratch;      /* quoted fields, unquoted */
    size_t scratch_cap;
    int error;          /* JXI_CSV_UNCLOSED or JXI_CSV_AFTER_QUOTE when split gave 0 */
    size_t error_at;    /* offset in the record of what is wrong */
} jxi_csv_fields;

/* Cut rec[0..n) (a record without its line break) into fields: their
 * number (at least 1), or 0 for a malformed record (error and error_at set;
 * nf fields before the bad one are valid), or JX_ENOMEM. Field values stay
 * valid until the next call or the record's bytes change. Zero the struct
 * before the first call; jxi_csv_fields_free releases it. */
long jxi_csv_split(jxi_csv_fields *sp, const char *rec, size_t n);
void jxi_csv_fields_free(jxi_csv_fields *sp);

/* ---- Records of a buffer held in memory ------------------------------------------ */

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
    jxi_csv_fields split;
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
