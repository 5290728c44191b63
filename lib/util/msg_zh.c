/* Chinese versions of the load and validation messages, chosen with
 * JX_LOAD_LANG_ZH. Looked up by the English format string, so the call
 * sites in lib/load/load*.c and the other readers stay as they are; a message
 * without an entry stays English. Each translation takes the same
 * conversions in the same order as its English original (checked by
 * tests/test_msg.c). */
#include <string.h>

#include "util/internal.h"

static const char *const table[][2] = {
    {"missing required key \"%s\"", "缺少必需的键 \"%s\""},
    {"missing required key \"when\"", "缺少必需的键 \"when\""},
    {"missing required key \"rule\"", "缺少必需的键 \"rule\""},
    {"missing required key \"items\"", "缺少必需的键 \"items\""},
    {"missing required key \"indicators\"", "缺少必需的键 \"indicators\""},
    {"missing required key \"rule\" (how a leaf is scored)",
     "缺少必需的键 \"rule\"(末级指标的评分规则)"},
    {"missing required key \"metrics\" (the figures the scheme reads)",
     "缺少必需的键 \"metrics\"(指标体系读取的数据项)"},
    {"missing required key \"max\" (a leaf indicator's points)",
     "缺少必需的键 \"max\"(末级指标的分值)"},
    {"missing required key \"jixiao\" (the scheme format version, 1)",
     "缺少必需的键 \"jixiao\"(指标体系格式版本,应为 1)"},
    {"missing required key \"target\" (e.g. \">= 100\" or \"<= 100\")",
     "缺少必需的键 \"target\"(例如 \">= 100\" 或 \"<= 100\")"},
    {"unknown key \"%s\" in %s; expected one of: %s", "未知的键 \"%s\"(在%s中);应为以下之一:%s"},
    {"\"%s\" must be a string, found %s", "\"%s\" 应为字符串,实际为 %s"},
    {"unknown metric \"%s\"; declare it in \"metrics\"", "未知的数据项 \"%s\";请在 \"metrics\" 中声明"},
    {"unknown metric \"%s\": the scheme does not declare it", "未知的数据项 \"%s\":指标体系未声明"},
    {"metric \"%s\" takes a number, found %s", "数据项 \"%s\" 应为数值,实际为 %s"},
    {"metric \"%s\" takes true or false, found %s", "数据项 \"%s\" 应为 true 或 false,实际为 %s"},
    {"metric \"%s\" takes one of its levels (a string), found %s",
     "数据项 \"%s\" 应为其等级之一(字符串),实际为 %s"},
    {"no indicator has id \"%s\"", "没有编号为 \"%s\" 的指标"},
    {"expected a JSON object at the top, found %s", "顶层应为 JSON 对象,实际为 %s"},
    {"malformed JSON: %s", "JSON 格式错误:%s"},
    {"invalid UTF-8 at byte %zu", "第 %zu 字节处不是有效的 UTF-8"},
    {"cannot open file: %s", "无法打开文件:%s"},
    {"cannot read file: %s", "无法读取文件:%s"},
    {"file larger than the limit of %u bytes", "文件超过 %u 字节的上限"},
    {"scheme larger than the limit of %u bytes", "指标体系超过 %u 字节的上限"},
    {"input larger than the limit of %u bytes", "输入超过 %u 字节的上限"},
    {"unsupported scheme format version %lld; this library reads version 1",
     "不支持的指标体系格式版本 %lld;本库读取版本 1"},
    {"unknown lang \"%s\"; expected zh or en", "未知的语言 \"%s\";应为 zh 或 en"},
    {"unknown metric type \"%s\"; expected number, bool or level",
     "未知的数据项类型 \"%s\";应为 number、bool 或 level"},
    {"unknown not_applicable policy \"%s\"; expected rescale, full or zero",
     "未知的不适用处理方式 \"%s\";应为 rescale、full 或 zero"},
    {"unknown steps \"%s\"; expected continuous, floor or ceil",
     "未知的 steps \"%s\";应为 continuous、floor 或 ceil"},
    {"\"points\" must not be negative", "\"points\" 不能为负数"},
    {"the \"else\" band must come last", "\"else\" 区间必须放在最后"},
    {"more than %d metrics", "数据项超过 %d 个"},
    {"more than %d indicators", "指标超过 %d 个"},
    {"indicators nest deeper than %d levels", "指标嵌套超过 %d 层"},
    {"indicator id \"%s\" is already used at %s", "指标编号 \"%s\" 已在 %s 使用"},
    {"an indicator id must not be empty", "指标编号不能为空"},
    {"indicator \"%s\" has max %s but its children add up to %s",
     "指标 \"%s\" 的分值为 %s,但其下级指标分值合计为 %s"},
    {"the leaf indicators' maxima add up to %s, but \"total\" is %s",
     "末级指标分值合计为 %s,但 \"total\" 为 %s"},
    {"grades must be listed best first with strictly falling \"min\"",
     "等级须从高到低排列,\"min\" 严格递减"},
    {"derived metrics depend on each other in a cycle: %s", "派生数据项循环依赖:%s"},
    {"level \"%s\" appears twice", "等级 \"%s\" 重复出现"},
    {"metric \"%s\" must be of type %s", "数据项 \"%s\" 的类型应为 %s"},
    {"checklist points add up to %s but the indicator's max is %s",
     "检查项分值合计为 %s,但指标分值为 %s"},
    {"expected an indicator id (a string), found %s", "应为指标编号(字符串),实际为 %s"},
    {"expected a metric name (a string), found %s", "应为数据项名称(字符串),实际为 %s"},
    {"an indicator must be an object {\"id\", \"name\", ...}, found %s",
     "指标应为对象 {\"id\", \"name\", ...},实际为 %s"},
    {"out of memory", "内存不足"},
};

const char *jxi_msg_zh(const char *fmt)
{
    for (size_t k = 0; k < sizeof table / sizeof table[0]; k++)
        if (strcmp(table[k][0], fmt) == 0)
            return table[k][1];
    return fmt;
}

size_t jxi_msg_zh_count(void) { return sizeof table / sizeof table[0]; }

const char *jxi_msg_zh_english(size_t k)
{
    return k < jxi_msg_zh_count() ? table[k][0] : NULL;
}
