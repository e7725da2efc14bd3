-- The verified-subscriber registry, as the operators report it (DESIGN §6).
CREATE SCHEMA subscribers;

CREATE TABLE subscribers.subscriber (
  msisdn         text        PRIMARY KEY CHECK (msisdn ~ '^84[35789][0-9]{8}$'),
  personal_id    char(12)    NOT NULL,
  operator_id    text        NOT NULL,
  status         text        NOT NULL CHECK (status IN ('verified', 'unverified', 'suspended')),
  verified_at    timestamptz,
  sim_changed_at timestamptz
);

CREATE INDEX subscriber_personal_id ON subscribers.subscriber (personal_id);
