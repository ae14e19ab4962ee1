-- Purchase requests: requested → approved/rejected → ordered → received.

CREATE TABLE purchase_requests (
    id            uuid           PRIMARY KEY,
    yacht_id      uuid           NOT NULL,
    part_id       uuid           NOT NULL,
    quantity      numeric(15, 3) NOT NULL CHECK (quantity > 0),
    reason        text           CHECK (length(reason) <= 1000),
    status        text           NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'ordered', 'received')),
    requested_by  uuid           NOT NULL,
    decided_by    uuid,
    decided_at    timestamptz,
    decision_note text           CHECK (length(decision_note) <= 1000),
    ordered_at    timestamptz,
    received_at   timestamptz,
    version       integer        NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at    timestamptz    NOT NULL,
    updated_at    timestamptz    NOT NULL,
    FOREIGN KEY (yacht_id, part_id) REFERENCES parts (yacht_id, id),
    CHECK ((decided_by IS NULL) = (decided_at IS NULL)),
    CHECK ((status = 'requested') = (decided_at IS NULL)),
    CHECK ((status IN ('ordered', 'received')) = (ordered_at IS NOT NULL)),
    CHECK ((status = 'received') = (received_at IS NOT NULL))
);
CREATE INDEX purchase_requests_status_idx ON purchase_requests (yacht_id, status, created_at DESC);
CREATE TRIGGER purchase_requests_set_updated_at BEFORE UPDATE ON purchase_requests
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE purchase_requests ENABLE ROW LEVEL SECURITY;
CREATE POLICY purchase_requests_yacht_isolation ON purchase_requests
    USING (yacht_id = app_yacht_id()) WITH CHECK (yacht_id = app_yacht_id());
