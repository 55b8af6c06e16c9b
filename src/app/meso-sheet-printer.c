/* meso-sheet-printer.c
 *
 * One place for what every page does with a sheet: print it, save it as a PDF, and enter
 * in the audit log where it went. The Record page hands out the sheet it shows; Today and
 * a session's page hand out a stored session's, rendered as the command-line tool renders
 * it, so that a reprint is the very sheet printed first. The Reports page's documents (a
 * report, a recall's list and letters) go the same way, entered as about no one session.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-sheet-printer"

#include "config.h"

#include <glib/gi18n.h>
#include <poppler.h>

#include "meso-output.h"
#include "meso-settings.h"
#include "meso-sheet-printer.h"
#include "meso-window.h"

struct _MesoSheetPrinter
{
  GObject           parent_instance;

  MesoStore        *store;
  MesoRules        *rules;
  GSettings        *settings;        /* NULL when the schema is not installed */
  GtkPrintSettings *print_settings;  /* remembered between prints */
  GtkPageSetup     *page_setup;
};

G_DEFINE_FINAL_TYPE (MesoSheetPrinter, meso_sheet_printer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  PRINTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Said in the window the request came from, if it is still there. */
static void
tell (GtkWidget  *from,
      const char *message)
{
  GtkRoot *root = from != NULL ? gtk_widget_get_root (from) : NULL;

  if (MESO_IS_WINDOW (root))
    meso_window_show_toast (MESO_WINDOW (root), message);
}

/* A request on its way: the application is held until it is done, so that closing the
 * window does not end the process before the audit entry is written. */
typedef struct
{
  MesoSheetPrinter *printer;
  GtkWidget        *from;
  GApplication     *application;
  MesoSession      *session;
  gint64            session_id;
  gboolean          to_file;
  MesoClinic       *clinic;
  MesoAdjustments  *adjustments;
  char             *document;   /* a document's audit lines, about no one session */
} Job;

static Job *
job_new (MesoSheetPrinter *self,
         GtkWidget        *from,
         gint64            session_id)
{
  Job *job = g_new0 (Job, 1);
  GApplication *application = g_application_get_default ();

  job->printer = g_object_ref (self);
  job->from = from != NULL ? g_object_ref (from) : NULL;
  job->session_id = session_id;
  if (application != NULL)
    {
      job->application = g_object_ref (application);
      g_application_hold (application);
    }
  return job;
}

static void
job_free (Job *job)
{
  if (job->application != NULL)
    g_application_release (job->application);
  g_clear_object (&job->application);
  g_clear_object (&job->printer);
  g_clear_object (&job->from);
  g_clear_object (&job->session);
  g_clear_object (&job->clinic);
  g_clear_object (&job->adjustments);
  g_free (job->document);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

/* For a signal handler's data. */
static void
job_free_closure (gpointer  data,
                  GClosure *closure)
{
  job_free (data);
}

static void
on_print_logged_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(GError) error = NULL;

  if (!meso_store_log_event_finish (MESO_STORE (source), result, &error))
    {
      tell (job->from, error->message);
      return;
    }
  g_signal_emit (job->printer, signals[PRINTED], 0, job->session_id);
}

/* Every sheet handed out is on the record: which session, and where it went. */
static void
log_print (MesoSheetPrinter *self,
           GtkWidget        *from,
           gint64            session_id,
           const char       *document,
           const char       *key,
           const char       *value)
{
  g_autoptr(GString) payload = g_string_new (NULL);

  if (session_id <= 0 && document == NULL)
    return;
  if (document != NULL)
    g_string_append_printf (payload, "%s\n", document);
  meso_payload_append (payload, key, value != NULL ? value : "");
  meso_store_log_event_async (self->store, "print", MAX (session_id, 0), payload->str, NULL,
                              on_print_logged_cb, job_new (self, from, session_id));
}

/**
 * meso_sheet_printer_get_poppler_lock:
 *
 * poppler keeps caches of its own, shared by every document, that two threads must not
 * use at once: whatever reads or draws a sheet with poppler holds this lock.
 *
 * Returns: (transfer none): the lock.
 */
GMutex *
meso_sheet_printer_get_poppler_lock (void)
{
  static GMutex lock;

  return &lock;
}

static void
on_draw_page_cb (GtkPrintOperation *operation,
                 GtkPrintContext   *context,
                 int                page_nr,
                 gpointer           user_data)
{
  PopplerDocument *document = g_object_get_data (G_OBJECT (operation), "document");
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (meso_sheet_printer_get_poppler_lock ());
  PopplerPage *page = poppler_document_get_page (document, page_nr);
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width, height, scale;

  /* The print context is in points, as the PDF is: scale only when the paper differs
   * from the sheet's own size, keeping the proportions. */
  poppler_page_get_size (page, &width, &height);
  scale = MIN (gtk_print_context_get_width (context) / width,
               gtk_print_context_get_height (context) / height);
  cairo_scale (cr, scale, scale);
  poppler_page_render_for_printing (page, cr);
  g_object_unref (page);
}

/**
 * meso_sheet_print_operation_new:
 * @document: (type PopplerDocument): the sheet, as poppler read it
 *
 * Returns: (transfer full): a print operation that prints the very PDF given.
 */
GtkPrintOperation *
meso_sheet_print_operation_new (gpointer document)
{
  GtkPrintOperation *operation;

  g_return_val_if_fail (POPPLER_IS_DOCUMENT (document), NULL);

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_n_pages (operation, poppler_document_get_n_pages (document));
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  gtk_print_operation_set_job_name (operation, _("Aftercare sheet"));
  /* The operation keeps its own reference: a new sheet may replace this one while the
   * printer still asks for pages. */
  g_object_set_data_full (G_OBJECT (operation), "document", g_object_ref (document),
                          g_object_unref);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page_cb), NULL);
  return operation;
}

