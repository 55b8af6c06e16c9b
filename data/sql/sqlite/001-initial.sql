-- SPDX-License-Identifier: GPL-3.0-or-later
-- Step 1: patients and the sessions given to them.
-- Times are UTC, ISO 8601, to the second: 'YYYY-MM-DDTHH:MM:SSZ', so that text order is time order.

CREATE TABLE patients (
  id          INTEGER PRIMARY KEY,
  full_name   TEXT NOT NULL CHECK (length(full_name) BETWEEN 1 AND 1000),
  created_at  TEXT NOT NULL
);

CREATE INDEX patients_by_name ON patients (full_name);

CREATE TABLE sessions (
  id                INTEGER PRIMARY KEY,
  patient_id        INTEGER NOT NULL REFERENCES patients (id),
  performed_at      TEXT NOT NULL,
  injections        INTEGER NOT NULL CHECK (injections BETWEEN 1 AND 2000),
  duration_minutes  INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 480),
  created_at        TEXT NOT NULL
);

CREATE INDEX sessions_by_time ON sessions (performed_at DESC, id DESC);
CREATE INDEX sessions_by_patient ON sessions (patient_id);

CREATE TABLE session_areas (
  session_id  INTEGER NOT NULL REFERENCES sessions (id),
  area        TEXT NOT NULL CHECK (area IN ('face', 'scalp', 'neck', 'decolletage', 'abdomen',
                                            'flanks', 'thighs', 'buttocks', 'arms')),
  PRIMARY KEY (session_id, area)
) WITHOUT ROWID;
