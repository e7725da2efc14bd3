-- The audit hash chain's one definition. Every statement that appends to gateway.audit computes
-- an entry's canonical text and its link through these two functions; the independent verifier
-- (vn.tracuu.postgres.audit.AuditChain) recomputes them in Java and is held to them by
-- AuditChainFunctionTest's vectors. Changing either breaks every stored chain: never redefine
-- them, add a new version beside them.

-- The entry's fields in a fixed order joined by U+001F; the deciding node's id last, only when
-- there is one (entries written before nodes were named keep their form). Only immutable
-- operators, so the planner inlines it.
CREATE FUNCTION gateway.audit_canonical(
    request_id int8, at_micros int8, operator_id text, bind_id text, channel text, command text,
    topic text, outcome text, reason text, latency_ms int8, msisdn_hmac text, msisdn_key_id text,
    id_hmac text, id_key_id text, node_id text)
RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT request_id::text || chr(31) || at_micros::text || chr(31) || operator_id || chr(31)
        || bind_id || chr(31) || channel || chr(31) || command || chr(31) || topic || chr(31)
        || outcome || chr(31) || reason || chr(31) || latency_ms::text || chr(31) || msisdn_hmac
        || chr(31) || msisdn_key_id || chr(31) || id_hmac || chr(31) || id_key_id
        || CASE WHEN node_id = '' THEN '' ELSE chr(31) || node_id END
$$;

-- A link: sha256(previous hash || seq as 8 octets, big-endian || canonical text in UTF-8).
CREATE FUNCTION gateway.audit_link(previous bytea, seq int8, canonical text)
RETURNS bytea LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
    SELECT sha256(previous || int8send(seq) || convert_to(canonical, 'UTF8'))
$$;

GRANT EXECUTE ON FUNCTION gateway.audit_canonical(int8, int8, text, text, text, text, text, text, text, int8, text, text,
    text, text, text) TO tracuu_gateway;
GRANT EXECUTE ON FUNCTION gateway.audit_link(bytea, int8, text) TO tracuu_gateway;
