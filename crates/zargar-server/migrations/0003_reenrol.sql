-- A re-enrolment code is bound to the device it re-enrols (its token was
-- lost): only that device may use it, and it keeps its id and seq series.
ALTER TABLE enrol_codes ADD COLUMN device_id TEXT;
