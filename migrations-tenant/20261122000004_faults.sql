-- The domain stamps updated_at with its own clock; the trigger now only fills it in for a statement
-- that leaves it unchanged, instead of overwriting the stamped value.
CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END
$$;

-- Faults: reported by anyone aboard, handled through open → acknowledged → in_progress → resolved
-- (or false_alarm), reopenable.

CREATE TABLE faults (
    id              uuid        PRIMARY KEY,
    yacht_id        uuid        NOT NULL,
    equipment_id    uuid,
    code            text        CHECK (code ~ '^[A-Z0-9./_:-]([A-Z0-9 ./_:-]{0,38}[A-Z0-9./_:-])?$'),
    title           text        NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    description     text        CHECK (length(description) <= 5000),
    severity        text        NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    status          text        NOT NULL DEFAULT 'open'
                                CHECK (status IN ('open', 'acknowledged', 'in_progress', 'resolved', 'false_alarm')),
    reported_by     uuid        NOT NULL,
    acknowledged_by uuid,
    acknowledged_at timestamptz,
    closed_by       uuid,
    closed_at       timestamptz,
    resolution      text        CHECK (length(resolution) <= 5000),
    work_order_id   uuid,
    version         integer     NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    search          tsvector    GENERATED ALWAYS AS (
        to_tsvector('simple', coalesce(code, '') || ' ' || title || ' ' || coalesce(description, ''))
    ) STORED,
    UNIQUE (yacht_id, id),
    FOREIGN KEY (yacht_id, equipment_id) REFERENCES equipment (yacht_id, id),
    CHECK ((acknowledged_by IS NULL) = (acknowledged_at IS NULL)),
    CHECK ((closed_by IS NULL) = (closed_at IS NULL)),
    -- Closed exactly when resolved or a false alarm.
    CHECK ((status IN ('resolved', 'false_alarm')) = (closed_at IS NOT NULL))
);
CREATE INDEX faults_status_idx ON faults (yacht_id, status, severity, created_at DESC);
CREATE INDEX faults_equipment_idx ON faults (yacht_id, equipment_id, created_at DESC);
CREATE INDEX faults_code_idx ON faults (yacht_id, code);
CREATE INDEX faults_search_idx ON faults USING gin (search);
CREATE INDEX faults_title_trgm_idx ON faults USING gin (title gin_trgm_ops);
CREATE TRIGGER faults_set_updated_at BEFORE UPDATE ON faults
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

ALTER TABLE faults ENABLE ROW LEVEL SECURITY;
CREATE POLICY faults_yacht_isolation ON faults
    USING (yacht_id = app_yacht_id()) WITH CHECK (yacht_id = app_yacht_id());
