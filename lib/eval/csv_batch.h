/* Batches from CSV (jixiao.h, "Batches from CSV"): the reader's and the
 * chunk's insides, shared by csv_read.c (sources, the header, cutting the
 * text into records), csv_rows.c (records to columns, bad rows) and
 * csv_write.c (results to CSV). */
#ifndef JIXIAO_CSV_BATCH_H
#define JIXIAO_CSV_BATCH_H

#include "util/csv.h"
#include "util/internal.h"

#define JXI_CSV_READ_SIZE (64u * 1024u)        /* bytes asked of the source at a time */
#define JXI_CSV_MAX_RECORD (64u * 1024u * 1024u) /* one record's text, bytes */
#define JXI_CSV_MAX_ROWS (1u << 20)            /* rows of a chunk */

enum { JXI_CSVCOL_ID, JXI_CSVCOL_METRIC, JXI_CSVCOL_NA };

/* A reader flag for tests and fuzzing, set after opening: every row is read
 * by the general path, so the fast path can be compared with it. */
#define JXI_CSV_GENERAL 0x80000000u

typedef struct jxi_csv_col {
    int kind;
    size_t metric;      /* JXI_CSVCOL_METRIC: its number and jx_metric_type */
    int type;
    char *name;         /* as in the header, without surrounding blanks */
    size_t nlevels;     /* a level metric's level names, for matching */
    const char **levels;
    size_t *level_len;
    int plain;          /* a cell written as a plain decimal ("12", "-3.5") may be
                           read by the fast path: not so for a level metric one of
                           whose names is itself such a number */
} jxi_csv_col;

struct jx_csv_reader {
    const jx_scheme *s;
    unsigned flags;
    char *source;
    /* where the text comes from: one of a file descriptor, a function, a buffer */
    int fd, own_fd;
    jx_csv_read_fn fn;
    void *ctx;
    const char *mem;
    size_t mem_len, mem_pos;
    int eof, started;   /* started: the byte-order mark question is settled */
    /* the text read past the last chunk's last record */
    char *carry;
    size_t carry_len, carry_cap;
    jxi_csv_scan_state scan;  /* of the record at the start of the carry */
    long line;          /* physical line of the next record */
    long offset;        /* its byte offset in the text */
    /* the header */
    size_t ncols;
    jxi_csv_col *cols;
    size_t *metric_col; /* per metric: its column or JX_NONE */
    size_t id_col;
    size_t nmetrics, ninds;
};

struct jx_csv_chunk {
    const jx_csv_reader *r;
    size_t cap;         /* rows it has room for */
    /* the text of whole records, and where each is */
    char *raw;
    size_t raw_len, raw_cap;
    size_t nrec, rec_cap;
    size_t *rec_start, *rec_end;
    long *rec_line, *rec_offset;
    /* the rows read */
    size_t nrows;
    double **metrics;           /* per metric: cap values, or NULL (no column) */
    unsigned char **na;         /* per indicator: cap bytes once used */
    const unsigned char **na_arg; /* what jx_batch_score is given */
    size_t *na_used, nna_used;  /* indicators marked in this chunk */
    char *ids;
    size_t ids_len, ids_cap;
    size_t *id_at;              /* per row: where its id starts in ids */
    jx_error *bad;
    size_t nbad, bad_cap;
    jxi_csv_fields split;
};

/* Fill err with a row's error at byte `at` of record `rec` of chunk c, its
 * column named `column` (NULL: none). The message is printf-style. */
void jxi_csv_row_error(const jx_csv_chunk *c, size_t rec, size_t at, const char *column,
                       jx_error *err, int code, const char *fmt, ...) JXI_PRINTF(7, 8);
/* At most `max` bytes of s[0..n) for a message: cut on a character
 * boundary, invalid bytes shown as '?', NUL-terminated in out (max + 1
 * bytes). */
void jxi_csv_quote_text(char *out, size_t max, const char *s, size_t n);

#endif
