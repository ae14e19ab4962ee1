-- The tamper-evident audit trail, idempotency keys, and equipment running hours.

-- Audit trail ---------------------------------------------------------------------------------
-- Each yacht's entries form a hash chain: hash = sha256(prev_hash || payload). Editing an entry
-- breaks its own hash, deleting one breaks the next entry's prev_hash, and the head row catches a
-- truncated tail. The tenant role may only append.

CREATE TABLE audit_chain_heads (
    yacht_id  uuid   PRIMARY KEY,
    last_seq  bigint NOT NULL CHECK (last_seq >= 0),
    last_hash bytea  NOT NULL CHECK (length(last_hash) = 32)
);

CREATE TABLE audit_log (
    yacht_id    uuid        NOT NULL,
    seq         bigint      NOT NULL CHECK (seq > 0),
    occurred_at timestamptz NOT NULL,
    user_id     uuid,
    action      text        NOT NULL CHECK (action ~ '^[a-z_]+\.[a-z_]+$'),
    entity_type text        NOT NULL CHECK (entity_type ~ '^[a-z_]+$'),
    entity_id   uuid,
    before      jsonb,
    after       jsonb,
    request_id  text,
    prev_hash   bytea       NOT NULL CHECK (length(prev_hash) = 32),
    hash        bytea       NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (yacht_id, seq)
);
CREATE INDEX audit_log_entity_idx ON audit_log (yacht_id, entity_type, entity_id, seq);
CREATE INDEX audit_log_user_idx ON audit_log (yacht_id, user_id, seq);
CREATE INDEX audit_log_time_idx ON audit_log (yacht_id, occurred_at);

-- The bytes an entry's hash covers. Time as integer microseconds: a timestamptz's text form
-- depends on the session's TimeZone, and the hash must not.
CREATE FUNCTION audit_payload(e audit_log) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
    SELECT convert_to(jsonb_build_array(
        e.yacht_id, e.seq, (extract(epoch FROM e.occurred_at) * 1000000)::bigint, e.user_id, e.action,
        e.entity_type, e.entity_id, e.before, e.after, e.request_id
    )::text, 'UTF8')
$$;

-- Appends one entry to the current yacht's chain. The head row's lock orders concurrent
-- appends; call it last in a transaction so the lock is held briefly.
CREATE FUNCTION audit_append(
    p_user uuid, p_action text, p_entity_type text, p_entity_id uuid,
    p_before jsonb, p_after jsonb, p_request_id text
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    yacht uuid := app_yacht_id();
    head  audit_chain_heads;
    entry audit_log;
BEGIN
    IF yacht IS NULL THEN
        RAISE EXCEPTION 'app.yacht_id is not set' USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO audit_chain_heads (yacht_id, last_seq, last_hash)
        VALUES (yacht, 0, '\x0000000000000000000000000000000000000000000000000000000000000000')
        ON CONFLICT (yacht_id) DO NOTHING;
    SELECT * INTO head FROM audit_chain_heads WHERE yacht_id = yacht FOR UPDATE;
    entry := ROW(yacht, head.last_seq + 1, clock_timestamp(), p_user, p_action, p_entity_type,
                 p_entity_id, p_before, p_after, p_request_id, head.last_hash, NULL);
    entry.hash := sha256(entry.prev_hash || audit_payload(entry));
    INSERT INTO audit_log VALUES (entry.*);
    UPDATE audit_chain_heads SET last_seq = entry.seq, last_hash = entry.hash WHERE yacht_id = yacht;
    RETURN entry.seq;
END
$$;

ALTER TABLE audit_chain_heads ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_chain_heads_yacht_isolation ON audit_chain_heads
    USING (yacht_id = app_yacht_id()) WITH CHECK (yacht_id = app_yacht_id());
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_log_yacht_isolation ON audit_log
    USING (yacht_id = app_yacht_id()) WITH CHECK (yacht_id = app_yacht_id());
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM pms_tenant_app;
REVOKE DELETE, TRUNCATE ON audit_chain_heads FROM pms_tenant_app;

-- Idempotency keys ----------------------------------------------------------------------------
-- Stored in the same transaction as the change they guard, with the response to replay.

CREATE TABLE idempotency_keys (
    yacht_id        uuid        NOT NULL,
    user_id         uuid        NOT NULL,
    key             text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash    bytea       NOT NULL CHECK (length(request_hash) = 32),
    response_status smallint    NOT NULL CHECK (response_status BETWEEN 200 AND 299),
    response_body   jsonb,
    response_etag   text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (yacht_id, user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY idempotency_keys_yacht_isolation ON idempotency_keys
    USING (yacht_id = app_yacht_id()) WITH CHECK (yacht_id = app_yacht_id());

-- Running hours -------------------------------------------------------------------------------
-- Meter readings are append-only; equipment.running_hours caches the latest, written in the same
-- transaction. A reading below the previous one is only accepted as an explicit counter reset.

ALTER TABLE equipment
    ADD COLUMN running_hours    numeric(10, 1) CHECK (running_hours >= 0),
    ADD COLUMN running_hours_at timestamptz,
    ADD CONSTRAINT equipment_running_hours_pair CHECK ((running_hours IS NULL) = (running_hours_at IS NULL));

CREATE TABLE running_hours_readings (
    id           uuid           PRIMARY KEY DEFAULT gen_random_uuid(),
    yacht_id     uuid           NOT NULL,
    equipment_id uuid           NOT NULL,
    hours        numeric(10, 1) NOT NULL CHECK (hours >= 0),
    read_at      timestamptz    NOT NULL,
    is_reset     boolean        NOT NULL DEFAULT false,
    note         text           CHECK (length(note) <= 500),
    recorded_by  uuid           NOT NULL,
    created_at   timestamptz    NOT NULL DEFAULT now(),
    FOREIGN KEY (yacht_id, equipment_id) REFERENCES equipment (yacht_id, id)
);
CREATE INDEX running_hours_readings_equipment_idx ON running_hours_readings (yacht_id, equipment_id, read_at DESC);
ALTER TABLE running_hours_readings ENABLE ROW LEVEL SECURITY;
CREATE POLICY running_hours_readings_yacht_isolation ON running_hours_readings
    USING (yacht_id = app_yacht_id()) WITH CHECK (yacht_id = app_yacht_id());
REVOKE UPDATE, DELETE, TRUNCATE ON running_hours_readings FROM pms_tenant_app;

-- Search over equipment: trigram for typos and partial codes, full text for words.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
ALTER TABLE equipment ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', coalesce(code, '') || ' ' || coalesce(name, '') || ' ' || coalesce(system, '') || ' '
        || coalesce(manufacturer, '') || ' ' || coalesce(model, ''))
) STORED;
CREATE INDEX equipment_search_idx ON equipment USING gin (search);
CREATE INDEX equipment_name_trgm_idx ON equipment USING gin (name gin_trgm_ops);
CREATE INDEX equipment_code_trgm_idx ON equipment USING gin (code gin_trgm_ops);
CREATE INDEX equipment_list_idx ON equipment (yacht_id, status, criticality);
