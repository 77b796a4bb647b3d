/* The computed report of a year: every count, list and comparison the
 * outputs show, computed once here so that Markdown, HTML, the workbook
 * and `diff` can never disagree. Activities marked intern are counted
 * apart and never enter a published list. */
#include "model/model.h"

#include <string.h>

/* Goals that targets touch, each once, in the order first named. */
static size_t goals_of(const lr_target *targets, size_t count, const lr_goal **out, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < count; i++) {
    const lr_goal *g = targets[i].goal;
    bool seen = false;
    for (size_t k = 0; k < n; k++) seen = seen || out[k] == g;
    if (!seen && n < cap) out[n++] = g;
  }
  return n;
}

static const char *analysis_for(const lr_year *y, const lr_goal *g) {
  if (!y->texts) return NULL;
  for (size_t i = 0; i < y->texts->analysis_count; i++)
    if (y->texts->analyses[i].goal == g) return y->texts->analyses[i].text;
  return NULL;
}

static const lr_goal_texts *goal_texts_for(const lr_year *y, const lr_goal *g) {
  if (!y->texts) return NULL;
  for (size_t i = 0; i < y->texts->goal_count; i++)
    if (y->texts->goals[i].goal == g) return &y->texts->goals[i];
  return NULL;
}

/* Without a choice in rapport.yaml: up to LR_DEFAULT_EXAMPLES of the
 * activities whose main goal this is, spread first over owners and
 * sub-goals not yet shown, earlier ones (registry order) winning ties;
 * shown in the order they are listed. */
static void choose_examples(lr_goal_summary *gs, lr_arena *arena, size_t actor_count,
                            size_t subgoal_count) {
  size_t n = gs->activity_count;
  bool *taken = lr_arena_array(arena, n + 1, sizeof *taken);
  bool *owner_shown = lr_arena_array(arena, actor_count + 1, sizeof *owner_shown);
  bool *subgoal_shown = lr_arena_array(arena, subgoal_count + 1, sizeof *subgoal_shown);
  size_t picked = 0;
  while (picked < LR_DEFAULT_EXAMPLES) {
    size_t best = n;
    int best_score = -1;
    for (size_t i = 0; i < n; i++) {
      if (!gs->is_main[i] || taken[i]) continue;
      const lr_activity *a = gs->activities[i].activity;
      bool new_owner = false, new_subgoal = false;
      for (size_t o = 0; o < a->owner_count; o++) new_owner = new_owner || !owner_shown[a->owners[o]->index];
      for (size_t t = 0; t < a->target_count; t++) {
        const lr_subgoal *sg = a->targets[t].subgoal;
        new_subgoal = new_subgoal || (a->targets[t].goal == gs->goal && sg && !subgoal_shown[sg->index]);
      }
      int score = 2 * new_owner + new_subgoal;
      if (score > best_score) best_score = score, best = i;
    }
    if (best == n) break;
    taken[best] = true;
    picked++;
    const lr_activity *a = gs->activities[best].activity;
    for (size_t o = 0; o < a->owner_count; o++) owner_shown[a->owners[o]->index] = true;
    for (size_t t = 0; t < a->target_count; t++)
      if (a->targets[t].subgoal) subgoal_shown[a->targets[t].subgoal->index] = true;
  }
  gs->examples = lr_arena_array(arena, picked + 1, sizeof *gs->examples);
  gs->example_lead_ins = lr_arena_array(arena, picked + 1, sizeof *gs->example_lead_ins);
  for (size_t i = 0; i < n; i++)
    if (taken[i]) gs->examples[gs->example_count++] = gs->activities[i];
}

