/* The built-in project rule profile: generated from
 * schemes/profiles/mof-2020-project.json (tests/test_project.c checks they
 * are the same). */
#include "project/project.h"

const char *jxi_project_profile_mof2020(void)
{
    static const char text[] =
    "{\n"
    "  \"jixiao_project_profile\": 1,\n"
    "  \"id\": \"mof-2020-project\",\n"
    "  \"version\": \"1\",\n"
    "  \"title\": \"项目支出绩效自评(财预〔2020〕10号)\",\n"
    "  \"budget\": {\"name\": \"预算执行率\", \"weight\": 10},\n"
    "  \"indicator_total\": 90,\n"
    "  \"first_level\": [\"产出指标\", \"效益指标\", \"满意度指标\", \"成本指标\"],\n"
    "  \"not_applicable\": \"不适用\",\n"
    "  \"precision\": 2,\n"
    "  \"levels\": [\n"
    "    {\"level\": \"达成\", \"tier\": \"[80, 100]\", \"default\": 100},\n"
    "    {\"level\": \"部分达成\", \"tier\": \"[50, 80)\", \"default\": 50},\n"
    "    {\"level\": \"未达成\", \"tier\": \"[0, 50)\", \"default\": 0}\n"
    "  ],\n"
    "  \"grades\": [\n"
    "    {\"label\": \"优\", \"min\": 90},\n"
    "    {\"label\": \"良\", \"min\": 80},\n"
    "    {\"label\": \"中\", \"min\": 60},\n"
    "    {\"label\": \"差\", \"min\": 0}\n"
    "  ]\n"
    "}\n";
    return text;
}
