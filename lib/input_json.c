/* Reading figures from JSON: {"metrics": {...}, "not_applicable": [...]}. */
#include <math.h>
#include <string.h>

#include "input.h"
#include "jsonctx.h"

/* "provenance" is where jx_extraction_to_json says where each figure came
 * from; it is informational. */
static const char *const input_keys[] = {"metrics", "not_applicable", "id", "name",
                                         "description", "provenance", "entity", NULL};

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
                           jxi_json_type_name(v));
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
                         jxi_json_type_name(metrics));
    const char *name;
    json_t *v;
    jxi_path_push_key(&c->path, "metrics");
    json_object_foreach(metrics, name, v) {
        size_t m = jx_scheme_metric_find(s, name);
        if (m == JX_NONE) {
            int slot = jxi_scheme_slot(s, name, strlen(name));
            if (slot >= 0)
                rc = jxi_jfail(c, JX_ENOTFOUND, name, 1,
                               "\"%s\" is a derived metric, computed by the scheme; give its "
                               "inputs instead", name);
            else
                rc = jxi_jfail(c, JX_ENOTFOUND, name, 1,
                               "unknown metric \"%s\": the scheme does not declare it", name);
            continue;
        }
        if (json_is_null(v)) {
            in->values[m] = 0;
            in->states[m] = JXI_SLOT_MISSING;
            continue;
        }
        switch (s->metrics[m].type) {
        case JX_METRIC_NUMBER:
            if (!json_is_number(v))
                rc = jxi_jfail(c, JX_ETYPE, name, 0, "metric \"%s\" takes a number, found %s",
                               name, jxi_json_type_name(v));
            else
                jx_input_set_number(in, name, json_number_value(v));
            break;
        case JX_METRIC_BOOL:
            if (!json_is_boolean(v))
                rc = jxi_jfail(c, JX_ETYPE, name, 0, "metric \"%s\" takes true or false, found %s",
                               name, jxi_json_type_name(v));
            else
                jx_input_set_bool(in, name, json_is_true(v));
            break;
        case JX_METRIC_LEVEL:
            if (!json_is_string(v)) {
                rc = jxi_jfail(c, JX_ETYPE, name, 0,
                               "metric \"%s\" takes one of its levels (a string), found %s", name,
                               jxi_json_type_name(v));
            } else if (jxi_input_set_level(in, m, json_string_value(v), json_string_length(v)) < 0) {
                jxi_buf b;
                jxi_buf_init(&b);
                for (size_t k = 0; k < s->metrics[m].nlevels; k++) {
                    if (k)
                        jxi_buf_puts(&b, ", ");
                    jxi_buf_puts(&b, s->metrics[m].levels[k]);
                }
                rc = jxi_jfail(c, JX_ELEVEL, name, 0,
                               "\"%s\" is not a level of metric \"%s\"; expected one of: %s",
                               json_string_value(v), name, b.data ? b.data : "");
                jxi_buf_free(&b);
            }
            break;
        }
    }
    jxi_path_pop(&c->path);
    json_t *na = json_object_get(root, "not_applicable");
    if (na && !json_is_array(na))
        return jxi_jfail(c, JX_ETYPE, "not_applicable", 0,
                         "\"not_applicable\" must be an array of indicator ids, found %s",
                         jxi_json_type_name(na));
    jxi_path_push_key(&c->path, "not_applicable");
    for (size_t k = 0; na && k < json_array_size(na); k++) {
        json_t *id = json_array_get(na, k);
        jxi_path_push_index(&c->path, k);
        if (!json_is_string(id))
            rc = jxi_jfail(c, JX_ETYPE, NULL, 0, "expected an indicator id (a string), found %s",
                           jxi_json_type_name(id));
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
        jxi_error_set(err, JX_ELIMIT, "input larger than the limit of %u bytes",
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
        jxi_error_set(err, JX_ENOMEM, "out of memory");
        return JX_ENOMEM;
    }
    memcpy(tmp->values, in->values, s->nmetrics * sizeof *in->values);
    memcpy(tmp->states, in->states, s->nmetrics);
    memcpy(tmp->na, in->na, s->ninds);
    apply(&c, tmp, root);
    json_decref(root);
    int rc = 0;
    if (c.failed) {
        rc = c.err->code;
    } else {
        memcpy(in->values, tmp->values, s->nmetrics * sizeof *in->values);
        memcpy(in->states, tmp->states, s->nmetrics);
        memcpy(in->na, tmp->na, s->ninds);
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
    int rc = jxi_read_file(path, &buf, &len, err);
    if (rc < 0)
        return rc;
    rc = jx_input_load_buffer(in, buf, len, path, flags, err);
    jxi_free(buf);
    return rc;
}
