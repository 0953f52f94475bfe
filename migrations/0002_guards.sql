-- Version 2: the database itself refuses what the code must never do.

-- The journal is append-only; its hash chain proves it, these make an
-- accident impossible.
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN
    SELECT RAISE(ABORT, 'the sales journal is append-only');
END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN
    SELECT RAISE(ABORT, 'the sales journal is append-only');
END;

-- An op the server has not acknowledged is never deleted.
CREATE TRIGGER outbox_keep_pending BEFORE DELETE ON outbox
WHEN OLD.state = 'pending'
BEGIN
    SELECT RAISE(ABORT, 'a pending outbox op cannot be deleted');
END;
