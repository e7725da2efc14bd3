-- LS reads a record's latest answered entries (PostgresAuditLog.RECENT). The index it used was
-- keyed by the record's whole 43-character pseudonym: each new entry lands on a random one of its
-- pages, and as the audit grew to 180 days (20 million entries) nearly every entry dirtied a page
-- not yet touched since the last checkpoint, which PostgreSQL then writes whole into the WAL of
-- the entry's commit. Keyed by the pseudonym's first 11 characters (66 bits of an HMAC: as good
-- as unique), and holding answered entries only (the only ones LS lists), the index is about half
-- the size: fewer distinct pages, fewer whole pages in the WAL. The query compares the whole
-- pseudonym too, so two records sharing a prefix never show each other's entries.
CREATE INDEX audit_by_record_prefix ON gateway.audit (left(id_hmac, 11), seq DESC)
  WHERE outcome = 'ANSWERED' AND id_hmac <> '';
DROP INDEX gateway.audit_by_record;
