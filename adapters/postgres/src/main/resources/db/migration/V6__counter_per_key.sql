-- One row per limit counter, its window restarted in place when the next one begins, instead of
-- one row per counter and window: the table stays the size of the keys in use, and a count is an
-- update of a row whose indexed key does not change (a HOT update, no new index entry) rather
-- than an insert into an ever-growing index. Each key keeps the count of its latest window.
CREATE TABLE gateway.counter_per_key (
  key          text        PRIMARY KEY,
  window_start timestamptz NOT NULL,
  count        int         NOT NULL
) WITH (fillfactor = 80);  -- room on each page for the updated row versions

INSERT INTO gateway.counter_per_key (key, window_start, count)
  SELECT DISTINCT ON (key) key, window_start, count FROM gateway.counter ORDER BY key, window_start DESC;

DROP TABLE gateway.counter;
ALTER TABLE gateway.counter_per_key RENAME TO counter;
ALTER INDEX gateway.counter_per_key_pkey RENAME TO counter_pkey;
GRANT SELECT, INSERT, UPDATE, DELETE ON gateway.counter TO tracuu_gateway;
