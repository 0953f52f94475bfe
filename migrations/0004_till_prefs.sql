-- What belongs to this till and never syncs: its language, and the owner's
-- name and PIN (an argon2 hash, never the PIN).
CREATE TABLE till_prefs (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
