-- SPDX-License-Identifier: GPL-3.0-or-later
-- Step 7: the indexes the manager's reports need (meso-sqlite-store-report.c).
--
-- A recall matches a lot or product without the blanks around it and regardless of case,
-- as people type them: an index on that very expression, or the search reads every
-- session. A report counts the series abandoned in its period from the next session
-- dates planned (by sessions of any time), looked up by that date with what it needs.
CREATE INDEX current_by_lot_key ON session_current (lower (trim (lot)));
CREATE INDEX current_by_product_key ON session_current (lower (trim (product)));
CREATE INDEX current_by_next_session ON session_current
  (next_session, status, patient_id, performed_at);
-- Whether a patient had a session before (or after) a day, voided ones aside, from the
-- index alone: the status joins the patient's index.
DROP INDEX current_by_patient;
CREATE INDEX current_by_patient ON session_current (patient_id, performed_at, status);
-- The columns a report adds up, in time order: a year's report then reads this index
-- alone, some sixty bytes a session, not a year of whole rows. (Not a partial index: SQLite
-- would not take one as covering, its condition's column being read from the row.)
CREATE INDEX current_for_report ON session_current
  (performed_at, status, patient_id, practitioner, areas, injections, duration_minutes,
   indication, product, reactions, session_number, series_total);