static void set_examples(lr_goal_summary *gs, const lr_goal_texts *gt, lr_arena *arena, size_t actor_count,
                         size_t subgoal_count) {
  if (!gt || !gt->chosen) {
    choose_examples(gs, arena, actor_count, subgoal_count);
    return;
  }
  gs->chosen = true;
  gs->examples = lr_arena_array(arena, gt->example_count + 1, sizeof *gs->examples);
  gs->example_lead_ins = lr_arena_array(arena, gt->example_count + 1, sizeof *gs->example_lead_ins);
  for (size_t e = 0; e < gt->example_count; e++)
    for (size_t i = 0; i < gs->activity_count; i++) {
      if (gs->activities[i].activity != gt->examples[e]) continue;
      gs->example_lead_ins[gs->example_count] = gt->example_lead_ins[e];
      gs->examples[gs->example_count++] = gs->activities[i];
    }
}

bool lr_activity_owned_by(const lr_activity *a, const lr_actor *actor) {
  for (size_t i = 0; i < a->owner_count; i++)
    if (a->owners[i] == actor) return true;
  return false;
}

/* Two passes over the year's activities, each once (a joint activity's
 * later copies are skipped): the first counts, so the second can fill
 * exactly sized arrays in the arena. A joint activity is one in every
 * total and one for each of its owners. */
static void tally(lr_report *r, lr_arena *arena, bool fill) {
  const lr_strategy *st = r->strategy;
  const lr_year *y = r->year;
  size_t goal_cap = st->goal_count ? st->goal_count : 1;
  size_t actors = r->actor_count ? r->actor_count : 1;
  const lr_goal **touched = lr_arena_array(arena, goal_cap, sizeof *touched);
  /* Which owners a goal or sub-goal has counted already. */
  bool *goal_owner = lr_arena_array(arena, goal_cap * actors, sizeof *goal_owner);
  bool *sub_owner = lr_arena_array(arena, (st->subgoal_count + 1) * actors, sizeof *sub_owner);
  size_t *goal_fill = lr_arena_array(arena, goal_cap, sizeof *goal_fill);
  size_t *sub_fill = lr_arena_array(arena, st->subgoal_count + 1, sizeof *sub_fill);
  lr_subgoal_summary **subs = lr_arena_array(arena, st->subgoal_count + 1, sizeof *subs);
  for (size_t g = 0; g < st->goal_count; g++)
    for (size_t k = 0; k < st->goals[g].subgoal_count; k++)
      subs[st->goals[g].subgoals[k].index] = &r->goals[g].subgoals[k];

  for (size_t i = 0; i < y->statement_count; i++) {
    const lr_statement *s = &y->statements[i];
    for (size_t j = 0; j < s->activity_count; j++) {
      const lr_activity *a = &s->activities[j];
      if (a->copy) continue;
      lr_activity_ref ref = {s, a};
      for (size_t o = 0; o < a->owner_count; o++) {
        lr_actor_summary *as = &r->actors[a->owners[o]->index];
        if (fill) as->owned[as->owned_count++] = ref;
        else as->owned_count++;
      }
      if (a->internal) {
        if (!fill) r->internal_activity_count++;
        continue;
      }
      size_t n = goals_of(a->targets, a->target_count, touched, goal_cap);
      for (size_t k = 0; k < n; k++) {
        size_t g = touched[k]->index;
        lr_goal_summary *gs = &r->goals[g];
        if (fill) {
          gs->is_main[goal_fill[g]] = a->targets[0].goal == touched[k];
          gs->activities[goal_fill[g]++] = ref;
          continue;
        }
        gs->activity_count++;
        gs->status_counts[a->status]++;
        for (size_t o = 0; o < a->owner_count; o++) {
          size_t ai = a->owners[o]->index;
          r->actors[ai].per_goal[g]++;
          if (!goal_owner[g * actors + ai]) {
            goal_owner[g * actors + ai] = true;
            gs->actor_count++;
          }
        }
      }
      for (size_t t = 0; t < a->target_count; t++) {
        const lr_subgoal *sg = a->targets[t].subgoal;
        if (!sg) continue;
        lr_subgoal_summary *ss = subs[sg->index];
        if (fill) {
          ss->activities[sub_fill[sg->index]++] = ref;
          continue;
        }
        ss->activity_count++;
        ss->status_counts[a->status]++;
        for (size_t o = 0; o < a->owner_count; o++) {
          size_t ai = a->owners[o]->index;
          r->actors[ai].per_subgoal[sg->index]++;
          if (!sub_owner[sg->index * actors + ai]) {
            sub_owner[sg->index * actors + ai] = true;
            ss->actor_count++;
          }
        }
      }
      if (!fill) {
        r->activity_count++;
        r->status_counts[a->status]++;
        for (size_t o = 0; o < a->owner_count; o++) r->actors[a->owners[o]->index].activity_count++;
      }
    }
  }
}