static void
on_print_done_cb (GtkPrintOperation       *operation,
                  GtkPrintOperationResult  result,
                  gpointer                 user_data)
{
  Job *job = user_data;
  MesoSheetPrinter *self = job->printer;
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      tell (job->from, error->message);
    }
  else if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
    {
      g_set_object (&self->print_settings, gtk_print_operation_get_print_settings (operation));
      g_set_object (&self->page_setup, gtk_print_operation_get_default_page_setup (operation));
      log_print (self, job->from, job->session_id, job->document, "printer",
                 gtk_print_settings_get_printer (self->print_settings));
    }
}

/* Opens the print dialog for @pdf under @job_name; @job is entered in the audit log
 * once printed. */
static void
run_print (MesoSheetPrinter *self,
           GtkWidget        *from,
           GBytes           *pdf,
           const char       *job_name,
           Job              *job)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  PopplerDocument *document;
  GtkRoot *root;

  g_mutex_lock (meso_sheet_printer_get_poppler_lock ());
  document = poppler_document_new_from_bytes (pdf, NULL, &error);
  g_mutex_unlock (meso_sheet_printer_get_poppler_lock ());
  if (document == NULL)
    {
      tell (from, error->message);
      job_free (job);
      return;
    }
  operation = meso_sheet_print_operation_new (document);
  g_object_unref (document);
  gtk_print_operation_set_job_name (operation, job_name);
  if (self->print_settings != NULL)
    gtk_print_operation_set_print_settings (operation, self->print_settings);
  if (self->page_setup != NULL)
    gtk_print_operation_set_default_page_setup (operation, self->page_setup);
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect_data (operation, "done", G_CALLBACK (on_print_done_cb), job,
                         job_free_closure, 0);

  root = from != NULL ? gtk_widget_get_root (from) : NULL;
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, &error)
      == GTK_PRINT_OPERATION_RESULT_ERROR)
    tell (from, error->message);
}

/**
 * meso_sheet_printer_print:
 * @self: a #MesoSheetPrinter
 * @from: the widget the request came from: the dialog's parent, and where it is told
 * @session_id: the session whose sheet it is
 * @pdf: the sheet
 *
 * Opens the print dialog for @pdf; once printed, enters it in the audit log.
 */
void
meso_sheet_printer_print (MesoSheetPrinter *self,
                          GtkWidget        *from,
                          gint64            session_id,
                          GBytes           *pdf)
{
  g_return_if_fail (MESO_IS_SHEET_PRINTER (self));
  g_return_if_fail (pdf != NULL);

  run_print (self, from, pdf, _("Aftercare sheet"), job_new (self, from, session_id));
}

/**
 * meso_sheet_printer_print_document:
 * @self: a #MesoSheetPrinter
 * @from: the widget the request came from
 * @pdf: the document
 * @job_name: the print job's name
 * @document: what the audit log says of the document, one "key=value" a line
 *
 * Opens the print dialog for a document about no one session (a report, a recall);
 * once printed, enters it in the audit log as a print, with @document and the printer.
 */
