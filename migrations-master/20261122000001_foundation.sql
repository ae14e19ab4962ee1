-- Foundation of the master database: the updated_at helper and the registry of tenant databases.

-- Keeps updated_at truthful on every UPDATE without relying on each statement to set it.
CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

-- One row per tenant database. Credentials never live here: server_key names a server whose URL
-- comes from configuration.
CREATE TABLE tenant_databases (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    server_key       text        NOT NULL DEFAULT 'default'
                                 CHECK (server_key ~ '^[a-z_][a-z0-9_]{0,31}$'),
    name             text        NOT NULL
                                 CHECK (name ~ '^[a-z_][a-z0-9_]{0,62}$'),
    migration_status text        NOT NULL DEFAULT 'pending'
                                 CHECK (migration_status IN ('pending', 'migrating', 'ok', 'failed')),
    schema_version   bigint,
    last_error       text,
    last_migrated_at timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (server_key, name),
    -- A failed migration always says why; a successful one never carries a stale error.
    CHECK ((migration_status = 'failed') = (last_error IS NOT NULL))
);

CREATE TRIGGER tenant_databases_set_updated_at
    BEFORE UPDATE ON tenant_databases
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
