/* report.c — report-like texts (年度工作总结) made up from a seed, for the ingest benchmark. */
#include <stdio.h>
#include <string.h>
#include "load.h"

static const char *const sections[] = {
    "坚持党的领导，统筹推进法治政府建设", "深化行政复议体制改革，依法化解行政争议",
    "加强行政执法监督，规范执法行为", "完善公共法律服务体系，提升服务效能",
    "深化人民调解工作，维护社会和谐稳定", "做好社区矫正工作，筑牢安全防线",
    "深入开展普法宣传教育，营造浓厚法治氛围", "加强队伍建设，锻造过硬司法行政铁军"};

static const char *const filler[] = {
    "坚持以习近平新时代中国特色社会主义思想为指导，深入贯彻习近平法治思想，",
    "紧紧围绕全县工作大局，聚焦主责主业，创新工作举措，",
    "建立健全工作机制，压紧压实工作责任，确保各项任务落地见效。",
    "组织召开专题会议，研究部署重点工作，",
    "积极回应群众关切，切实维护人民群众合法权益，",
    "推动各项工作取得新进展、新成效，",
    "扎实开展“八五”普法中期评估，",
    "持续优化法治化营商环境，",
    "主动融入基层社会治理体系，"};

static const char *const changes[] = {"同比增长", "同比下降", "较上年增加", "较上年减少"};
static const char *const leads[] = {"全年共", "全年", "累计", "今年以来共", "共"};

static const char *const cn_nums[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};

void report_text(buf_t *b, size_t bytes, uint64_t *rng, const char *region_name, int year,
                 char **ind_names, size_t n_ind, uint32_t serial) {
    char line[1024];
    int n = snprintf(line, sizeof line, "%s司法局%d年工作总结\n\n%d年，%s司法局（编号%u）",
                     region_name, year, year, region_name, serial);
    buf_append(b, line, (size_t)n);
    for (size_t f = 0; f < 3; f++) {
        const char *fl = filler[rng_next(rng) % 9];
        buf_append(b, fl, strlen(fl));
    }
    buf_append(b, "现将有关情况总结如下。\n\n", strlen("现将有关情况总结如下。\n\n"));
    size_t sec = 0;
    while (b->len < bytes) {
        n = snprintf(line, sizeof line, "%s、%s\n", cn_nums[sec % 10], sections[sec % 8]);
        buf_append(b, line, (size_t)n);
        for (int item = 0; item < 3 && b->len < bytes; item++) {
            n = snprintf(line, sizeof line, "（%s）", cn_nums[item]);
            buf_append(b, line, (size_t)n);
            for (int s = 0; s < 4; s++) {
                const char *fl = filler[rng_next(rng) % 9];
                buf_append(b, fl, strlen(fl));
                const char *name = ind_names[rng_next(rng) % n_ind];
                unsigned v = (unsigned)(rng_next(rng) % 5000) + 3;
                unsigned pct = (unsigned)(rng_next(rng) % 300);
                n = snprintf(line, sizeof line, "%s%s%u件，%s%u.%u%%。", leads[rng_next(rng) % 5], name, v,
                             changes[rng_next(rng) % 4], pct / 10, pct % 10);
                buf_append(b, line, (size_t)n);
            }
            buf_append(b, "\n", 1);
        }
        buf_append(b, "\n", 1);
        sec++;
    }
    n = snprintf(line, sizeof line, "二、%d年工作思路\n%d年，我局将力争%s达到%u件以上，确保各项工作再上新台阶。\n",
                 year + 1, year + 1, ind_names[rng_next(rng) % n_ind], (unsigned)(rng_next(rng) % 5000) + 10);
    buf_append(b, line, (size_t)n);
}
