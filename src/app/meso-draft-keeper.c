/* meso-draft-keeper.c
 *
 * Nothing typed at the chair is lost without the practitioner saying so. While the form
 * holds unsaved work, a draft of it is written beside the database a moment after each
 * pause in the typing (never more than a few seconds behind), on a thread of its own:
 * the disk is flushed each time, which the window must not wait for. The draft goes
 * once the session is saved or its work discarded. A draft found at start (the last
 * run crashed, or the power went) is offered back as soon as the form is on screen.
 * Closing, quitting and starting another session ask first (ask_discard()).
 *
 * Nothing of the draft's content is ever logged: it is medical.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-draft-keeper"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "meso-draft-keeper.h"
#include "meso-field.h"

/* A pause in the typing this long writes the draft... */
#define DRAFT_DELAY_MS    1000
/* ...and steady typing does not hold it back longer than this. */
#define DRAFT_MAX_DELAY_MS 5000

struct _MesoDraftKeeper
{
  GObject            parent_instance;

  MesoSessionEditor *editor;
  char              *path;          /* NULL: no drafts kept (a test's window) */
  MesoDraft         *found;         /* left by the last run, until offered back */
  gboolean           watching;      /* drafts are written as the form changes */
  gboolean           discarded;     /* the form's work was discarded: it counts no more */
  gboolean           on_disk;       /* a draft may be on disk */
  guint              save_timeout;
  gint64             first_change;  /* monotonic µs of the oldest change not written; 0 */
  GThreadPool       *pool;          /* one thread: writes and removals in their order */
};

G_DEFINE_FINAL_TYPE (MesoDraftKeeper, meso_draft_keeper, G_TYPE_OBJECT)

/* A write of @draft to @path, or its removal when @draft is NULL. */
typedef struct
{
  char      *path;
  MesoDraft *draft;
} Job;

static void
job_free (Job *job)
{
  g_free (job->path);
  g_clear_object (&job->draft);
  g_free (job);
}

static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  g_autoptr(GError) error = NULL;

  if (job->draft != NULL ? !meso_draft_save (job->draft, job->path, &error)
                         : !meso_draft_remove (job->path, &error))
    g_warning ("The draft of the unsaved session could not be %s: %s",
               job->draft != NULL ? "written" : "removed", error->message);
  job_free (job);
}

static void
push_job (MesoDraftKeeper *self,
          MesoDraft       *draft)
{
  Job *job = g_new0 (Job, 1);

  job->path = g_strdup (self->path);
  job->draft = draft != NULL ? g_object_ref (draft) : NULL;
  g_thread_pool_push (self->pool, job, NULL);
}

/* Until every write asked for is on the disk: before a removal that must come last. */
static void
drain_jobs (MesoDraftKeeper *self)
{
  g_thread_pool_free (self->pool, FALSE, TRUE);
  self->pool = g_thread_pool_new (run_job, NULL, 1, FALSE, NULL);
}

static gboolean
on_save_timeout_cb (gpointer user_data)
{
  MesoDraftKeeper *self = user_data;
  g_autoptr(MesoDraft) draft = meso_session_editor_get_draft (self->editor);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  self->save_timeout = 0;
  self->first_change = 0;
  meso_draft_set_saved_at (draft, now);
  push_job (self, draft);
  self->on_disk = TRUE;
  return G_SOURCE_REMOVE;
}

static void
schedule_save (MesoDraftKeeper *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 latest;

  if (self->first_change == 0)
    self->first_change = now;
  latest = (self->first_change - now) / 1000 + DRAFT_MAX_DELAY_MS;
  g_clear_handle_id (&self->save_timeout, g_source_remove);
  self->save_timeout = g_timeout_add (CLAMP (latest, 0, DRAFT_DELAY_MS), on_save_timeout_cb,
                                      self);
}

static void
forget_draft (MesoDraftKeeper *self)
{
  g_clear_handle_id (&self->save_timeout, g_source_remove);
  self->first_change = 0;
  if (self->on_disk)
    push_job (self, NULL);
  self->on_disk = FALSE;
}

static void
on_editor_changed_cb (MesoDraftKeeper *self)
{
  /* Typed again after a Discard (or the form cleared): this is new work. */
  self->discarded = FALSE;
  if (!self->watching || self->path == NULL)
    return;
  if (meso_session_editor_get_unsaved (self->editor))
    schedule_save (self);
  else
    forget_draft (self);
}

/* Starts keeping drafts, of the form as it is now. */
static void
start_watching (MesoDraftKeeper *self)
{
  self->watching = TRUE;
  on_editor_changed_cb (self);
}

