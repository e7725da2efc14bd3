-- Several gateway nodes share this database (DESIGN §7). What makes one request's handling
-- happen once across them:

-- A recovery scan claims the unanswered requests it decides, for a lease, so that two nodes'
-- scans never take the same request at once (PostgresRequestStore.CLAIM_UNANSWERED). Nullable,
-- no default: adding them rewrites nothing, and a live accept writes neither.
ALTER TABLE gateway.request
  ADD COLUMN claimed_by    text,
  ADD COLUMN claimed_until timestamptz;

-- A mismatch is recorded once per request: a request decided a second time (a recovery racing a
-- stalled node) adds no second row, so it cannot lock a number out early.
ALTER TABLE gateway.mismatch ADD COLUMN request_id bigint;
CREATE UNIQUE INDEX mismatch_once ON gateway.mismatch (request_id);

-- The node that decided a request, in its audit entry (part of the hashed fields when not empty).
ALTER TABLE gateway.audit ADD COLUMN node_id text NOT NULL DEFAULT '';

-- The audit keys every node must share: their ids and a keyed hash of a constant under each,
-- recorded by the first node (or `tracuu keys init`); a node whose keys differ refuses to start.
CREATE TABLE gateway.audit_keys (
  only_row      boolean     PRIMARY KEY DEFAULT true CHECK (only_row),
  msisdn_key_id text        NOT NULL,
  id_key_id     text        NOT NULL,
  fingerprint   text        NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now()
);

-- Retransmissions of one message (same operator, channel, sender pseudonym, short code and
-- text), seen by any node within the duplicate window, map to the first request. Keyed by an
-- HMAC of those fields: no number or text in clear. Rows past `until` are replaced in place or
-- removed by housekeeping, so the table holds about a window's worth of traffic.
CREATE TABLE gateway.retransmission (
  fingerprint text        PRIMARY KEY,
  request_id  bigint      NOT NULL,
  until       timestamptz NOT NULL
) WITH (fillfactor = 80);

GRANT SELECT ON gateway.audit_keys TO tracuu_gateway;
GRANT SELECT, INSERT, UPDATE, DELETE ON gateway.retransmission TO tracuu_gateway;
