-- Row-level security foundation and the first maintenance table.
--
-- Every tenant transaction runs as pms_tenant_app, a role that owns nothing and cannot bypass
-- RLS, with app.yacht_id set; policies then confine every statement to that yacht even if a
-- query forgets its WHERE yacht_id.

-- Roles are per server: another tenant database may have created it already, or be creating it
-- right now (a concurrent CREATE ROLE fails with unique_violation rather than duplicate_object).
DO $$
BEGIN
    CREATE ROLE pms_tenant_app NOLOGIN NOINHERIT NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;
-- The migrating role must be able to SET ROLE to it.
DO $$
BEGIN
    EXECUTE format('GRANT pms_tenant_app TO %I', current_user);
EXCEPTION WHEN unique_violation THEN
    NULL; -- granted concurrently by another tenant's migration
END
$$;
GRANT USAGE ON SCHEMA public TO pms_tenant_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO pms_tenant_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO pms_tenant_app;

-- The yacht the current transaction acts for; NULL (and so no rows) when unset.
CREATE OR REPLACE FUNCTION app_yacht_id() RETURNS uuid
LANGUAGE sql STABLE AS $$
    SELECT nullif(current_setting('app.yacht_id', true), '')::uuid
$$;

CREATE TABLE equipment (
    id            uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    yacht_id      uuid          NOT NULL,
    parent_id     uuid,
    code          text          NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$'),
    name          text          NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    system        text          CHECK (length(system) <= 100),
    location      text          CHECK (length(location) <= 200),
    manufacturer  text          CHECK (length(manufacturer) <= 100),
    model         text          CHECK (length(model) <= 100),
    serial_number text          CHECK (length(serial_number) <= 100),
    criticality   text          NOT NULL DEFAULT 'medium'
                                CHECK (criticality IN ('low', 'medium', 'high', 'critical')),
    status        text          NOT NULL DEFAULT 'operational'
                                CHECK (status IN ('operational', 'degraded', 'failed', 'maintenance', 'decommissioned')),
    version       integer       NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at    timestamptz   NOT NULL DEFAULT now(),
    updated_at    timestamptz   NOT NULL DEFAULT now(),
    UNIQUE (yacht_id, id),
    UNIQUE (yacht_id, code),
    -- A parent is always equipment of the same yacht.
    FOREIGN KEY (yacht_id, parent_id) REFERENCES equipment (yacht_id, id),
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX equipment_parent_idx ON equipment (yacht_id, parent_id);
CREATE TRIGGER equipment_set_updated_at BEFORE UPDATE ON equipment
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

ALTER TABLE equipment ENABLE ROW LEVEL SECURITY;
CREATE POLICY equipment_yacht_isolation ON equipment
    USING (yacht_id = app_yacht_id())
    WITH CHECK (yacht_id = app_yacht_id());
