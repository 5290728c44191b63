/* Reading figures from JSON: {"metrics": {...}, "not_applicable": [...]}. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "eval/input.h"
#include "load/jsonctx.h"

/* "provenance" is where jx_extraction_to_json says where each figure came
 * from; it is informational. */
static const char *const input_keys[] = {"metrics", "not_applicable", "id", "name",
                                         "description", "provenance", "standard", "worksheet",
                                         "entity", NULL};

/* Set metric m from JSON value v (not null), recording the file it came
 * from. Fails through c with `key` as the path. */
static int set_value(jxi_jctx *c, jx_input *in, size_t m, const char *name, const char *key,
                     json_t *v)
{
    const jx_scheme *s = in->s;
    int rc = 0;
    switch (s->metrics[m].type) {
    case JX_METRIC_NUMBER:
        if (!json_is_number(v))
            rc = jxi_jfail(c, JX_ETYPE, key, 0, "metric \"%s\" takes a number, found %s",
                           name, jxi_jtype(c, v));
        else
            jx_input_set_number(in, name, json_number_value(v));
        break;
    case JX_METRIC_BOOL:
        if (!json_is_boolean(v))
            rc = jxi_jfail(c, JX_ETYPE, key, 0, "metric \"%s\" takes true or false, found %s",
                           name, jxi_jtype(c, v));
        else
            jx_input_set_bool(in, name, json_is_true(v));
        break;
    case JX_METRIC_LEVEL:
        if (!json_is_string(v)) {
            rc = jxi_jfail(c, JX_ETYPE, key, 0,
                           "metric \"%s\" takes one of its levels (a string), found %s", name,
                           jxi_jtype(c, v));
        } else if (jxi_input_set_level(in, m, json_string_value(v), json_string_length(v)) < 0) {
            jxi_buf b;
            jxi_buf_init(&b);
            for (size_t k = 0; k < s->metrics[m].nlevels; k++) {
                if (k)
                    jxi_buf_puts(&b, ", ");
                jxi_buf_puts(&b, s->metrics[m].levels[k]);
            }
            rc = jxi_jfail(c, JX_ELEVEL, key, 0,
                           "\"%s\" is not a level of metric \"%s\"; expected one of: %s",
                           json_string_value(v), name, b.data ? b.data : "");
            jxi_buf_free(&b);
        }
        break;
    }
    if (rc == 0 && jxi_input_set_origin(in, m, JX_ORIGIN_FILE, c->source) < 0)
        rc = jxi_jfail(c, JX_ENOMEM, NULL, 0, "out of memory");
    return rc;
}

/* The index of metric `name`, or JX_NONE after failing through c. */
static size_t find_metric(jxi_jctx *c, const jx_scheme *s, const char *name)
{
    size_t m = jx_scheme_metric_find(s, name);
    if (m != JX_NONE)
        return m;
    if (jxi_scheme_slot(s, name, strlen(name)) >= 0)
        jxi_jfail(c, JX_ENOTFOUND, name, 1,
                  "\"%s\" is a derived metric, computed by the scheme; give its inputs instead",
                  name);
    else
        jxi_jfail(c, JX_ENOTFOUND, name, 1,
                  "unknown metric \"%s\": the scheme does not declare it", name);
    return JX_NONE;
}

/* What jx_extraction_to_json says of each figure it wrote: found in the
 * report (at a line and column) or the profile's default. Informational:
 * an entry of another shape is passed over. */
