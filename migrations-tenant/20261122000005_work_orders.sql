-- Work orders, numbered WO-<year>-<sequence> per yacht, with their checklists and logged hours.

CREATE TABLE work_order_counters (
    yacht_id      uuid    NOT NULL,
    year          integer NOT NULL CHECK (year BETWEEN 2000 AND 9999),
    last_sequence integer NOT NULL CHECK (last_sequence > 0),
    PRIMARY KEY (yacht_id, year)
);

CREATE TABLE work_orders (
    id               uuid           PRIMARY KEY,
    yacht_id         uuid           NOT NULL,
    number_year      integer        NOT NULL CHECK (number_year BETWEEN 2000 AND 9999),
    number_sequence  integer        NOT NULL CHECK (number_sequence > 0),
    title            text           NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    description      text           CHECK (length(description) <= 5000),
    kind             text           NOT NULL CHECK (kind IN ('scheduled', 'corrective', 'unplanned', 'preventive')),
    priority         text           NOT NULL CHECK (priority IN ('routine', 'important', 'critical', 'emergency')),
    status           text           NOT NULL
                                    CHECK (status IN ('planned', 'in_progress', 'completed', 'deferred', 'cancelled')),
    equipment_id     uuid,
    fault_id         uuid,
    assignee_id      uuid,
    due_on           date,
    hours_logged     numeric(10, 1) NOT NULL DEFAULT 0 CHECK (hours_logged >= 0),
    completion_notes text           CHECK (length(completion_notes) <= 5000),
    completed_by     uuid,
    completed_at     timestamptz,
    deferred_until   date,
    status_reason    text           CHECK (length(status_reason) <= 5000),
    created_by       uuid           NOT NULL,
    version          integer        NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at       timestamptz    NOT NULL,
    updated_at       timestamptz    NOT NULL,
    search           tsvector       GENERATED ALWAYS AS (
        to_tsvector('simple', 'WO-' || number_year || '-' || lpad(number_sequence::text, 4, '0') || ' '
            || title || ' ' || coalesce(description, ''))
    ) STORED,
    UNIQUE (yacht_id, id),
    UNIQUE (yacht_id, number_year, number_sequence),
    FOREIGN KEY (yacht_id, equipment_id) REFERENCES equipment (yacht_id, id),
    FOREIGN KEY (yacht_id, fault_id) REFERENCES faults (yacht_id, id),
    CHECK ((completed_by IS NULL) = (completed_at IS NULL)),
    -- Completed exactly when it has a completion, with notes.
    CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
    CHECK (status <> 'completed' OR completion_notes IS NOT NULL),
    CHECK (status = 'deferred' OR deferred_until IS NULL)
);
CREATE INDEX work_orders_status_idx ON work_orders (yacht_id, status, priority, due_on);
CREATE INDEX work_orders_created_idx ON work_orders (yacht_id, created_at DESC, id DESC);
CREATE INDEX work_orders_equipment_idx ON work_orders (yacht_id, equipment_id);
CREATE INDEX work_orders_assignee_idx ON work_orders (yacht_id, assignee_id, status);
CREATE INDEX work_orders_fault_idx ON work_orders (yacht_id, fault_id) WHERE fault_id IS NOT NULL;
CREATE INDEX work_orders_search_idx ON work_orders USING gin (search);
CREATE INDEX work_orders_title_trgm_idx ON work_orders USING gin (title gin_trgm_ops);
CREATE TRIGGER work_orders_set_updated_at BEFORE UPDATE ON work_orders
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

ALTER TABLE faults ADD CONSTRAINT faults_work_order_fk
    FOREIGN KEY (yacht_id, work_order_id) REFERENCES work_orders (yacht_id, id);

CREATE TABLE work_order_checklist_items (
    id            uuid        PRIMARY KEY,
    yacht_id      uuid        NOT NULL,
    work_order_id uuid        NOT NULL,
    position      integer     NOT NULL CHECK (position > 0),
    text          text        NOT NULL CHECK (length(btrim(text)) BETWEEN 1 AND 500),
    done_by       uuid,
    done_at       timestamptz,
    FOREIGN KEY (yacht_id, work_order_id) REFERENCES work_orders (yacht_id, id),
    UNIQUE (work_order_id, position),
    CHECK ((done_by IS NULL) = (done_at IS NULL))
);

CREATE TABLE work_order_time_entries (
    id            uuid           PRIMARY KEY,
    yacht_id      uuid           NOT NULL,
    work_order_id uuid           NOT NULL,
    user_id       uuid           NOT NULL,
    hours         numeric(10, 1) NOT NULL CHECK (hours > 0 AND hours <= 24),
    note          text           CHECK (length(note) <= 500),
    logged_at     timestamptz    NOT NULL,
    FOREIGN KEY (yacht_id, work_order_id) REFERENCES work_orders (yacht_id, id)
);
CREATE INDEX work_order_time_entries_wo_idx ON work_order_time_entries (yacht_id, work_order_id);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['work_order_counters', 'work_orders', 'work_order_checklist_items', 'work_order_time_entries'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I USING (yacht_id = app_yacht_id()) WITH CHECK (yacht_id = app_yacht_id())',
                       t || '_yacht_isolation', t);
    END LOOP;
END
$$;
REVOKE DELETE, TRUNCATE ON work_order_time_entries FROM pms_tenant_app;
