-- SPDX-License-Identifier: GPL-3.0-or-later
-- Step 4: each session's current values stored beside its history, so that a list, a
-- filter, a count or a report is one statement; names both SQL dialects accept.
--
-- The rows of sessions, session_areas and amendments stay the history: session_current
-- is what they add up to, written by the store in the same transaction as the record,
-- the amendment or the void. The step's C part (meso-store.c: fill_current_values)
-- applies the amendments made before this step.

-- "user" is reserved in PostgreSQL: the columns take names that need no quoting.
ALTER TABLE amendments RENAME COLUMN user TO amended_by;
ALTER TABLE voids RENAME COLUMN user TO voided_by;
ALTER TABLE sheet_adjustments RENAME COLUMN user TO saved_by;

-- The log is copied row for row into a table whose CHECK also allows what the clinic's
-- shared details and the managers' reviews add ('clinic', 'report', 'recall'); every
-- column is copied as it is, so the chain of hashes is unchanged.
DROP TRIGGER audit_log_never_updated;
DROP TRIGGER audit_log_never_deleted;
CREATE TABLE audit_log_4 (
  seq        INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL
             CHECK (instr (',create,amend,void,print,export,import,backup,restore,adjust,'
                           || 'clinic,report,recall,', ',' || action || ',') > 0
                    AND instr (action, ',') = 0),
  entity     TEXT NOT NULL,
  entity_id  INTEGER,
  payload    TEXT NOT NULL,
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL
);
INSERT INTO audit_log_4 SELECT seq, at, user, action, entity, entity_id, payload, prev_hash, hash
  FROM audit_log ORDER BY seq;
DROP TABLE audit_log;
ALTER TABLE audit_log_4 RENAME TO audit_log;
CREATE INDEX audit_by_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_by_time ON audit_log (at);
CREATE TRIGGER audit_log_never_updated BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_never_deleted BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;

-- The same for the areas of each session: SQLite 3.40 builds a table for a CHECK's IN
-- list at every insert, which was a fifth of the time of saving a session; instr() on
-- one string checks the same ids without it.
DROP TRIGGER session_areas_never_updated;
DROP TRIGGER session_areas_never_deleted;
CREATE TABLE session_areas_4 (
  session_id  INTEGER NOT NULL REFERENCES sessions (id),
  area        TEXT NOT NULL
              CHECK (instr (',face,scalp,neck,decolletage,abdomen,flanks,thighs,buttocks,arms,',
                            ',' || area || ',') > 0 AND instr (area, ',') = 0),
  PRIMARY KEY (session_id, area)
) WITHOUT ROWID;
INSERT INTO session_areas_4 SELECT session_id, area FROM session_areas;
DROP TABLE session_areas;
ALTER TABLE session_areas_4 RENAME TO session_areas;
CREATE TRIGGER session_areas_never_updated BEFORE UPDATE ON session_areas
  BEGIN SELECT RAISE (ABORT, 'a session is never changed: amend it'); END;
CREATE TRIGGER session_areas_never_deleted BEFORE DELETE ON session_areas
  BEGIN SELECT RAISE (ABORT, 'a session is never changed: amend it'); END;

-- Patients found by a few letters of the name, accents and case aside.
ALTER TABLE patients ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE patients SET name_key = meso_fold (full_name);

