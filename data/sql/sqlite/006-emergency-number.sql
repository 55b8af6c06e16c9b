-- SPDX-License-Identifier: GPL-3.0-or-later
-- Step 6: the emergency number the sheets print, a setting of the whole clinic.
--
-- '' means none was set: the sheet then prints the one of the computer's country (112 in
-- most of Europe, 999 in the United Kingdom, 911 in North America, 15 in France; see
-- meso_clinic_default_emergency_number()). Only digits: it is dialled, not read.
ALTER TABLE clinic ADD COLUMN emergency_number TEXT NOT NULL DEFAULT ''
  CHECK (emergency_number = '' OR (length (emergency_number) BETWEEN 2 AND 8
                                   AND emergency_number NOT GLOB '*[^0-9]*'));
