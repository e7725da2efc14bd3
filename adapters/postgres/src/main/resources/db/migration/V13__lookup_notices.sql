-- A lookup notice (DESIGN §5, docs/data-inventory.md): an outbox row that answers no request; it
-- tells another number bound to a record that the record was looked up. Its id comes from the
-- requests' sequence, so it never meets a request's reply; retention removes it by its age.
ALTER TABLE gateway.reply ADD COLUMN notice boolean NOT NULL DEFAULT false;
CREATE INDEX reply_notice ON gateway.reply (created_at) WHERE notice;
