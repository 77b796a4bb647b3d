/* The words for statuses and actor types: the token a YAML file spells
 * (and `diff` and the templates show) next to the label a person reads in
 * a heading or a workbook cell, in one table each so that no renderer
 * spells them its own way. */
#include "model/model.h"

/* Tokens NULL-terminated, as lr_ctx_enum reads them. */
const char *const lr_status_tokens[LR_STATUS_COUNT + 1] = {
    [LR_STATUS_PLANERAD] = "planerad",
    [LR_STATUS_PAGAENDE] = "pågående",
    [LR_STATUS_GENOMFORD] = "genomförd",
    [LR_STATUS_AVBRUTEN] = "avbruten",
};
static const char *const status_labels[LR_STATUS_COUNT] = {
    [LR_STATUS_PLANERAD] = "Planerad",
    [LR_STATUS_PAGAENDE] = "Pågående",
    [LR_STATUS_GENOMFORD] = "Genomförd",
    [LR_STATUS_AVBRUTEN] = "Avbruten",
};

/* Without LR_PLAN_UNKNOWN, which no file can spell. */
const char *const lr_plan_status_tokens[LR_PLAN_STATUS_COUNT] = {
    [LR_PLAN_ANTAGEN - 1] = "antagen",
    [LR_PLAN_UNDER_ARBETE - 1] = "under-arbete",
    [LR_PLAN_SAKNAS - 1] = "saknas",
};
static const char *const plan_status_labels[LR_PLAN_STATUS_COUNT] = {
    [LR_PLAN_UNKNOWN] = "Ej angivet",
    [LR_PLAN_ANTAGEN] = "Antagen",
    [LR_PLAN_UNDER_ARBETE] = "Under arbete",
    [LR_PLAN_SAKNAS] = "Saknas",
};

const char *const lr_actor_type_tokens[LR_ACTOR_TYPE_COUNT + 1] = {
    [LR_ACTOR_KOMMUN] = "kommun",
    [LR_ACTOR_REGION] = "region",
    [LR_ACTOR_LANSSTYRELSE] = "länsstyrelse",
    [LR_ACTOR_MYNDIGHET] = "myndighet",
    [LR_ACTOR_CIVILSAMHALLE] = "civilsamhälle",
    [LR_ACTOR_OVRIG] = "övrig",
};
static const char *const actor_type_labels[LR_ACTOR_TYPE_COUNT] = {
    [LR_ACTOR_KOMMUN] = "Kommun",
    [LR_ACTOR_REGION] = "Region",
    [LR_ACTOR_LANSSTYRELSE] = "Länsstyrelse",
    [LR_ACTOR_MYNDIGHET] = "Myndighet",
    [LR_ACTOR_CIVILSAMHALLE] = "Civilsamhälle",
    [LR_ACTOR_OVRIG] = "Övrig",
};

const char *lr_status_name(lr_status s) {
  return s < LR_STATUS_COUNT ? lr_status_tokens[s] : "";
}

const char *lr_status_label(lr_status s) {
  return s < LR_STATUS_COUNT ? status_labels[s] : "";
}

/* `diff` prints a missing plan status among tokens, so it gets words too. */
const char *lr_plan_status_name(lr_plan_status s) {
  return s > LR_PLAN_UNKNOWN && s < LR_PLAN_STATUS_COUNT ? lr_plan_status_tokens[s - 1]
                                                         : "uppgift saknas";
}

const char *lr_plan_status_label(lr_plan_status s) {
  return s < LR_PLAN_STATUS_COUNT ? plan_status_labels[s] : plan_status_labels[LR_PLAN_UNKNOWN];
}

const char *lr_actor_type_name(lr_actor_type t) {
  return t < LR_ACTOR_TYPE_COUNT ? lr_actor_type_tokens[t] : "övrig";
}

const char *lr_actor_type_label(lr_actor_type t) {
  return t < LR_ACTOR_TYPE_COUNT ? actor_type_labels[t] : "Övrig";
}

/* Plan versus outcome: "planerad" after a year is "fortfarande planerad". */
static const char *const outcome_names[LR_OUTCOME_COUNT] = {
    [LR_OUTCOME_GENOMFORD] = "genomförd",
    [LR_OUTCOME_PAGAENDE] = "pågående",
    [LR_OUTCOME_PLANERAD] = "fortfarande planerad",
    [LR_OUTCOME_AVBRUTEN] = "avbruten",
    [LR_OUTCOME_UNREPORTED] = "inte rapporterad",
    [LR_OUTCOME_UNTRACKED] = "utan id",
};
static const char *const outcome_labels[LR_OUTCOME_COUNT] = {
    [LR_OUTCOME_GENOMFORD] = "Genomförd",
    [LR_OUTCOME_PAGAENDE] = "Pågående",
    [LR_OUTCOME_PLANERAD] = "Fortfarande planerad",
    [LR_OUTCOME_AVBRUTEN] = "Avbruten",
    [LR_OUTCOME_UNREPORTED] = "Inte rapporterad",
    [LR_OUTCOME_UNTRACKED] = "Utan id",
};

const char *lr_outcome_name(lr_outcome o) { return o < LR_OUTCOME_COUNT ? outcome_names[o] : ""; }
const char *lr_outcome_label(lr_outcome o) { return o < LR_OUTCOME_COUNT ? outcome_labels[o] : ""; }
