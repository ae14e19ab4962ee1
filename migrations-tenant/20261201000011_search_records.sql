-- One row per search-bar query: the query as redacted (no emails, phones, keys or card numbers),
-- who asked in which role, which detector answered with which action, how long it took, and —
-- once the user says — which action they actually ran or that the suggestion was wrong. The
-- labelled set the detector is reviewed and improved with; telemetry, not maintenance data, so
-- it is not in the audit trail.

CREATE TABLE search_records (
    id              uuid        PRIMARY KEY,
    yacht_id        uuid        NOT NULL,
    user_id         uuid        NOT NULL,
    role            text        NOT NULL CHECK (role ~ '^[a-z_]{1,32}$'),
    query           text        NOT NULL CHECK (char_length(query) BETWEEN 1 AND 8000),
    detector        text        NOT NULL CHECK (detector IN ('local', 'llm', 'cache', 'fallback')),
    proposed_action text        CHECK (proposed_action ~ '^[a-z][a-z_]{0,63}$'),
    confidence      real        CHECK (confidence BETWEEN 0 AND 1),
    -- The other candidates, best first.
    alternatives    text[]      NOT NULL DEFAULT '{}' CHECK (cardinality(alternatives) <= 10),
    latency_us      bigint      NOT NULL CHECK (latency_us >= 0),
    searched_at     timestamptz NOT NULL DEFAULT now(),
    feedback        text        CHECK (feedback IN ('ran', 'wrong')),
    feedback_action text        CHECK (feedback_action ~ '^[a-z][a-z_]{0,63}$'),
    feedback_at     timestamptz,
    CHECK ((proposed_action IS NULL) = (confidence IS NULL)),
    CHECK ((feedback IS NULL) = (feedback_at IS NULL)),
    CHECK (feedback IS NOT NULL OR feedback_action IS NULL),
    CHECK (feedback IS DISTINCT FROM 'ran' OR feedback_action IS NOT NULL)
);
CREATE INDEX search_records_recent_idx ON search_records (yacht_id, searched_at DESC);
CREATE INDEX search_records_labelled_idx ON search_records (yacht_id, feedback_at) WHERE feedback IS NOT NULL;
ALTER TABLE search_records ENABLE ROW LEVEL SECURITY;
CREATE POLICY search_records_yacht_isolation ON search_records
    USING (yacht_id = app_yacht_id()) WITH CHECK (yacht_id = app_yacht_id());
-- The search itself is never rewritten; only the user's verdict on it is recorded later.
REVOKE UPDATE, DELETE, TRUNCATE ON search_records FROM pms_tenant_app;
GRANT UPDATE (feedback, feedback_action, feedback_at) ON search_records TO pms_tenant_app;
