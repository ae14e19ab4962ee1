-- One row per micro-action execution: what ran, for whom, how long it took and how it ended.
-- Append-only for the application, like the audit log; mutations' row shares their transaction.

CREATE TABLE action_executions (
    id          uuid        PRIMARY KEY,
    yacht_id    uuid        NOT NULL,
    action      text        NOT NULL CHECK (action ~ '^[a-z][a-z_]{0,63}$'),
    user_id     uuid        NOT NULL,
    outcome     text        NOT NULL CHECK (outcome IN ('success', 'refused', 'failed')),
    -- The problem code when the execution did not succeed (`forbidden`, `validation_failed`…).
    error_code  text        CHECK (length(error_code) <= 64),
    status      smallint    NOT NULL CHECK (status BETWEEN 100 AND 599),
    duration_us bigint      NOT NULL CHECK (duration_us >= 0),
    request_id  text        CHECK (length(request_id) <= 128),
    started_at  timestamptz NOT NULL,
    CHECK ((outcome = 'success') = (error_code IS NULL))
);
CREATE INDEX action_executions_recent_idx ON action_executions (yacht_id, started_at DESC);
CREATE INDEX action_executions_action_idx ON action_executions (yacht_id, action, started_at DESC);
ALTER TABLE action_executions ENABLE ROW LEVEL SECURITY;
CREATE POLICY action_executions_yacht_isolation ON action_executions
    USING (yacht_id = app_yacht_id()) WITH CHECK (yacht_id = app_yacht_id());
REVOKE UPDATE, DELETE, TRUNCATE ON action_executions FROM pms_tenant_app;
