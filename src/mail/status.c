/* Who has answered: the year's statements beside the journals of its form
 * and reminder mail, so that the officer sees in one place who to remind
 * and how often they already have been. */
#include "mail/mail.h"

#include <string.h>

static lr_journal *folder_journal(lr_project *p, int year, lr_mail_kind kind, unsigned round,
                                  lr_diag_list *diags) {
  const char *dir = lr_mail_folder(p, year, kind, round, false);
  return lr_journal_load(lr_path_join(p->arena, dir, "journal.tsv"), diags);
}

static bool delivered(lr_project *p, const lr_journal *j, int year, lr_mail_kind kind,
                      unsigned round, const lr_actor *a, const char *domain) {
  const char *id = lr_mail_message_id(p->arena, year, kind, round, a->id, domain);
  return lr_journal_state(j, id) == LR_MAIL_DELIVERED;
}

bool lr_actors_status(lr_project *p, int year, lr_actor_status **rows, size_t *count) {
  lr_arena *arena = p->arena;
  const lr_year *y = lr_project_year(p, year);
  const char *sender = p->config.sender_address;
  const char *domain = sender ? strrchr(sender, '@') + 1 : NULL;
  lr_actor_status *out = lr_arena_array(arena, p->actor_count + 1, sizeof *out);
  for (size_t i = 0; i < p->actor_count; i++) {
    out[i] = (lr_actor_status){.actor = &p->actors[i], .response = LR_RESPONSE_NONE};
    for (size_t k = 0; y && k < y->statement_count; k++)
      if (y->statements[k].actor == &p->actors[i]) {
        out[i].response = LR_RESPONSE_ANSWERED;
        out[i].received = y->statements[k].received;
      }
  }
  *rows = out;
  *count = p->actor_count;
  /* Without a sender there are no Message-IDs, so no mail to know of. */
  if (!domain) return true;

  lr_journal *forms = folder_journal(p, year, LR_MAIL_FORMS, 0, &p->diags);
  if (!forms) return false;
  for (size_t i = 0; i < p->actor_count; i++)
    if (out[i].response == LR_RESPONSE_NONE &&
        delivered(p, forms, year, LR_MAIL_FORMS, 0, &p->actors[i], domain))
      out[i].response = LR_RESPONSE_AWAITING;
  lr_journal_free(forms);

  for (unsigned round = 1; lr_path_is_dir(lr_mail_folder(p, year, LR_MAIL_REMINDER, round, false));
       round++) {
    lr_journal *j = folder_journal(p, year, LR_MAIL_REMINDER, round, &p->diags);
    if (!j) return false;
    for (size_t i = 0; i < p->actor_count; i++)
      out[i].reminders += delivered(p, j, year, LR_MAIL_REMINDER, round, &p->actors[i], domain);
    lr_journal_free(j);
  }
  return true;
}
