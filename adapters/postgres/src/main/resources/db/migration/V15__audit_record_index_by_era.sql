-- LS's index (V14) took every new entry at a random place: the record's pseudonym. Over 180 days
-- of a busy service (20 million entries) it outgrew what one checkpoint interval touches, so
-- nearly every entry dirtied an index page not yet written since the last checkpoint, which
-- PostgreSQL then logs whole in the entry's commit, and read it from outside the buffer cache:
-- the audit cost more the longer it ran. This index leads with the entry's era (seq >> 20: a
-- block of 1,048,576 consecutive entries, about nine days of a busy service), so new entries go
-- only into the current era's part, as small on day 180 as on day 1, like a table partitioned by
-- time without partitions to create or drop. LS reads each era still kept, newest first
-- (PostgresAuditLog.RECENT): one index descent per era, about 20 in 180 days.
CREATE INDEX audit_by_era_and_record ON gateway.audit ((seq >> 20), left(id_hmac, 11), seq DESC)
  WHERE outcome = 'ANSWERED' AND id_hmac <> '';
DROP INDEX gateway.audit_by_record_prefix;
