/* Benchmark: 10,000 projects x 12 indicators, one CSV in memory, read and
 * scored on one core (jx_projects_read_buffer + jx_projects_score). Prints
 * figures beside the target; not a test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jixiao.h"

#define PROJECTS 10000
#define ROWS 12

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(void)
{
    /* 12 rows of 7.5 points: 6 产出, 4 效益 (one qualitative), 2 满意度. */
    static const char *const rows[ROWS][5] = {
        {"产出指标", "数量指标", "培训人次", "≥500人次", "%d人次"},
        {"产出指标", "数量指标", "覆盖站点", "≥20个", "%d个"},
        {"产出指标", "质量指标", "合格率", "≥95%", "9%d%%"},
        {"产出指标", "质量指标", "验收通过率", "=100%", "10%d%%"},
        {"产出指标", "时效指标", "完成时限", "≤180天", "17%d天"},
        {"产出指标", "成本指标", "单位成本", "≤50元", "4%d元"},
        {"效益指标", "社会效益指标", "受益人次", "≥1万人次", "9%d00人次"},
        {"效益指标", "社会效益指标", "服务水平", "有效提升", "部分达成(6%d%%)"},
        {"效益指标", "经济效益指标", "节约资金", "≥10万元", "%d万元"},
        {"效益指标", "可持续影响指标", "机制建设", "逐步完善", "达成"},
        {"满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "8%d%%"},
        {"满意度指标", "服务对象满意度指标", "单位满意度", "≥85%", "8%d%%"},
    };
    size_t cap = (size_t)PROJECTS * ROWS * 200 + 1024, len = 0;
    char *csv = malloc(cap);
    if (!csv)
        return 2;
    len += (size_t)snprintf(csv + len, cap - len,
                            "项目编号,项目名称,主管部门,实施单位,年初预算数,全年预算数,"
                            "全年执行数,一级指标,二级指标,三级指标,分值,年度指标值,"
                            "实际完成值,偏差原因分析及改进措施\n");
    for (int p = 0; p < PROJECTS; p++)
        for (int r = 0; r < ROWS; r++) {
            char actual[64];
            snprintf(actual, sizeof actual, rows[r][4], (p + r) % 10);
            len += (size_t)snprintf(csv + len, cap - len,
                                    "P%05d,项目%d,部门%d,单位%d,100,100,%d,%s,%s,%s,7.5,%s,%s,\n",
                                    p, p, p % 37, p % 101, 70 + p % 31, rows[r][0], rows[r][1],
                                    rows[r][2], rows[r][3], actual);
        }
    jx_error err;
    double best_read = 1e9, best_score = 1e9, best_total = 1e9;
    double sum = 0;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now();
        jx_projects *ps = jx_projects_read_buffer(csv, len, "bench.csv", NULL, 0, &err);
        double t1 = now();
        if (!ps || jx_projects_score(ps, 0, &err) != PROJECTS) {
            fprintf(stderr, "bench/project: %s\n", err.message);
            return 2;
        }
        double t2 = now();
        sum = 0;
        for (size_t k = 0; k < jx_projects_count(ps); k++)
            sum += jx_result_total(jx_projects_result(ps, k));
        jx_projects_free(ps);
        if (t1 - t0 < best_read) best_read = t1 - t0;
        if (t2 - t1 < best_score) best_score = t2 - t1;
        if (t2 - t0 < best_total) best_total = t2 - t0;
    }
    printf("projects: %d x %d indicators, CSV %.1f MB, one core, best of 3\n", PROJECTS, ROWS,
           (double)len / 1e6);
    printf("  read + build schemes  %8.3f s\n", best_read);
    printf("  score (with reasons)  %8.3f s\n", best_score);
    printf("  total                 %8.3f s   target < 1 s: %s\n", best_total,
           best_total < 1.0 ? "met" : "NOT met");
    printf("  (mean total score %.2f)\n", sum / PROJECTS);
    free(csv);
    return 0;
}