void
meso_sheet_printer_print_document (MesoSheetPrinter *self,
                                   GtkWidget        *from,
                                   GBytes           *pdf,
                                   const char       *job_name,
                                   const char       *document)
{
  Job *job;

  g_return_if_fail (MESO_IS_SHEET_PRINTER (self));
  g_return_if_fail (pdf != NULL);
  g_return_if_fail (document != NULL);

  job = job_new (self, from, 0);
  job->document = g_strdup (document);
  run_print (self, from, pdf, job_name, job);
}

/* What a thread writes: the file as the command-line tool writes it (meso-output.c): to a
 * temporary file renamed over the target once whole, readable by its owner only, and
 * never over the database itself. */
typedef struct
{
  char   *path;
  char   *database;
  GBytes *pdf;
} Writing;

static void
writing_free (Writing *writing)
{
  g_free (writing->path);
  g_free (writing->database);
  g_bytes_unref (writing->pdf);
  g_free (writing);
}

static void
write_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Writing *writing = task_data;
  GError *error = NULL;

  if (meso_output_write_file (writing->path, writing->database,
                              g_bytes_get_data (writing->pdf, NULL),
                              g_bytes_get_size (writing->pdf), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Writes @pdf to @file off the main thread; @callback gets @file as its source. */
static void
write_file_async (MesoSheetPrinter    *self,
                  GFile               *file,
                  GBytes              *pdf,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (file, NULL, callback, user_data);
  Writing *writing = g_new0 (Writing, 1);

  writing->path = g_file_get_path (file);
  writing->database = g_strdup (meso_store_get_path (self->store));
  writing->pdf = g_bytes_ref (pdf);
  g_task_set_task_data (task, writing, (GDestroyNotify) writing_free);
  g_task_set_source_tag (task, write_file_async);
  if (writing->path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("only a file of this computer can be written"));
      return;
    }
  g_task_run_in_thread (task, write_in_thread);
}

static void
on_pdf_written_cb (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  if (!g_task_propagate_boolean (G_TASK (res), &error))
    {
      message = g_strdup_printf (job->document != NULL ? _("The file could not be saved: %s")
                                                       : _("The sheet could not be saved: %s"),
                                 error->message);
      tell (job->from, message);
      return;
    }
  name = g_file_get_basename (G_FILE (source));
  if (job->document != NULL)
    message = g_strdup_printf (_("Saved as “%s”"), name);
  else
    message = g_strdup_printf (_("Sheet saved as “%s”"), name);
  tell (job->from, message);
  path = g_file_get_path (G_FILE (source));
  log_print (job->printer, job->from, job->session_id, job->document, "file", path);
}

/**
 * meso_sheet_printer_write_pdf:
 * @self: a #MesoSheetPrinter
 * @from: the widget the request came from
 * @session_id: the session whose sheet it is
 * @pdf: the sheet
 * @file: where to write it
 *
 * Writes the very bytes of @pdf to @file, off the main thread, whole or not at all,
 * readable by its owner only (an existing file too) and never over the database, and
 * enters it in the audit log: the end of Save as PDF, once the file is chosen.
 */
void
meso_sheet_printer_write_pdf (MesoSheetPrinter *self,
                              GtkWidget        *from,
                              gint64            session_id,
                              GBytes           *pdf,
                              GFile            *file)
{
  g_return_if_fail (MESO_IS_SHEET_PRINTER (self));
  g_return_if_fail (pdf != NULL);
  g_return_if_fail (G_IS_FILE (file));

  write_file_async (self, file, pdf, on_pdf_written_cb, job_new (self, from, session_id));
}

/**
 * meso_sheet_printer_write_document:
 * @self: a #MesoSheetPrinter
 * @from: the widget the request came from
 * @pdf: the document
 * @file: where to write it
 * @document: what the audit log says of the document, one "key=value" a line
 *
 * Writes a document about no one session (a report, a recall) to @file as
 * meso_sheet_printer_write_pdf() writes a sheet, and enters it in the audit log as a
 * print, with @document and the file.
 */
void
meso_sheet_printer_write_document (MesoSheetPrinter *self,
                                   GtkWidget        *from,
                                   GBytes           *pdf,
                                   GFile            *file,
                                   const char       *document)
{
  Job *job;

  g_return_if_fail (MESO_IS_SHEET_PRINTER (self));
  g_return_if_fail (pdf != NULL);
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (document != NULL);

  job = job_new (self, from, 0);
  job->document = g_strdup (document);
  write_file_async (self, file, pdf, on_pdf_written_cb, job);
}

static void
on_save_pdf_response_cb (GtkNativeDialog *dialog,
                         int              response,
                         gpointer         user_data)
{
  Job *job = user_data;
  GBytes *pdf = g_object_get_data (G_OBJECT (dialog), "pdf");
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      meso_sheet_printer_write_pdf (job->printer, job->from, job->session_id, pdf, file);
    }
  g_object_unref (dialog);
}

