-- SPDX-License-Identifier: GPL-3.0-or-later
-- Step 9: the sealed audit chain (meso-sqlite-seal.c).
--
-- Each entry gains `rows`, the full new values of every record row its write changed,
-- and `mac`, an HMAC under a key kept outside the database, so that an edited entry
-- cannot be resealed and `check` can prove each record table against the chain. The
-- step's C part (meso_seal_upgrade) gives the database its chain id and key, seals the
-- old entries as far as their chain holds, then the record rows as they stand in 'seal'
-- entries, and only then puts back the log's guard against updates.

-- The chain's id names the key file; one row. With it, the digest of the database's
-- triggers as Mesocare's schema steps left them, and its HMAC under the key: a trigger
-- planted in the file would have its changes sealed with Mesocare's next write, so the
-- store writes nothing while the triggers differ (meso_seal_check_triggers()).
CREATE TABLE audit_chain (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  chain_id      TEXT NOT NULL,
  triggers      TEXT,
  triggers_mac  TEXT
);

-- The log is copied row for row, as steps 3 and 4 did, into a table whose CHECK also
-- allows 'seal', with the two new columns.
DROP TRIGGER IF EXISTS audit_log_never_updated;
DROP TRIGGER IF EXISTS audit_log_never_deleted;
CREATE TABLE audit_log_9 (
  seq        INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL
             CHECK (instr (',create,amend,void,print,export,import,backup,restore,adjust,'
                           || 'clinic,report,recall,seal,', ',' || action || ',') > 0
                    AND instr (action, ',') = 0),
  entity     TEXT NOT NULL,
  entity_id  INTEGER,
  payload    TEXT NOT NULL,
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL,
  rows       TEXT,
  mac        TEXT
);
INSERT INTO audit_log_9 (seq, at, actor, action, entity, entity_id, payload, prev_hash, hash)
  SELECT seq, at, actor, action, entity, entity_id, payload, prev_hash, hash
  FROM audit_log ORDER BY seq;
DROP TABLE audit_log;
ALTER TABLE audit_log_9 RENAME TO audit_log;
CREATE INDEX audit_by_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_by_time ON audit_log (at);
-- audit_log_never_updated comes back in the step's C part, once the macs are filled.
CREATE TRIGGER audit_log_never_deleted BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;

-- Every row written to a record table is noted for the entry of its transaction; the
-- store refuses a transaction that changed one and wrote no entry. The rows of
-- session_areas and amendment_values are part of their session's and amendment's.
CREATE TRIGGER sessions_sealed_insert AFTER INSERT ON sessions
  BEGIN SELECT meso_changed ('sessions', new.rowid); END;
CREATE TRIGGER session_areas_sealed_insert AFTER INSERT ON session_areas
  BEGIN SELECT meso_changed ('sessions', new.session_id); END;
CREATE TRIGGER patients_sealed_insert AFTER INSERT ON patients
  BEGIN SELECT meso_changed ('patients', new.rowid); END;
CREATE TRIGGER patients_sealed_update AFTER UPDATE ON patients
  BEGIN SELECT meso_changed ('patients', new.rowid); END;
CREATE TRIGGER practitioners_sealed_insert AFTER INSERT ON practitioners
  BEGIN SELECT meso_changed ('practitioners', new.rowid); END;
CREATE TRIGGER practitioners_sealed_update AFTER UPDATE ON practitioners
  BEGIN SELECT meso_changed ('practitioners', new.rowid); END;
CREATE TRIGGER amendments_sealed_insert AFTER INSERT ON amendments
  BEGIN SELECT meso_changed ('amendments', new.rowid); END;
CREATE TRIGGER amendment_values_sealed_insert AFTER INSERT ON amendment_values
  BEGIN SELECT meso_changed ('amendments', new.amendment_id); END;
CREATE TRIGGER voids_sealed_insert AFTER INSERT ON voids
  BEGIN SELECT meso_changed ('voids', new.rowid); END;
