-- The chain head keeps the hash it moved from, so an append is one UPDATE that returns both the
-- new head and the previous hash: before, a SELECT ... FOR UPDATE read and locked the head first,
-- one more scan and one more WAL record (the row lock) for every entry.
ALTER TABLE gateway.audit_head ADD COLUMN prev_hash bytea NOT NULL DEFAULT '\x'::bytea;
GRANT UPDATE (seq, hash, prev_hash) ON gateway.audit_head TO tracuu_gateway;

-- Entries are appended in time order, so a block range index answers the purge's time bound
-- (AuditPurge) at a fraction of a B-tree's cost: a B-tree took one more index insert per entry.
DROP INDEX gateway.audit_by_time;
CREATE INDEX audit_by_time ON gateway.audit USING brin (at_micros);