static char *
suggest_pdf_name (MesoSession *session)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (meso_session_get_performed_at (session));
  g_autofree char *date = g_date_time_format (local, "%Y-%m-%d");
  g_autofree char *name = g_strdup (meso_session_get_patient_name (session));

  g_strdelimit (name, "/\\:", '-');
  /* Translators: the file name of a saved sheet: patient, date */
  return g_strdup_printf (_("Aftercare %s %s.pdf"), name, date);
}

/**
 * meso_sheet_printer_save_pdf:
 * @self: a #MesoSheetPrinter
 * @from: the widget the request came from
 * @session: the session whose sheet it is
 * @pdf: the sheet
 *
 * Asks where to save @pdf, writes the very bytes there, and enters it in the audit log.
 */
void
meso_sheet_printer_save_pdf (MesoSheetPrinter *self,
                             GtkWidget        *from,
                             MesoSession      *session,
                             GBytes           *pdf)
{
  g_autofree char *suggested = NULL;
  GtkFileChooserNative *dialog;
  GtkRoot *root;

  g_return_if_fail (MESO_IS_SHEET_PRINTER (self));
  g_return_if_fail (MESO_IS_SESSION (session));
  g_return_if_fail (pdf != NULL);

  suggested = suggest_pdf_name (session);
  root = from != NULL ? gtk_widget_get_root (from) : NULL;
  dialog = gtk_file_chooser_native_new (_("Save Aftercare Sheet"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), suggested);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "pdf", g_bytes_ref (pdf),
                          (GDestroyNotify) g_bytes_unref);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_save_pdf_response_cb),
                         job_new (self, from, meso_session_get_id (session)),
                         job_free_closure, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/**
 * meso_sheet_printer_make_sheet:
 * @self: a #MesoSheetPrinter
 * @session: the session
 * @clinic: (nullable): the clinic's details, or %NULL before they are read
 * @adjustments: (nullable): the sheet's adjustments
 *
 * Returns: (transfer full): @session's sheet as the command-line tool makes it: the
 *   clinic's details, this computer's paper, the patient's language, @adjustments.
 */
MesoSheet *
meso_sheet_printer_make_sheet (MesoSheetPrinter *self,
                               MesoSession      *session,
                               MesoClinic       *clinic,
                               MesoAdjustments  *adjustments)
{
  g_autoptr(MesoClinic) none = NULL;
  MesoSheet *sheet;

  g_return_val_if_fail (MESO_IS_SHEET_PRINTER (self), NULL);

  sheet = meso_sheet_new (session, self->rules);
  if (clinic == NULL)
    clinic = none = meso_clinic_new ();
  meso_sheet_set_clinic (sheet, clinic);
  meso_sheet_set_paper (sheet, meso_settings_get_paper (self->settings));
  if (adjustments != NULL)
    meso_sheet_set_adjustments (sheet, adjustments);
  return sheet;
}

/* The sheet's footer carries the fingerprint of its session's sealed entry: the same
 * on every reprint. */
static void
on_fingerprint_read_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = meso_store_get_fingerprint_finish (MESO_STORE (source), result,
                                                                    &error);
  MesoSheet *sheet;

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sheet = meso_sheet_printer_make_sheet (job->printer, job->session, job->clinic,
                                         job->adjustments);
  meso_sheet_set_fingerprint (sheet, fingerprint);
  g_task_return_pointer (task, sheet, g_object_unref);
}

static void
on_adjustments_read_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  job->adjustments = meso_store_get_adjustments_finish (MESO_STORE (source), result, &error);
  if (job->adjustments == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  meso_store_get_fingerprint_async (MESO_STORE (source), job->session_id,
                                    g_task_get_cancellable (task), on_fingerprint_read_cb,
                                    g_object_ref (task));
}

static void
on_clinic_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  job->clinic = meso_store_get_clinic_finish (MESO_STORE (source), result, &error);
  if (job->clinic == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  meso_store_get_adjustments_async (MESO_STORE (source), job->session_id,
                                    g_task_get_cancellable (task), on_adjustments_read_cb,
                                    g_object_ref (task));
}

/**
 * meso_sheet_printer_load_sheet_async:
 * @self: a #MesoSheetPrinter
 * @session: a stored session
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the sheet
 * @user_data: for @callback
 *
 * Reads the clinic's details and @session's stored adjustments, off the main thread,
 * and makes the sheet of them that the command-line tool makes.
 */