CREATE TRIGGER sheet_adjustments_sealed_insert AFTER INSERT ON sheet_adjustments
  BEGIN SELECT meso_changed ('sheet_adjustments', new.rowid); END;
CREATE TRIGGER session_current_sealed_insert AFTER INSERT ON session_current
  BEGIN SELECT meso_changed ('session_current', new.rowid); END;
CREATE TRIGGER session_current_sealed_update AFTER UPDATE ON session_current
  BEGIN SELECT meso_changed ('session_current', new.rowid); END;
CREATE TRIGGER clinic_sealed_insert AFTER INSERT ON clinic
  BEGIN SELECT meso_changed ('clinic', new.rowid); END;
CREATE TRIGGER clinic_sealed_update AFTER UPDATE ON clinic
  BEGIN SELECT meso_changed ('clinic', new.rowid); END;

-- INSERT OR REPLACE deletes the row in the way without firing a DELETE trigger: a
-- session, a void, an amendment or adjustments could be rewritten under the guards of
-- steps 2 and 3. An insert over an existing key is refused before it happens.
-- (session_current and clinic are written with ON CONFLICT DO UPDATE, which fires the
-- BEFORE INSERT triggers too: their rows are sealed as they change instead.)
CREATE TRIGGER sessions_never_replaced BEFORE INSERT ON sessions
  WHEN EXISTS (SELECT 1 FROM sessions WHERE id = new.id)
  BEGIN SELECT RAISE (ABORT, 'a session is never replaced: amend it'); END;
CREATE TRIGGER session_areas_never_replaced BEFORE INSERT ON session_areas
  WHEN EXISTS (SELECT 1 FROM session_areas WHERE session_id = new.session_id
               AND area = new.area)
  BEGIN SELECT RAISE (ABORT, 'a session is never changed: amend it'); END;
CREATE TRIGGER amendments_never_replaced BEFORE INSERT ON amendments
  WHEN EXISTS (SELECT 1 FROM amendments WHERE id = new.id)
  BEGIN SELECT RAISE (ABORT, 'an amendment is never changed'); END;
CREATE TRIGGER amendment_values_never_replaced BEFORE INSERT ON amendment_values
  WHEN EXISTS (SELECT 1 FROM amendment_values WHERE amendment_id = new.amendment_id
               AND field = new.field)
  BEGIN SELECT RAISE (ABORT, 'an amendment is never changed'); END;
CREATE TRIGGER voids_never_replaced BEFORE INSERT ON voids
  WHEN EXISTS (SELECT 1 FROM voids WHERE session_id = new.session_id)
  BEGIN SELECT RAISE (ABORT, 'a void is never changed'); END;
CREATE TRIGGER sheet_adjustments_never_replaced BEFORE INSERT ON sheet_adjustments
  WHEN EXISTS (SELECT 1 FROM sheet_adjustments WHERE id = new.id)
  BEGIN SELECT RAISE (ABORT, 'adjustments are never changed: save new ones'); END;
CREATE TRIGGER patients_never_replaced BEFORE INSERT ON patients
  WHEN EXISTS (SELECT 1 FROM patients WHERE id = new.id)
  BEGIN SELECT RAISE (ABORT, 'a patient is never replaced'); END;
CREATE TRIGGER practitioners_never_replaced BEFORE INSERT ON practitioners
  WHEN EXISTS (SELECT 1 FROM practitioners WHERE id = new.id OR name = new.name)
  BEGIN SELECT RAISE (ABORT, 'a practitioner is never replaced'); END;

-- A patient is never deleted, nor renamed or back-dated: the store only updates their
-- contact details (a new name or date of birth is another patient).
CREATE TRIGGER patients_never_deleted BEFORE DELETE ON patients
  BEGIN SELECT RAISE (ABORT, 'a patient is never deleted'); END;
CREATE TRIGGER patients_identity_never_changed BEFORE UPDATE OF full_name, created_at
  ON patients
  WHEN new.full_name IS NOT old.full_name OR new.created_at IS NOT old.created_at
  BEGIN SELECT RAISE (ABORT, 'a patient’s name is never changed: amend the session'); END;
