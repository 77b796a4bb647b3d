/* Views of a computed report for the templates (lib/view.c). */
#ifndef LR_VIEW_H
#define LR_VIEW_H

#include "lagesrapport.h"

typedef enum lr_view_format { LR_VIEW_MARKDOWN, LR_VIEW_HTML } lr_view_format;

const lr_value *lr_view_report(lr_arena *arena, const lr_report *report, lr_view_format format);
/* One actor's feedback: its own activities (intern ones included and
 * marked) against the region's picture. */
const lr_value *lr_view_feedback(lr_arena *arena, const lr_report *report,
                                 const lr_actor_summary *actor, lr_view_format format);

#endif