static char *
describe_time (GDateTime *saved_at)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (saved_at);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (local, "%Y-%m-%d");
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *time = g_date_time_format (local, "%H:%M");
  g_autofree char *date = NULL;

  if (g_str_equal (day, today))
    /* Translators: the question when Mesocare starts after a crash; %s is a time, 14:32 */
    return g_strdup_printf (_("Restore the session you were typing at %s?"), time);
  date = meso_field_format_date (day);
  /* Translators: the question when Mesocare starts after a crash: a date, then a time */
  return g_strdup_printf (_("Restore the session you were typing on %s at %s?"), date, time);
}

/* The patient's name as typed, or NULL when none was. */
static char *
draft_patient (MesoDraft *draft)
{
  const char *name = meso_draft_get_text (draft, MESO_FIELD_PATIENT);
  g_autofree char *stripped = g_strstrip (g_strdup (name != NULL ? name : ""));

  return *stripped != '\0' ? g_steal_pointer (&stripped) : NULL;
}

static void
on_offer_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      MesoDraftKeeper  *self)
{
  g_autoptr(MesoDraft) found = g_steal_pointer (&self->found);

  if (found == NULL)
    return;
  if (g_str_equal (response, "discard"))
    {
      meso_draft_remove (self->path, NULL);
      self->on_disk = FALSE;
    }
  else
    meso_session_editor_load_draft (self->editor, found);
  start_watching (self);
}

/* Offered over the window, once it is on screen: the practitioner decides before
 * typing anything else. Escape restores: nothing is lost by a key pressed in haste,
 * and New Session then asks before it goes. */
static void
offer_found_draft (MesoDraftKeeper *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self->editor));
  g_autofree char *heading = describe_time (meso_draft_get_saved_at (self->found));
  g_autofree char *patient = draft_patient (self->found);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (patient != NULL)
    body = g_strdup_printf (_("Mesocare closed before the session of %s was saved."), patient);
  else
    body = g_strdup (_("Mesocare closed before the session being typed was saved."));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "discard", _("_Discard"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "restore",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "restore");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "restore");
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_offer_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_editor_mapped_cb (MesoDraftKeeper *self)
{
  g_signal_handlers_disconnect_by_func (self->editor, on_editor_mapped_cb, self);
  if (self->found != NULL)
    offer_found_draft (self);
}

/* A draft the last run left: kept for the offer. One that cannot be read is left on
 * disk as it is (the next draft replaces it). */