-- Text columns hold each field's canonical text, as the sessions table does; areas and
-- reactions are their ids joined by commas ("scalp,neck"), flags 0 or 1.
CREATE TABLE session_current (
  session_id          INTEGER PRIMARY KEY REFERENCES sessions (id),
  performed_at        TEXT NOT NULL,
  patient_id          INTEGER NOT NULL REFERENCES patients (id),
  patient_name        TEXT NOT NULL,
  patient_key         TEXT NOT NULL,     -- the name without accents or case, for search
  practitioner        TEXT,
  areas               TEXT NOT NULL,
  injections          INTEGER NOT NULL,
  duration_minutes    INTEGER NOT NULL,
  indication          TEXT,
  technique           TEXT,
  product             TEXT,
  lot                 TEXT,
  lot_expiry          TEXT,
  volume_ml           TEXT,
  session_number      INTEGER,
  series_total        INTEGER,
  next_session        TEXT,
  reactions           TEXT,
  instructions        TEXT,
  notes               TEXT,
  blood_thinners      INTEGER NOT NULL DEFAULT 0,
  pregnant            INTEGER NOT NULL DEFAULT 0,
  allergies           TEXT,
  pregnancy_override  INTEGER NOT NULL DEFAULT 0,
  status              TEXT NOT NULL DEFAULT 'active'
                      CHECK (status IN ('active', 'amended', 'voided')),
  void_reason         TEXT
);

-- The newest first is the order of every list; the others serve the filters that pick
-- few rows out of many.
CREATE INDEX current_by_time ON session_current (performed_at DESC, session_id DESC);
CREATE INDEX current_by_patient ON session_current (patient_id, performed_at);
CREATE INDEX current_by_practitioner ON session_current (practitioner, performed_at);
CREATE INDEX current_by_lot ON session_current (lot, performed_at);
CREATE INDEX current_by_product ON session_current (product, performed_at);
CREATE INDEX current_by_indication ON session_current (indication, performed_at);
CREATE INDEX current_by_status ON session_current (status, performed_at DESC, session_id DESC);

-- Patient names found by any three letters in them: a trigram index over the folded
-- names, kept in step by triggers.
CREATE VIRTUAL TABLE session_names USING fts5 (
  patient_key, content = 'session_current', content_rowid = 'session_id',
  tokenize = 'trigram');
CREATE TRIGGER session_names_insert AFTER INSERT ON session_current BEGIN
  INSERT INTO session_names (rowid, patient_key) VALUES (new.session_id, new.patient_key);
END;
CREATE TRIGGER session_names_update AFTER UPDATE OF patient_key ON session_current BEGIN
  INSERT INTO session_names (session_names, rowid, patient_key)
    VALUES ('delete', old.session_id, old.patient_key);
  INSERT INTO session_names (rowid, patient_key) VALUES (new.session_id, new.patient_key);
END;
CREATE TRIGGER session_current_never_deleted BEFORE DELETE ON session_current
  BEGIN SELECT RAISE (ABORT, 'a session is never deleted: void it'); END;

-- The sessions as first recorded; the C part then applies the amendments.
INSERT INTO session_current (session_id, performed_at, patient_id, patient_name, patient_key,
                             practitioner, areas, injections, duration_minutes, indication,
                             technique, product, lot, lot_expiry, volume_ml, session_number,
                             series_total, next_session, reactions, instructions, notes,
                             blood_thinners, pregnant, allergies, pregnancy_override, status,
                             void_reason)
SELECT s.id, s.performed_at, s.patient_id, p.full_name, meso_fold (p.full_name), pr.name,
       coalesce ((SELECT group_concat (area, ',') FROM
                   (SELECT area FROM session_areas WHERE session_id = s.id
                    ORDER BY instr ('face,scalp,neck,decolletage,abdomen,flanks,thighs,buttocks,arms',
                                    area))), ''),
       s.injections, s.duration_minutes, s.indication, s.technique, s.product, s.lot,
       s.lot_expiry, s.volume_ml, s.session_number, s.series_total, s.next_session,
       s.reactions, s.instructions, s.notes, s.blood_thinners, s.pregnant, s.allergies,
       s.pregnancy_override,
       CASE WHEN v.session_id IS NOT NULL THEN 'voided'
            WHEN EXISTS (SELECT 1 FROM amendments a WHERE a.session_id = s.id) THEN 'amended'
            ELSE 'active' END,
       v.reason
  FROM sessions s
  JOIN patients p ON p.id = s.patient_id
  LEFT JOIN practitioners pr ON pr.id = s.practitioner_id
  LEFT JOIN voids v ON v.session_id = s.id
 ORDER BY s.id;
