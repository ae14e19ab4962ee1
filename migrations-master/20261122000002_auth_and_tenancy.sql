-- Users, yachts (tenants), memberships, invitations, refresh tokens, login throttling, auth events
-- and the audit trail of member management.

CREATE TABLE users (
    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    -- Stored lowercased, so the unique index is case-insensitive by construction.
    email             text        NOT NULL UNIQUE
                                  CHECK (email = lower(email) AND email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'
                                         AND length(email) <= 254),
    display_name      text        NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 100),
    password_hash     text,
    status            text        NOT NULL DEFAULT 'active' CHECK (status IN ('invited', 'active', 'disabled')),
    is_platform_admin boolean     NOT NULL DEFAULT false,
    -- `sub` of an external identity provider (Supabase Auth), when linked.
    external_subject  text        UNIQUE,
    last_login_at     timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    -- An active account can always authenticate somehow.
    CHECK (status <> 'active' OR password_hash IS NOT NULL OR external_subject IS NOT NULL)
);
CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE yachts (
    id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name               text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    imo_number         text        UNIQUE CHECK (imo_number ~ '^[0-9]{7}$'),
    flag_state         text        CHECK (length(flag_state) BETWEEN 2 AND 60),
    status             text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    tenant_database_id uuid        NOT NULL REFERENCES tenant_databases (id),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX yachts_tenant_database_idx ON yachts (tenant_database_id);
CREATE TRIGGER yachts_set_updated_at BEFORE UPDATE ON yachts
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE memberships (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    yacht_id   uuid        NOT NULL REFERENCES yachts (id) ON DELETE CASCADE,
    role       text        NOT NULL CHECK (role IN ('crew', 'engineer', 'eto', 'chief_engineer',
                                                    'chief_officer', 'captain', 'manager', 'admin')),
    status     text        NOT NULL DEFAULT 'active' CHECK (status IN ('invited', 'active', 'suspended')),
    invited_by uuid        REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, yacht_id)
);
CREATE INDEX memberships_yacht_idx ON memberships (yacht_id, status);
CREATE TRIGGER memberships_set_updated_at BEFORE UPDATE ON memberships
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- One-time invite tokens; only their SHA-256 is stored.
CREATE TABLE invitations (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    membership_id uuid        NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
    token_hash    bytea       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    expires_at    timestamptz NOT NULL,
    accepted_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invitations_membership_idx ON invitations (membership_id);

-- Opaque refresh tokens, rotated on every use. A token used twice reveals theft: its whole
-- family is revoked.
CREATE TABLE refresh_tokens (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id      uuid        NOT NULL,
    token_hash     bytea       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    expires_at     timestamptz NOT NULL,
    rotated_at     timestamptz,
    revoked_at     timestamptz,
    revoked_reason text        CHECK (revoked_reason IN ('logout', 'reuse_detected', 'account_disabled')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

-- Failed logins per email address, whether or not an account exists, so throttling reveals
-- nothing about which addresses are registered.
CREATE TABLE login_throttles (
    email           text        PRIMARY KEY,
    failures        integer     NOT NULL CHECK (failures >= 0),
    last_failure_at timestamptz NOT NULL,
    locked_until    timestamptz
);

CREATE TABLE auth_events (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       text        NOT NULL CHECK (kind IN ('login_succeeded', 'login_failed', 'login_throttled',
                                                    'refresh', 'refresh_reuse_detected', 'logout',
                                                    'invite_accepted')),
    user_id    uuid        REFERENCES users (id) ON DELETE SET NULL,
    email      text,
    ip         inet,
    user_agent text        CHECK (length(user_agent) <= 512),
    request_id text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_events_user_idx ON auth_events (user_id, created_at);
CREATE INDEX auth_events_email_idx ON auth_events (email, created_at);

-- Every change to a yacht's members or to a yacht itself, written in the same transaction.
CREATE TABLE admin_audit_log (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_user_id  uuid        REFERENCES users (id) ON DELETE SET NULL,
    yacht_id       uuid        REFERENCES yachts (id),
    action         text        NOT NULL,
    target_user_id uuid        REFERENCES users (id) ON DELETE SET NULL,
    before         jsonb,
    after          jsonb,
    request_id     text,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX admin_audit_log_yacht_idx ON admin_audit_log (yacht_id, created_at);
