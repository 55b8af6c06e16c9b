-- SPDX-License-Identifier: GPL-3.0-or-later
-- Step 5: the clinic's details and its list of practitioners, in the database that every
-- workstation shares, instead of one desktop user's settings.
--
-- One row, written whole by the store (meso-sqlite-store-clinic.c), in the same transaction
-- as its audit entry. It exists once anything about the clinic has been written: until
-- then, the app carries over the details an older version kept in the settings.
-- The logo is the image itself, not a path, which would mean nothing on another computer.
CREATE TABLE clinic (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  name        TEXT NOT NULL DEFAULT '' CHECK (length (name) <= 200),
  address     TEXT NOT NULL DEFAULT '' CHECK (length (address) <= 500),
  phone       TEXT NOT NULL DEFAULT '' CHECK (length (phone) <= 40),
  email       TEXT NOT NULL DEFAULT '' CHECK (length (email) <= 254),
  logo        BLOB CHECK (logo IS NULL OR length (logo) BETWEEN 1 AND 2097152),
  logo_type   TEXT CHECK (logo_type IN ('image/png', 'image/svg+xml')),
  updated_at  TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  CHECK ((logo IS NULL) = (logo_type IS NULL))
);

-- A practitioner is offered on the form while active; one who no longer practises here is
-- retired (active 0, and when), never deleted: sessions keep pointing at them, by id and
-- by name. Those known only from sessions (typed, imported) are not active until listed.
ALTER TABLE practitioners ADD COLUMN active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1));
ALTER TABLE practitioners ADD COLUMN retired_at TEXT;
CREATE INDEX practitioners_by_active ON practitioners (active, name);

CREATE TRIGGER practitioners_never_deleted BEFORE DELETE ON practitioners
  BEGIN SELECT RAISE (ABORT, 'a practitioner is never deleted: retire them'); END;
-- Sessions name their practitioner (session_current.practitioner): a name never changes.
CREATE TRIGGER practitioners_never_renamed BEFORE UPDATE OF name ON practitioners
  WHEN new.name IS NOT old.name
  BEGIN SELECT RAISE (ABORT, 'a practitioner is never renamed: add the new name'); END;
