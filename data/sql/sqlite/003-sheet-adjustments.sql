-- SPDX-License-Identifier: GPL-3.0-or-later
-- Step 3: the practitioner's adjustments to a patient's sheet, kept with the session so
-- that a reprint is the same sheet; and 'adjust' among the audited actions.

-- One row per save, never changed: the newest is the one printed.
CREATE TABLE sheet_adjustments (
  id          INTEGER PRIMARY KEY,
  session_id  INTEGER NOT NULL REFERENCES sessions (id),
  saved_at    TEXT NOT NULL,
  user        TEXT NOT NULL,
  data        TEXT NOT NULL
);
CREATE INDEX sheet_adjustments_by_session ON sheet_adjustments (session_id, id);

CREATE TRIGGER sheet_adjustments_never_updated BEFORE UPDATE ON sheet_adjustments
  BEGIN SELECT RAISE (ABORT, 'adjustments are never changed: save new ones'); END;
CREATE TRIGGER sheet_adjustments_never_deleted BEFORE DELETE ON sheet_adjustments
  BEGIN SELECT RAISE (ABORT, 'adjustments are never deleted'); END;

-- SQLite cannot change a CHECK: the log is copied, row for row, into a table whose CHECK
-- allows 'adjust', inside this step's transaction. Every column is copied as it is, so
-- the chain of hashes is unchanged.
DROP TRIGGER audit_log_never_updated;
DROP TRIGGER audit_log_never_deleted;
CREATE TABLE audit_log_3 (
  seq        INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  user       TEXT NOT NULL,
  action     TEXT NOT NULL
             CHECK (action IN ('create', 'amend', 'void', 'print', 'export', 'import',
                               'backup', 'restore', 'adjust')),
  entity     TEXT NOT NULL,
  entity_id  INTEGER,
  payload    TEXT NOT NULL,
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL
);
INSERT INTO audit_log_3 SELECT seq, at, user, action, entity, entity_id, payload, prev_hash, hash
  FROM audit_log ORDER BY seq;
DROP TABLE audit_log;
ALTER TABLE audit_log_3 RENAME TO audit_log;
CREATE INDEX audit_by_entity ON audit_log (entity, entity_id);
CREATE TRIGGER audit_log_never_updated BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_never_deleted BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;
