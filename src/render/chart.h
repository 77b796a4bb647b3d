/* Inline SVG charts of a report (chart.c), internal to the library. */
#ifndef LR_CHART_H
#define LR_CHART_H

#include "render/render.h"

/* Horizontal bars: published activities per goal. */
const char *lr_chart_goal_bars(lr_arena *arena, const lr_report *report);
/* Heat map: published activities per actor and goal, non-answering actors
 * shown as such. */
const char *lr_chart_coverage(lr_arena *arena, const lr_report *report);

#endif
