-- Notes on equipment, faults and work orders, and the crew-change handover list. Both are
-- append-only records.

CREATE TABLE notes (
    id           uuid        PRIMARY KEY,
    yacht_id     uuid        NOT NULL,
    subject_type text        NOT NULL CHECK (subject_type IN ('equipment', 'fault', 'work_order')),
    subject_id   uuid        NOT NULL,
    body         text        NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 5000),
    author_id    uuid        NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX notes_subject_idx ON notes (yacht_id, subject_type, subject_id, created_at DESC, id DESC);

CREATE TABLE handover_items (
    id           uuid        PRIMARY KEY,
    yacht_id     uuid        NOT NULL,
    subject_type text        CHECK (subject_type IN ('equipment', 'fault', 'work_order')),
    subject_id   uuid,
    summary      text        NOT NULL CHECK (length(btrim(summary)) BETWEEN 1 AND 2000),
    category     text        NOT NULL CHECK (category IN ('urgent', 'in_progress', 'completed', 'watch', 'fyi')),
    author_id    uuid        NOT NULL,
    created_at   timestamptz NOT NULL,
    CHECK ((subject_type IS NULL) = (subject_id IS NULL))
);
CREATE INDEX handover_items_created_idx ON handover_items (yacht_id, created_at DESC, id DESC);

ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_yacht_isolation ON notes USING (yacht_id = app_yacht_id()) WITH CHECK (yacht_id = app_yacht_id());
ALTER TABLE handover_items ENABLE ROW LEVEL SECURITY;
CREATE POLICY handover_items_yacht_isolation ON handover_items
    USING (yacht_id = app_yacht_id()) WITH CHECK (yacht_id = app_yacht_id());
REVOKE UPDATE, DELETE, TRUNCATE ON notes, handover_items FROM pms_tenant_app;
