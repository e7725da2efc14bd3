-- The foreign key from a reply to its request ran a query of its own and locked the request row
-- for every reply stored, in the statement that already updates that row. The reply statement now
-- stores a reply only for a request it finds (PostgresRequestStore), and requests are never deleted.
ALTER TABLE gateway.reply DROP CONSTRAINT reply_request_id_fkey;
