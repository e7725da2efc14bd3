-- What the operator made of a sent reply. message_ids are the ids the operator gave its
-- segments in submit_sm_resp; its delivery receipts name them. The GIN index finds a reply by
-- any one of them.
ALTER TABLE gateway.reply
  ADD COLUMN message_ids text[]      NOT NULL DEFAULT '{}',
  ADD COLUMN delivery    text        CHECK (delivery IN ('delivered', 'undeliverable', 'expired')),
  ADD COLUMN delivery_at timestamptz;

CREATE INDEX reply_message_ids ON gateway.reply USING gin (message_ids);