const lr_report *lr_report_compute(lr_project *p, const lr_year *year) {
  lr_arena *arena = p->arena;
  lr_report *r = lr_arena_alloc(arena, sizeof *r);
  const lr_strategy *st = lr_strategy_in_year(p, year->year);
  r->project = p;
  r->strategy = st;
  r->year = year;
  r->response_count = year->statement_count;
  r->actor_count = p->actor_count;

  r->goals = lr_arena_array(arena, st->goal_count + 1, sizeof *r->goals);
  for (size_t g = 0; g < st->goal_count; g++) {
    lr_goal_summary *gs = &r->goals[g];
    gs->goal = &st->goals[g];
    gs->analysis = analysis_for(year, gs->goal);
    const lr_goal_texts *gt = goal_texts_for(year, gs->goal);
    gs->lead_in = gt ? gt->lead_in : NULL;
    gs->closing = gt ? gt->closing : NULL;
    gs->subgoals = lr_arena_array(arena, gs->goal->subgoal_count + 1, sizeof *gs->subgoals);
    for (size_t k = 0; k < gs->goal->subgoal_count; k++)
      gs->subgoals[k].subgoal = &gs->goal->subgoals[k];
  }
  r->actors = lr_arena_array(arena, p->actor_count + 1, sizeof *r->actors);
  for (size_t i = 0; i < p->actor_count; i++) {
    r->actors[i].actor = &p->actors[i];
    r->actors[i].per_goal = lr_arena_array(arena, st->goal_count + 1, sizeof(size_t));
    r->actors[i].per_subgoal = lr_arena_array(arena, st->subgoal_count + 1, sizeof(size_t));
  }
  for (size_t i = 0; i < year->statement_count; i++) {
    const lr_statement *s = &year->statements[i];
    r->actors[s->actor->index].statement = s;
    r->plan_counts[s->plan_status]++;
  }

  tally(r, arena, false);
  for (size_t g = 0; g < st->goal_count; g++) {
    lr_goal_summary *gs = &r->goals[g];
    gs->activities = lr_arena_array(arena, gs->activity_count + 1, sizeof *gs->activities);
    gs->is_main = lr_arena_array(arena, gs->activity_count + 1, sizeof *gs->is_main);
    for (size_t k = 0; k < gs->goal->subgoal_count; k++) {
      lr_subgoal_summary *ss = &gs->subgoals[k];
      ss->activities = lr_arena_array(arena, ss->activity_count + 1, sizeof *ss->activities);
      if (ss->activity_count) gs->subgoals_covered++;
    }
    r->subgoals_covered += gs->subgoals_covered;
  }
  for (size_t i = 0; i < p->actor_count; i++) {
    lr_actor_summary *as = &r->actors[i];
    as->owned = lr_arena_array(arena, as->owned_count + 1, sizeof *as->owned);
    as->owned_count = 0;
  }
  tally(r, arena, true);
  for (size_t g = 0; g < st->goal_count; g++)
    set_examples(&r->goals[g], goal_texts_for(year, &st->goals[g]), arena, p->actor_count, st->subgoal_count);
  for (size_t i = 0; i < p->actor_count; i++) r->active_actor_count += r->actors[i].activity_count > 0;

  const lr_year *previous = lr_project_year(p, year->year - 1);
  if (previous) {
    r->previous = previous;
    r->comparison = lr_comparison_compute(p, previous, year, false);
  }
  r->trends = lr_trends_compute(p, year);
  return r;
}