static int read_provenance(jxi_jctx *c, jx_input *in, json_t *prov)
{
    const char *name;
    json_t *v;
    if (!json_is_object(prov))
        return 0;
    json_object_foreach(prov, name, v) {
        size_t m = jx_scheme_metric_find(in->s, name);
        json_t *status = json_object_get(v, "status");
        if (m == JX_NONE || !json_is_string(status) || jx_input_origin(in, m) != JX_ORIGIN_FILE)
            continue;
        const char *st = json_string_value(status);
        char where[48] = "";
        json_t *first = json_array_get(json_object_get(v, "matches"), 0);
        json_t *line = json_object_get(first, "line"), *col = json_object_get(first, "column");
        if (json_is_integer(line) && json_is_integer(col))
            snprintf(where, sizeof where, "%lld:%lld", (long long)json_integer_value(line),
                     (long long)json_integer_value(col));
        int origin = strcmp(st, "found") == 0     ? JX_ORIGIN_REPORT
                     : strcmp(st, "default") == 0 ? JX_ORIGIN_DEFAULT
                                                  : JX_ORIGIN_FILE;
        if (origin != JX_ORIGIN_FILE &&
            jxi_input_set_origin(in, m, origin, origin == JX_ORIGIN_REPORT ? where : NULL) < 0)
            return jxi_jfail(c, JX_ENOMEM, NULL, 0, "out of memory");
    }
    return 0;
}

/* A filled-in worksheet (jx_extraction_worksheet): {name: {"value": v,
 * ...}}; a null value is a figure the user left open. */
static int read_worksheet(jxi_jctx *c, jx_input *in, json_t *ws)
{
    static const char *const keys[] = {"value", "unit", "type", "levels", "status",
                                       "description", "message", NULL};
    if (!ws)
        return 0;
    if (!json_is_object(ws))
        return jxi_jfail(c, JX_ETYPE, "worksheet", 0,
                         "\"worksheet\" must be an object of metric name: {\"value\": ...}, "
                         "found %s", jxi_jtype(c, ws));
    int rc = 0;
    const char *name;
    json_t *v;
    jxi_path_push_key(&c->path, "worksheet");
    json_object_foreach(ws, name, v) {
        size_t m = find_metric(c, in->s, name);
        if (m == JX_NONE) {
            rc = -1;
            continue;
        }
        jxi_path_push_key(&c->path, name);
        if (!json_is_object(v)) {
            rc = jxi_jfail(c, JX_ETYPE, NULL, 0,
                           "a worksheet entry must be an object {\"value\": ...}, found %s",
                           jxi_jtype(c, v));
        } else {
            if (jxi_check_keys(c, v, keys, "a worksheet entry") < 0)
                rc = -1;
            json_t *value = json_object_get(v, "value");
            if (value && !json_is_null(value) && set_value(c, in, m, name, "value", value) < 0)
                rc = -1;
        }
        jxi_path_pop(&c->path);
    }
    jxi_path_pop(&c->path);
    return rc;
}

/* Apply `root` to `in`; on error the caller throws the copy away. */
static int apply(jxi_jctx *c, jx_input *in, json_t *root)
{
    const jx_scheme *s = in->s;
    int rc = jxi_check_keys(c, root, input_keys, "an input");
    static const char *const info[] = {"id", "name", "description", "entity"};
    for (size_t k = 0; k < 4; k++) {
        json_t *v = json_object_get(root, info[k]);
        if (v && !json_is_string(v))
            rc = jxi_jfail(c, JX_ETYPE, info[k], 0, "\"%s\" must be a string, found %s", info[k],
                           jxi_jtype(c, v));
    }
    /* "entity" names the entity in the result's audit block ("id" and
     * "name" describe the input document and stay informational). */
    json_t *idv = json_object_get(root, "entity");
    if (json_is_string(idv) && jx_input_set_entity(in, json_string_value(idv)) < 0)
        rc = jxi_jfail(c, JX_ENOMEM, NULL, 0, "out of memory");
    json_t *metrics = json_object_get(root, "metrics");
    if (metrics && !json_is_object(metrics))
        return jxi_jfail(c, JX_ETYPE, "metrics", 0,
                         "\"metrics\" must be an object of metric name: value, found %s",
                         jxi_jtype(c, metrics));
    const char *name;
    json_t *v;
    jxi_path_push_key(&c->path, "metrics");
    json_object_foreach(metrics, name, v) {
        size_t m = find_metric(c, s, name);
        if (m == JX_NONE) {
            rc = -1;
            continue;
        }
        if (json_is_null(v)) {
            in->values[m] = 0;
            in->states[m] = JXI_SLOT_MISSING;
            continue;
        }
        if (set_value(c, in, m, name, name, v) < 0)
            rc = -1;
    }
    jxi_path_pop(&c->path);
    if (read_provenance(c, in, json_object_get(root, "provenance")) < 0 ||
        read_worksheet(c, in, json_object_get(root, "worksheet")) < 0)
        rc = -1;
    json_t *na = json_object_get(root, "not_applicable");
    if (na && !json_is_array(na))
        return jxi_jfail(c, JX_ETYPE, "not_applicable", 0,
                         "\"not_applicable\" must be an array of indicator ids, found %s",
                         jxi_jtype(c, na));
    jxi_path_push_key(&c->path, "not_applicable");
    for (size_t k = 0; na && k < json_array_size(na); k++) {
        json_t *id = json_array_get(na, k);
        jxi_path_push_index(&c->path, k);
        if (!json_is_string(id))
            rc = jxi_jfail(c, JX_ETYPE, NULL, 0, "expected an indicator id (a string), found %s",
                           jxi_jtype(c, id));
        else if (jx_input_set_not_applicable(in, json_string_value(id)) < 0)
            rc = jxi_jfail(c, JX_ENOTFOUND, NULL, 0, "no indicator has id \"%s\"",
                           json_string_value(id));
        jxi_path_pop(&c->path);
    }
    jxi_path_pop(&c->path);
    return rc;
}

