-- Privacy policy state shared by every gateway node, and the tamper-evident audit log.

-- KHOA: a record whose SMS/USSD lookups its owner locked; only an admin unlock removes it.
-- Identifiers in policy state are HMAC pseudonyms, like in the audit.
CREATE TABLE gateway.record_lock (
  id_hmac   text        PRIMARY KEY,
  locked_at timestamptz NOT NULL DEFAULT now(),
  locked_by text        NOT NULL  -- pseudonym of the number that sent KHOA
);

-- Fixed-window counters for the per-number, per-record and per-operator limits.
CREATE TABLE gateway.counter (
  key          text        NOT NULL,
  window_start timestamptz NOT NULL,
  count        int         NOT NULL,
  PRIMARY KEY (key, window_start)
);

-- A number locked out after repeated ID mismatches, until a time: throttling, never permanent.
CREATE TABLE gateway.lockout (
  msisdn_hmac text        PRIMARY KEY,
  until       timestamptz NOT NULL
);

-- ID mismatches per number, for the "3 within 24 h" rule.
CREATE TABLE gateway.mismatch (
  msisdn_hmac text        NOT NULL,
  at          timestamptz NOT NULL
);

CREATE INDEX mismatch_by_number ON gateway.mismatch (msisdn_hmac, at);

-- The bind a request arrived on, for the audit.
ALTER TABLE gateway.request ADD COLUMN bind_id text NOT NULL DEFAULT '';

-- One entry per request, hash-chained: hash = sha256(prev_hash || canonical text of the entry).
-- No reply text and no plain identifier: MSISDN and personal ID only as keyed HMAC pseudonyms.
CREATE TABLE gateway.audit (
  seq           bigint   PRIMARY KEY,
  request_id    bigint   NOT NULL UNIQUE,
  bind_id       text     NOT NULL,
  at_micros     bigint   NOT NULL,
  operator_id   text     NOT NULL,
  channel       text     NOT NULL,
  command       text     NOT NULL,
  topic         text     NOT NULL,
  outcome       text     NOT NULL,
  reason        text     NOT NULL,
  latency_ms    int      NOT NULL,
  msisdn_hmac   text     NOT NULL,
  msisdn_key_id text     NOT NULL,
  id_hmac       text     NOT NULL,
  id_key_id     text     NOT NULL,
  prev_hash     bytea    NOT NULL,
  hash          bytea    NOT NULL
);

CREATE INDEX audit_by_record ON gateway.audit (id_hmac, seq DESC) WHERE id_hmac <> '';
CREATE INDEX audit_by_time ON gateway.audit (at_micros);

-- The chain head, locked by each append so entries get consecutive numbers in commit order.
-- After a purge it still holds the hash the first remaining entry continues from.
CREATE TABLE gateway.audit_head (
  chain       text   PRIMARY KEY,
  seq         bigint NOT NULL,
  hash        bytea  NOT NULL,
  purged_to   bigint NOT NULL DEFAULT 0,
  purged_hash bytea  NOT NULL DEFAULT '\x'::bytea
);

INSERT INTO gateway.audit_head (chain, seq, hash) VALUES ('main', 0, sha256(''::bytea));
UPDATE gateway.audit_head SET purged_hash = hash;

-- The role the gateway runs as: it may add audit entries and read them, never change them.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tracuu_gateway') THEN
    CREATE ROLE tracuu_gateway NOLOGIN;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA population, subscribers, gateway TO tracuu_gateway;
GRANT SELECT ON ALL TABLES IN SCHEMA population, subscribers TO tracuu_gateway;
GRANT SELECT, INSERT, UPDATE, DELETE ON gateway.request, gateway.reply, gateway.counter, gateway.lockout, gateway.mismatch
  TO tracuu_gateway;
GRANT SELECT, INSERT ON gateway.record_lock TO tracuu_gateway;
GRANT USAGE ON SEQUENCE gateway.request_id_seq TO tracuu_gateway;
GRANT SELECT, INSERT ON gateway.audit TO tracuu_gateway;
REVOKE UPDATE, DELETE, TRUNCATE ON gateway.audit FROM tracuu_gateway;
GRANT SELECT, UPDATE (seq, hash) ON gateway.audit_head TO tracuu_gateway;
