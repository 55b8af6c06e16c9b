-- SPDX-License-Identifier: GPL-3.0-or-later
-- Step 2: the complete treatment record; amendments and voids instead of changes; the
-- audit log. Nothing here rewrites a row of step 1: columns are added, never altered.

ALTER TABLE patients ADD COLUMN date_of_birth TEXT;
ALTER TABLE patients ADD COLUMN phone TEXT;
ALTER TABLE patients ADD COLUMN email TEXT;
ALTER TABLE patients ADD COLUMN language TEXT NOT NULL DEFAULT 'en'
  CHECK (language IN ('en', 'fr', 'es'));
ALTER TABLE patients ADD COLUMN notes TEXT;
CREATE INDEX patients_by_identity ON patients (full_name, date_of_birth);

CREATE TABLE practitioners (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  role          TEXT,
  registration  TEXT,
  created_at    TEXT NOT NULL
);

-- The session as recorded at the chair, patient flags included as they were that day.
ALTER TABLE sessions ADD COLUMN practitioner_id INTEGER REFERENCES practitioners (id);
ALTER TABLE sessions ADD COLUMN indication TEXT;
ALTER TABLE sessions ADD COLUMN technique TEXT;
ALTER TABLE sessions ADD COLUMN product TEXT;
ALTER TABLE sessions ADD COLUMN lot TEXT;
ALTER TABLE sessions ADD COLUMN lot_expiry TEXT;
ALTER TABLE sessions ADD COLUMN volume_ml TEXT;
ALTER TABLE sessions ADD COLUMN session_number INTEGER;
ALTER TABLE sessions ADD COLUMN series_total INTEGER;
ALTER TABLE sessions ADD COLUMN next_session TEXT;
ALTER TABLE sessions ADD COLUMN reactions TEXT;
ALTER TABLE sessions ADD COLUMN instructions TEXT;
ALTER TABLE sessions ADD COLUMN notes TEXT;
ALTER TABLE sessions ADD COLUMN blood_thinners INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN pregnant INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN allergies TEXT;
ALTER TABLE sessions ADD COLUMN pregnancy_override INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN created_by TEXT;

-- A correction: who, when, why, and each field's value before and after.
CREATE TABLE amendments (
  id          INTEGER PRIMARY KEY,
  session_id  INTEGER NOT NULL REFERENCES sessions (id),
  amended_at  TEXT NOT NULL,
  user        TEXT NOT NULL,
  reason      TEXT NOT NULL CHECK (length (reason) > 0)
);
CREATE INDEX amendments_by_session ON amendments (session_id, id);

CREATE TABLE amendment_values (
  amendment_id  INTEGER NOT NULL REFERENCES amendments (id),
  field         TEXT NOT NULL,
  old_value     TEXT NOT NULL,
  new_value     TEXT NOT NULL,
  PRIMARY KEY (amendment_id, field)
);

CREATE TABLE voids (
  session_id  INTEGER PRIMARY KEY REFERENCES sessions (id),
  voided_at   TEXT NOT NULL,
  user        TEXT NOT NULL,
  reason      TEXT NOT NULL CHECK (length (reason) > 0)
);

-- Append-only, each entry's hash chained to the one before (see meso-store-audit.c).
CREATE TABLE audit_log (
  seq        INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  user       TEXT NOT NULL,
  action     TEXT NOT NULL
             CHECK (action IN ('create', 'amend', 'void', 'print', 'export', 'import',
                               'backup', 'restore')),
  entity     TEXT NOT NULL,
  entity_id  INTEGER,
  payload    TEXT NOT NULL,
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL
);
CREATE INDEX audit_by_entity ON audit_log (entity, entity_id);

-- The database itself refuses to rewrite history, whatever program writes to it.
CREATE TRIGGER sessions_never_updated BEFORE UPDATE ON sessions
  BEGIN SELECT RAISE (ABORT, 'a session is never changed: amend it'); END;
CREATE TRIGGER sessions_never_deleted BEFORE DELETE ON sessions
  BEGIN SELECT RAISE (ABORT, 'a session is never deleted: void it'); END;
CREATE TRIGGER session_areas_never_updated BEFORE UPDATE ON session_areas
  BEGIN SELECT RAISE (ABORT, 'a session is never changed: amend it'); END;
CREATE TRIGGER session_areas_never_deleted BEFORE DELETE ON session_areas
  BEGIN SELECT RAISE (ABORT, 'a session is never changed: amend it'); END;
CREATE TRIGGER amendments_never_updated BEFORE UPDATE ON amendments
  BEGIN SELECT RAISE (ABORT, 'an amendment is never changed'); END;
CREATE TRIGGER amendments_never_deleted BEFORE DELETE ON amendments
  BEGIN SELECT RAISE (ABORT, 'an amendment is never deleted'); END;
CREATE TRIGGER amendment_values_never_updated BEFORE UPDATE ON amendment_values
  BEGIN SELECT RAISE (ABORT, 'an amendment is never changed'); END;
CREATE TRIGGER amendment_values_never_deleted BEFORE DELETE ON amendment_values
  BEGIN SELECT RAISE (ABORT, 'an amendment is never deleted'); END;
CREATE TRIGGER voids_never_updated BEFORE UPDATE ON voids
  BEGIN SELECT RAISE (ABORT, 'a void is never changed'); END;
CREATE TRIGGER voids_never_deleted BEFORE DELETE ON voids
  BEGIN SELECT RAISE (ABORT, 'a void is never deleted'); END;
CREATE TRIGGER audit_log_never_updated BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_never_deleted BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;