JX_API int jx_input_load_buffer(jx_input *in, const char *buf, size_t len, const char *source,
                                unsigned flags, jx_error *err)
{
    if (!in || !buf) {
        jxi_error_set(err, JX_EARG, "no input or buffer given");
        return JX_EARG;
    }
    jxi_jctx c;
    jx_error local;
    memset(&c, 0, sizeof c);
    c.text = buf;
    c.len = len;
    c.source = source ? source : "<string>";
    c.err = err ? err : &local;
    c.zh = (flags & JX_LOAD_LANG_ZH) != 0;
    if (len > JXI_MAX_FILE_SIZE) {
        jxi_error_set_lang(err, c.zh, JX_ELIMIT, "input larger than the limit of %u bytes",
                           (unsigned)JXI_MAX_FILE_SIZE);
        jxi_error_source(err, c.source);
        return JX_ELIMIT;
    }
    json_t *root = jxi_json_parse(&c);
    if (!root)
        return c.err->code;
    /* Work on a copy so that a failed load leaves `in` as it was. */
    const jx_scheme *s = in->s;
    jx_input *tmp = jx_input_new(s);
    if (!tmp) {
        json_decref(root);
        jxi_error_set_lang(err, c.zh, JX_ENOMEM, "out of memory");
        return JX_ENOMEM;
    }
    memcpy(tmp->values, in->values, s->nmetrics * sizeof *in->values);
    memcpy(tmp->states, in->states, s->nmetrics);
    memcpy(tmp->na, in->na, s->ninds);
    if (jxi_input_copy_origins(tmp, in) < 0) {
        json_decref(root);
        jx_input_free(tmp);
        jxi_error_set_lang(err, c.zh, JX_ENOMEM, "out of memory");
        return JX_ENOMEM;
    }
    apply(&c, tmp, root);
    json_decref(root);
    int rc = 0;
    if (c.failed) {
        rc = c.err->code;
    } else {
        memcpy(in->values, tmp->values, s->nmetrics * sizeof *in->values);
        memcpy(in->states, tmp->states, s->nmetrics);
        memcpy(in->na, tmp->na, s->ninds);
        jxi_input_swap_origins(in, tmp);
        if (tmp->entity) {
            jxi_free(in->entity);
            in->entity = tmp->entity;
            tmp->entity = NULL;
        }
    }
    jx_input_free(tmp);
    return rc;
}

JX_API int jx_input_load_file(jx_input *in, const char *path, unsigned flags, jx_error *err)
{
    if (!in || !path) {
        jxi_error_set(err, JX_EARG, "no input or path given");
        return JX_EARG;
    }
    char *buf;
    size_t len;
    int rc = jxi_read_file(path, &buf, &len, (flags & JX_LOAD_LANG_ZH) != 0, err);
    if (rc < 0)
        return rc;
    rc = jx_input_load_buffer(in, buf, len, path, flags, err);
    jxi_free(buf);
    return rc;
}