/* An activity's targets in version `to`: its own when its year has that
 * version, else where they went across the revisions between, each once. */
static const lr_target *targets_in(lr_project *p, const lr_strategy *from, const lr_strategy *to,
                                   const lr_activity *a, size_t *count) {
  if (from == to) {
    *count = a->target_count;
    return a->targets;
  }
  size_t cap = to->goal_count + to->subgoal_count + 1, n = 0;
  lr_target *out = lr_arena_array(p->arena, cap, sizeof *out);
  for (size_t i = 0; i < a->target_count; i++) {
    const lr_target *went;
    bool exact;
    size_t m = lr_target_follow(p, from, a->targets[i], to, &went, &exact);
    for (size_t k = 0; k < m; k++) {
      bool seen = false;
      for (size_t j = 0; j < n; j++) seen = seen || (out[j].goal == went[k].goal && out[j].subgoal == went[k].subgoal);
      if (!seen && n < cap) out[n++] = went[k];
    }
  }
  *count = n;
  return out;
}

/* Activity counts of one year per goal, sub-goal and actor, in version
 * `st` (the later year's, when two years are compared). */
typedef struct year_counts {
  size_t statements, activities;
  size_t *per_goal, *per_subgoal, *per_actor;
  const lr_statement **by_actor;
} year_counts;

static year_counts count_year(lr_project *p, const lr_year *y, const lr_strategy *st, bool include_internal) {
  const lr_strategy *own = lr_strategy_in_year(p, y->year);
  year_counts c = {0};
  c.statements = y->statement_count;
  c.per_goal = lr_arena_array(p->arena, st->goal_count + 1, sizeof(size_t));
  c.per_subgoal = lr_arena_array(p->arena, st->subgoal_count + 1, sizeof(size_t));
  c.per_actor = lr_arena_array(p->arena, p->actor_count + 1, sizeof(size_t));
  c.by_actor = lr_arena_array(p->arena, p->actor_count + 1, sizeof *c.by_actor);
  const lr_goal **touched = lr_arena_array(p->arena, st->goal_count + 1, sizeof *touched);
  for (size_t i = 0; i < y->statement_count; i++) {
    const lr_statement *s = &y->statements[i];
    c.by_actor[s->actor->index] = s;
    for (size_t j = 0; j < s->activity_count; j++) {
      const lr_activity *a = &s->activities[j];
      if (a->copy || (a->internal && !include_internal)) continue;
      c.activities++;
      for (size_t o = 0; o < a->owner_count; o++) c.per_actor[a->owners[o]->index]++;
      size_t nt;
      const lr_target *targets = targets_in(p, own, st, a, &nt);
      size_t n = goals_of(targets, nt, touched, st->goal_count + 1);
      for (size_t k = 0; k < n; k++) c.per_goal[touched[k]->index]++;
      for (size_t t = 0; t < nt; t++)
        if (targets[t].subgoal) c.per_subgoal[targets[t].subgoal->index]++;
    }
  }
  return c;
}

static lr_outcome outcome_of(lr_status status) {
  switch (status) {
  case LR_STATUS_GENOMFORD: return LR_OUTCOME_GENOMFORD;
  case LR_STATUS_PAGAENDE: return LR_OUTCOME_PAGAENDE;
  case LR_STATUS_AVBRUTEN: return LR_OUTCOME_AVBRUTEN;
  default: return LR_OUTCOME_PLANERAD;
  }
}

/* Plan versus outcome. Intern activities of last year are never named,
 * so they are not followed either. */
