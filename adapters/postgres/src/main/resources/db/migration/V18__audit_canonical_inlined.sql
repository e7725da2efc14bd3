-- gateway.audit_canonical, the same text from the same fields, now inlined by the planner. V11
-- declared it STRICT, and PostgreSQL inlines a STRICT SQL function only when its body is strict
-- too, which the CASE on node_id is not: every audit append ran it through the SQL-function
-- executor, about 37 µs an entry and a planning of its body per statement (pg_stat_statements and
-- auto_explain, docs/benchmarks.md). Without STRICT the result is unchanged: each part is joined
-- by ||, which gives NULL for any NULL part, as STRICT did for any NULL argument. The link
-- function is inlined already (strict body, each argument used once).
CREATE OR REPLACE FUNCTION gateway.audit_canonical(
    request_id int8, at_micros int8, operator_id text, bind_id text, channel text, command text,
    topic text, outcome text, reason text, latency_ms int8, msisdn_hmac text, msisdn_key_id text,
    id_hmac text, id_key_id text, node_id text)
RETURNS text LANGUAGE sql IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE AS $$
    SELECT request_id::text || chr(31) || at_micros::text || chr(31) || operator_id || chr(31)
        || bind_id || chr(31) || channel || chr(31) || command || chr(31) || topic || chr(31)
        || outcome || chr(31) || reason || chr(31) || latency_ms::text || chr(31) || msisdn_hmac
        || chr(31) || msisdn_key_id || chr(31) || id_hmac || chr(31) || id_key_id
        || CASE WHEN node_id = '' THEN '' ELSE chr(31) || node_id END
$$;