void
meso_sheet_printer_load_sheet_async (MesoSheetPrinter    *self,
                                     MesoSession         *session,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (MESO_IS_SHEET_PRINTER (self));
  g_return_if_fail (MESO_IS_SESSION (session));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, meso_sheet_printer_load_sheet_async);
  job = job_new (self, NULL, meso_session_get_id (session));
  job->session = g_object_ref (session);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  meso_store_get_clinic_async (self->store, cancellable, on_clinic_read_cb,
                               g_steal_pointer (&task));
}

MesoSheet *
meso_sheet_printer_load_sheet_finish (MesoSheetPrinter  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  GBytes *pdf = meso_sheet_render_pdf (task_data, &error);

  if (pdf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pdf, (GDestroyNotify) g_bytes_unref);
}

static void
on_rendered_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = g_task_propagate_pointer (G_TASK (result), &error);

  if (pdf == NULL)
    tell (job->from, error->message);
  else if (job->to_file)
    meso_sheet_printer_save_pdf (job->printer, job->from, job->session, pdf);
  else
    meso_sheet_printer_print (job->printer, job->from, job->session_id, pdf);
}

static void
on_sheet_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoSheet) sheet = meso_sheet_printer_load_sheet_finish (MESO_SHEET_PRINTER (source),
                                                                     result, &error);
  g_autoptr(GTask) task = NULL;

  if (sheet == NULL)
    {
      tell (job->from, error->message);
      job_free (job);
      return;
    }
  task = g_task_new (source, NULL, on_rendered_cb, job);
  g_task_set_task_data (task, g_steal_pointer (&sheet), g_object_unref);
  g_task_run_in_thread (task, render_thread);
}

/**
 * meso_sheet_printer_hand_out:
 * @self: a #MesoSheetPrinter
 * @from: the widget the request came from
 * @session: a stored session
 * @to_file: %TRUE to save it as a PDF, %FALSE to print it
 *
 * Renders @session's sheet off the main thread, as stored (the same bytes as every
 * print of it), then prints it or saves it as @print and @save_pdf do.
 */
void
meso_sheet_printer_hand_out (MesoSheetPrinter *self,
                             GtkWidget        *from,
                             MesoSession      *session,
                             gboolean          to_file)
{
  Job *job;

  g_return_if_fail (MESO_IS_SHEET_PRINTER (self));
  g_return_if_fail (MESO_IS_SESSION (session));

  job = job_new (self, from, meso_session_get_id (session));
  job->session = g_object_ref (session);
  job->to_file = to_file;
  meso_sheet_printer_load_sheet_async (self, session, NULL, on_sheet_loaded_cb, job);
}

MesoRules *
meso_sheet_printer_get_rules (MesoSheetPrinter *self)
{
  g_return_val_if_fail (MESO_IS_SHEET_PRINTER (self), NULL);
  return self->rules;
}

static void
meso_sheet_printer_dispose (GObject *object)
{
  MesoSheetPrinter *self = MESO_SHEET_PRINTER (object);

  g_clear_object (&self->store);
  g_clear_object (&self->rules);
  g_clear_object (&self->settings);
  g_clear_object (&self->print_settings);
  g_clear_object (&self->page_setup);
  G_OBJECT_CLASS (meso_sheet_printer_parent_class)->dispose (object);
}

static void
meso_sheet_printer_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MesoSheetPrinter *self = MESO_SHEET_PRINTER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_sheet_printer_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MesoSheetPrinter *self = MESO_SHEET_PRINTER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_sheet_printer_class_init (MesoSheetPrinterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = meso_sheet_printer_dispose;
  object_class->set_property = meso_sheet_printer_set_property;
  object_class->get_property = meso_sheet_printer_get_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, MESO_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MesoSheetPrinter::printed:
   * @session_id: the session whose sheet was handed out
   *
   * A sheet was printed or saved, and entered in the audit log.
   */
  signals[PRINTED] = g_signal_new ("printed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
meso_sheet_printer_init (MesoSheetPrinter *self)
{
  g_autoptr(GError) error = NULL;

  /* The rules ship inside the program: failing to read them is a broken build. */
  self->rules = meso_rules_new_default (&error);
  if (self->rules == NULL)
    g_error ("%s", error->message);
  self->settings = meso_settings_new_if_installed ();
}

/**
 * meso_sheet_printer_new:
 * @store: where the prints are entered
 *
 * Returns: (transfer full): a new printer.
 */
MesoSheetPrinter *
meso_sheet_printer_new (MesoStore *store)
{
  return g_object_new (MESO_TYPE_SHEET_PRINTER, "store", store, NULL);
}
