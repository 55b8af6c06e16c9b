-- SPDX-License-Identifier: GPL-3.0-or-later
-- Step 8: the patient's details as they were at each session, kept with the session.
--
-- The patients row holds the newest details (what the form offers again, what a recall
-- letter uses); a session shows, and its sheet prints, those of its own day: a later
-- session in another language, or with another phone, changes neither. The store writes
-- them with the session (meso-sqlite-store.c: insert_session) and reads a session's own,
-- falling back to the patients row only for a session that has none (language is never
-- NULL in a session that has them).
ALTER TABLE sessions ADD COLUMN patient_date_of_birth TEXT;
ALTER TABLE sessions ADD COLUMN patient_phone TEXT;
ALTER TABLE sessions ADD COLUMN patient_email TEXT;
ALTER TABLE sessions ADD COLUMN patient_language TEXT
  CHECK (patient_language IN ('en', 'fr', 'es'));
ALTER TABLE sessions ADD COLUMN patient_notes TEXT;

-- The sessions recorded before this step showed the patients row: they keep showing
-- exactly that. Filling them is the one update a session ever gets, made with the
-- trigger that forbids updates set aside for this step's transaction only.
DROP TRIGGER sessions_never_updated;
UPDATE sessions
   SET patient_date_of_birth = (SELECT p.date_of_birth FROM patients p
                                 WHERE p.id = sessions.patient_id),
       patient_phone = (SELECT p.phone FROM patients p WHERE p.id = sessions.patient_id),
       patient_email = (SELECT p.email FROM patients p WHERE p.id = sessions.patient_id),
       patient_language = (SELECT p.language FROM patients p WHERE p.id = sessions.patient_id),
       patient_notes = (SELECT p.notes FROM patients p WHERE p.id = sessions.patient_id);
CREATE TRIGGER sessions_never_updated BEFORE UPDATE ON sessions
  BEGIN SELECT RAISE (ABORT, 'a session is never changed: amend it'); END;
