-- The gateway's own state: accepted requests and the outbox of replies.
CREATE SCHEMA gateway;

CREATE TABLE gateway.request (
  id           bigserial   PRIMARY KEY,
  operator_id  text        NOT NULL,
  channel      text        NOT NULL CHECK (channel IN ('SMS', 'USSD')),
  msisdn       text        NOT NULL,
  short_code   text        NOT NULL,
  message_text text        NOT NULL,
  received_at  timestamptz NOT NULL,
  answered     boolean     NOT NULL DEFAULT false
);

CREATE INDEX request_unanswered ON gateway.request (received_at) WHERE NOT answered;

-- One reply per request (the primary key makes a second one impossible). A claimed reply is
-- leased by moving due_at forward; body is cleared once the reply is sent or expired.
CREATE TABLE gateway.reply (
  request_id  bigint      PRIMARY KEY REFERENCES gateway.request (id),
  operator_id text        NOT NULL,
  msisdn      text        NOT NULL,
  short_code  text        NOT NULL,
  body        text,
  state       text        NOT NULL CHECK (state IN ('pending', 'sent', 'expired')),
  attempts    int         NOT NULL DEFAULT 0,
  due_at      timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  sent_at     timestamptz
);

CREATE INDEX reply_due ON gateway.reply (operator_id, due_at) WHERE state = 'pending';