static void follow_up(lr_project *p, const lr_year *before, const lr_year *after,
                      lr_comparison *c) {
  lr_arena *arena = p->arena;
  const lr_strategy *st = c->strategy, *own = lr_strategy_in_year(p, before->year);
  lr_index now = lr_year_activity_index(p, after), then = lr_year_activity_index(p, before);
  size_t cap = 1, new_cap = 1;
  for (size_t i = 0; i < before->statement_count; i++) cap += before->statements[i].activity_count;
  for (size_t i = 0; i < after->statement_count; i++) new_cap += after->statements[i].activity_count;
  c->followups = lr_arena_array(arena, cap, sizeof *c->followups);
  c->new_activities = lr_arena_array(arena, new_cap, sizeof *c->new_activities);
  c->actor_outcomes = lr_arena_array(arena, p->actor_count + 1, sizeof *c->actor_outcomes);
  c->goal_outcomes = lr_arena_array(arena, st->goal_count + 1, sizeof *c->goal_outcomes);
  const lr_goal **touched = lr_arena_array(arena, st->goal_count + 1, sizeof *touched);
  for (size_t i = 0; i < before->statement_count; i++) {
    const lr_statement *s = &before->statements[i];
    for (size_t j = 0; j < s->activity_count; j++) {
      const lr_activity *a = &s->activities[j];
      if (a->copy || a->internal) continue;
      if (a->status != LR_STATUS_PLANERAD && a->status != LR_STATUS_PAGAENDE) continue;
      lr_followup *f = &c->followups[c->followup_count++];
      f->before = (lr_activity_ref){s, a};
      const lr_activity_ref *found = lr_activity_find(p, &now, a);
      if (found) f->after = *found;
      f->outcome = !a->id ? LR_OUTCOME_UNTRACKED
                   : found ? outcome_of(found->activity->status)
                           : LR_OUTCOME_UNREPORTED;
      c->outcome_counts[f->outcome]++;
      for (size_t o = 0; o < a->owner_count; o++) c->actor_outcomes[a->owners[o]->index][f->outcome]++;
      size_t nt;
      const lr_target *targets = targets_in(p, own, st, a, &nt);
      size_t n = goals_of(targets, nt, touched, st->goal_count + 1);
      for (size_t k = 0; k < n; k++) c->goal_outcomes[touched[k]->index][f->outcome]++;
    }
  }
  for (size_t i = 0; i < after->statement_count; i++) {
    const lr_statement *s = &after->statements[i];
    for (size_t j = 0; j < s->activity_count; j++) {
      const lr_activity *a = &s->activities[j];
      if (a->copy || a->internal) continue;
      if (!lr_activity_find(p, &then, a)) c->new_activities[c->new_count++] = (lr_activity_ref){s, a};
    }
  }
}

