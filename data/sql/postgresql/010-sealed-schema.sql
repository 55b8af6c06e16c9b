-- SPDX-License-Identifier: GPL-3.0-or-later
-- Step 10 on a server: nothing to change.
--
-- SQLite's step 10 (data/sql/sqlite/010-sealed-schema.sql) seals the digest of the whole
-- schema in its file, so that a table's or a trigger's SQL changed by hand is found. On
-- a server the schema belongs to its owner role, and the application's role cannot
-- change it (no CREATE, ALTER or DROP granted): the step exists so that both engines
-- count the same schema version, which `migrate` compares.
SELECT 1;