static void
look_for_draft (MesoDraftKeeper *self)
{
  g_autoptr(GError) error = NULL;

  self->found = meso_draft_load (self->path, &error);
  if (self->found == NULL && !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_warning ("A draft of an unsaved session was found, but could not be read");
  self->on_disk = self->found != NULL;
}

static void
meso_draft_keeper_dispose (GObject *object)
{
  MesoDraftKeeper *self = MESO_DRAFT_KEEPER (object);

  g_clear_handle_id (&self->save_timeout, g_source_remove);
  if (self->editor != NULL)
    g_signal_handlers_disconnect_by_data (self->editor, self);
  g_clear_object (&self->editor);
  g_clear_object (&self->found);
  /* What was asked for is finished: a removal after a Discard must not be lost. */
  if (self->pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
  G_OBJECT_CLASS (meso_draft_keeper_parent_class)->dispose (object);
}

static void
meso_draft_keeper_finalize (GObject *object)
{
  MesoDraftKeeper *self = MESO_DRAFT_KEEPER (object);

  g_free (self->path);
  G_OBJECT_CLASS (meso_draft_keeper_parent_class)->finalize (object);
}

static void
meso_draft_keeper_class_init (MesoDraftKeeperClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = meso_draft_keeper_dispose;
  object_class->finalize = meso_draft_keeper_finalize;
}

static void
meso_draft_keeper_init (MesoDraftKeeper *self)
{
  self->pool = g_thread_pool_new (run_job, NULL, 1, FALSE, NULL);
}

/**
 * meso_draft_keeper_new:
 * @editor: the form whose work is kept
 * @path: (nullable): the draft's file (meso_draft_get_default_path()), or %NULL to
 *   keep no drafts
 *
 * Returns: (transfer full): a keeper of @editor's unsaved work. A draft already at
 *   @path is offered back when @editor is first shown; until then none is written.
 */
MesoDraftKeeper *
meso_draft_keeper_new (MesoSessionEditor *editor,
                       const char        *path)
{
  MesoDraftKeeper *self;

  g_return_val_if_fail (MESO_IS_SESSION_EDITOR (editor), NULL);

  self = g_object_new (MESO_TYPE_DRAFT_KEEPER, NULL);
  self->editor = g_object_ref (editor);
  self->path = g_strdup (path);
  g_signal_connect_object (editor, "changed", G_CALLBACK (on_editor_changed_cb), self,
                           G_CONNECT_SWAPPED);
  if (path != NULL)
    look_for_draft (self);
  if (self->found != NULL)
    g_signal_connect_object (editor, "map", G_CALLBACK (on_editor_mapped_cb), self,
                             G_CONNECT_SWAPPED);
  else
    start_watching (self);
  return self;
}

const char *
meso_draft_keeper_get_path (MesoDraftKeeper *self)
{
  g_return_val_if_fail (MESO_IS_DRAFT_KEEPER (self), NULL);
  return self->path;
}

/**
 * meso_draft_keeper_get_unsaved:
 * @self: a #MesoDraftKeeper
 *
 * Returns: whether the form holds work not saved and not discarded.
 */
gboolean
meso_draft_keeper_get_unsaved (MesoDraftKeeper *self)
{
  g_return_val_if_fail (MESO_IS_DRAFT_KEEPER (self), FALSE);
  return !self->discarded && meso_session_editor_get_unsaved (self->editor);
}

/**
 * meso_draft_keeper_discard:
 * @self: a #MesoDraftKeeper
 *
 * The practitioner discarded the form's work: its draft goes now, and the form, until
 * changed again, no longer counts as unsaved.
 */
void
meso_draft_keeper_discard (MesoDraftKeeper *self)
{
  g_return_if_fail (MESO_IS_DRAFT_KEEPER (self));

  self->discarded = TRUE;
  g_clear_handle_id (&self->save_timeout, g_source_remove);
  self->first_change = 0;
  if (self->path == NULL)
    return;
  /* A write still on its way would bring the draft back after its removal. */
  drain_jobs (self);
  meso_draft_remove (self->path, NULL);
  self->on_disk = FALSE;
}

typedef struct
{
  MesoDraftKeeper  *keeper;
  MesoDiscardedFunc then;
  gpointer          user_data;
  GDestroyNotify    destroy;
} Question;

static void
question_free (gpointer data,
               GClosure *closure)
{
  Question *question = data;

  if (question->destroy != NULL)
    question->destroy (question->user_data);
  g_clear_object (&question->keeper);
  g_free (question);
}

static gboolean
then_cb (gpointer data)
{
  Question *question = data;

  question->then (question->user_data);
  question_free (question, NULL);
  return G_SOURCE_REMOVE;
}

/* What follows the Discard (closing the window under the dialog) comes from the main
 * loop, once the dialog has finished closing itself. */
static void
on_discard_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        Question         *question)
{
  Question *then;

  if (!g_str_equal (response, "discard"))
    return;
  meso_draft_keeper_discard (question->keeper);
  then = g_memdup2 (question, sizeof *question);
  g_object_ref (then->keeper);
  question->destroy = NULL;  /* the idle's now */
  g_idle_add (then_cb, then);
}

/**
 * meso_draft_keeper_ask_discard:
 * @self: a #MesoDraftKeeper
 * @parent: (nullable): the window the question is about
 * @then: what loses the form's work: closing, quitting, a new session
 * @user_data: for @then
 * @destroy: (nullable): frees @user_data
 *
 * Calls @then at once when the form holds no unsaved work; otherwise asks first,
 * Cancel being the default, and calls @then only after Discard (from the main loop).
 */
void
meso_draft_keeper_ask_discard (MesoDraftKeeper   *self,
                               GtkWindow         *parent,
                               MesoDiscardedFunc  then,
                               gpointer           user_data,
                               GDestroyNotify     destroy)
{
  g_autoptr(MesoDraft) draft = NULL;
  g_autofree char *patient = NULL;
  g_autofree char *heading = NULL;
  Question *question;
  GtkWidget *dialog;

  g_return_if_fail (MESO_IS_DRAFT_KEEPER (self));

  if (!meso_draft_keeper_get_unsaved (self))
    {
      then (user_data);
      if (destroy != NULL)
        destroy (user_data);
      return;
    }
  draft = meso_session_editor_get_draft (self->editor);
  patient = draft_patient (draft);
  heading = patient != NULL ? g_strdup_printf (_("Discard the unsaved session of %s?"), patient)
                            : g_strdup (_("Discard the unsaved session?"));
  dialog = adw_message_dialog_new (parent, heading,
                                   _("What was typed in the form has not been saved, and "
                                     "will be lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);

  question = g_new0 (Question, 1);
  question->keeper = g_object_ref (self);
  question->then = then;
  question->user_data = user_data;
  question->destroy = destroy;
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_discard_response_cb), question,
                         question_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
