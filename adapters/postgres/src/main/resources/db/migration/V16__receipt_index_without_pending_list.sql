-- A receipt finds its reply through this GIN index (PostgresRequestStore.RECEIPT). With GIN's
-- fast update on, new message ids wait in a pending list that every search reads whole until a
-- vacuum merges it: bound out at 500 texts/s with a receipt per segment, a receipt's statement
-- read 76 buffers and took 1.36 ms, 80 % of PostgreSQL's time (pg_stat_statements). Off, each
-- sent mark puts its ids in the index at once (0.15 ms then, 0.14 ms now) and a receipt reads 8
-- buffers in 0.11 ms. The pending list left from before is merged now.
ALTER INDEX gateway.reply_message_ids SET (fastupdate = off);
SELECT gin_clean_pending_list('gateway.reply_message_ids'::regclass);