const lr_comparison *lr_comparison_compute(lr_project *p, const lr_year *before,
                                           const lr_year *after, bool include_internal) {
  lr_arena *arena = p->arena;
  /* Last year's goals and sub-goals are counted where they went in this
   * year's version, so that the rows line up across a revision. */
  const lr_strategy *st = lr_strategy_in_year(p, after->year);
  year_counts b = count_year(p, before, st, include_internal);
  year_counts a = count_year(p, after, st, include_internal);
  lr_comparison *c = lr_arena_alloc(arena, sizeof *c);
  c->year_before = before->year;
  c->year_after = after->year;
  c->include_internal = include_internal;
  c->strategy = st;
  c->actors = p->actors;
  c->actor_count = p->actor_count;
  c->revision_note_count = lr_revision_notes(p, before->year, after->year, &c->revision_notes, arena);
  c->statements = (lr_count_change){b.statements, a.statements};
  c->indicators = lr_indicators_summarise(arena, p, after, before);
  c->indicator_count = st->indicator_count;
  c->activities = (lr_count_change){b.activities, a.activities};

  size_t na = p->actor_count;
  c->answered_only_before = lr_arena_array(arena, na + 1, sizeof(lr_actor *));
  c->answered_only_after = lr_arena_array(arena, na + 1, sizeof(lr_actor *));
  c->per_actor = lr_arena_array(arena, na + 1, sizeof *c->per_actor);
  c->plan_changes = lr_arena_array(arena, na + 1, sizeof *c->plan_changes);
  for (size_t i = 0; i < na; i++) {
    const lr_statement *sb = b.by_actor[i], *sa = a.by_actor[i];
    c->per_actor[i] = (lr_count_change){b.per_actor[i], a.per_actor[i]};
    if (sb && !sa) c->answered_only_before[c->only_before_count++] = &p->actors[i];
    if (sa && !sb) c->answered_only_after[c->only_after_count++] = &p->actors[i];
    if (sa && sb && sa->plan_status != sb->plan_status)
      c->plan_changes[c->plan_change_count++] =
          (lr_plan_change){&p->actors[i], sb->plan_status, sa->plan_status};
  }

  follow_up(p, before, after, c);
  c->per_goal = lr_arena_array(arena, st->goal_count + 1, sizeof *c->per_goal);
  c->per_subgoal = lr_arena_array(arena, st->subgoal_count + 1, sizeof *c->per_subgoal);
  c->gained = lr_arena_array(arena, st->subgoal_count + 1, sizeof *c->gained);
  c->lost = lr_arena_array(arena, st->subgoal_count + 1, sizeof *c->lost);
  c->goals_gained = lr_arena_array(arena, st->goal_count + 1, sizeof *c->goals_gained);
  c->goals_lost = lr_arena_array(arena, st->goal_count + 1, sizeof *c->goals_lost);
  for (size_t g = 0; g < st->goal_count; g++) {
    const lr_goal *goal = &st->goals[g];
    c->per_goal[g] = (lr_count_change){b.per_goal[g], a.per_goal[g]};
    /* Coverage is judged where activities are meant to land: on the
     * sub-goals, or on the goal itself when it has none. */
    if (goal->subgoal_count == 0) {
      if (!b.per_goal[g] && a.per_goal[g]) c->goals_gained[c->goals_gained_count++] = goal;
      if (b.per_goal[g] && !a.per_goal[g]) c->goals_lost[c->goals_lost_count++] = goal;
    }
    for (size_t k = 0; k < goal->subgoal_count; k++) {
      const lr_subgoal *sg = &goal->subgoals[k];
      size_t before_n = b.per_subgoal[sg->index], after_n = a.per_subgoal[sg->index];
      c->per_subgoal[sg->index] = (lr_count_change){before_n, after_n};
      if (!before_n && after_n) c->gained[c->gained_count++] = sg;
      if (before_n && !after_n) c->lost[c->lost_count++] = sg;
    }
  }
  return c;
}

bool lr_comparison_is_empty(const lr_comparison *c) {
  if (c->statements.before != c->statements.after || c->activities.before != c->activities.after)
    return false;
  if (c->only_before_count || c->only_after_count || c->plan_change_count) return false;
  /* A plan that stays a plan is no change; anything else that became of
   * it is, and so is an activity that was not there. */
  for (size_t i = 0; i < c->followup_count; i++) {
    const lr_followup *f = &c->followups[i];
    if (f->outcome == LR_OUTCOME_UNTRACKED) continue;
    if (!f->after.activity || f->after.activity->status != f->before.activity->status) return false;
  }
  for (size_t i = 0; i < c->new_count; i++)
    if (c->new_activities[i].activity->id) return false;
  if (lr_indicators_changed(c->indicators, c->indicator_count)) return false;
  /* Equal totals can hide activities that moved between goals, sub-goals
   * or actors, so every row is compared. */
  const lr_strategy *st = c->strategy;
  for (size_t g = 0; g < st->goal_count; g++)
    if (c->per_goal[g].before != c->per_goal[g].after) return false;
  for (size_t i = 0; i < st->subgoal_count; i++)
    if (c->per_subgoal[i].before != c->per_subgoal[i].after) return false;
  for (size_t i = 0; i < c->actor_count; i++)
    if (c->per_actor[i].before != c->per_actor[i].after) return false;
  return true;
}
