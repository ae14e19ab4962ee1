-- Planned-maintenance schedules: every N days and/or N running hours, whichever comes first,
-- counted from when the work was last done. The scheduler turns a due schedule into a work order;
-- at most one of a schedule's work orders is open at a time.

CREATE TABLE schedules (
    id                uuid           PRIMARY KEY,
    yacht_id          uuid           NOT NULL,
    equipment_id      uuid           NOT NULL,
    title             text           NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    description       text           CHECK (length(description) <= 5000),
    priority          text           NOT NULL CHECK (priority IN ('routine', 'important', 'critical', 'emergency')),
    every_days        integer        CHECK (every_days BETWEEN 1 AND 3650),
    every_hours       numeric(10, 1) CHECK (every_hours > 0 AND every_hours <= 100000),
    last_done_on      date           NOT NULL,
    last_done_hours   numeric(10, 1) CHECK (last_done_hours >= 0),
    lead_days         integer        NOT NULL CHECK (lead_days BETWEEN 0 AND 365),
    lead_hours        numeric(10, 1) NOT NULL CHECK (lead_hours >= 0 AND lead_hours <= 10000),
    -- Derived from the interval and the last time it was done; stored to filter and sort lists.
    next_due_on       date,
    next_due_hours    numeric(10, 1),
    active            boolean        NOT NULL DEFAULT true,
    created_by        uuid           NOT NULL,
    version           integer        NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at        timestamptz    NOT NULL,
    updated_at        timestamptz    NOT NULL,
    search            tsvector       GENERATED ALWAYS AS (
        to_tsvector('simple', title || ' ' || coalesce(description, ''))
    ) STORED,
    UNIQUE (yacht_id, id),
    FOREIGN KEY (yacht_id, equipment_id) REFERENCES equipment (yacht_id, id),
    CHECK (every_days IS NOT NULL OR every_hours IS NOT NULL),
    CHECK ((every_days IS NULL) = (next_due_on IS NULL)),
    CHECK (next_due_hours IS NULL OR every_hours IS NOT NULL)
);
CREATE INDEX schedules_equipment_idx ON schedules (yacht_id, equipment_id) WHERE active;
CREATE INDEX schedules_next_due_idx ON schedules (yacht_id, next_due_on, id);
CREATE INDEX schedules_search_idx ON schedules USING gin (search);
CREATE INDEX schedules_title_trgm_idx ON schedules USING gin (title gin_trgm_ops);
CREATE TRIGGER schedules_set_updated_at BEFORE UPDATE ON schedules
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE schedules ENABLE ROW LEVEL SECURITY;
CREATE POLICY schedules_yacht_isolation ON schedules
    USING (yacht_id = app_yacht_id()) WITH CHECK (yacht_id = app_yacht_id());

ALTER TABLE work_orders ADD COLUMN schedule_id uuid;
ALTER TABLE work_orders ADD CONSTRAINT work_orders_schedule_fk
    FOREIGN KEY (yacht_id, schedule_id) REFERENCES schedules (yacht_id, id);
ALTER TABLE work_orders ADD CONSTRAINT work_orders_schedule_kind
    CHECK (schedule_id IS NULL OR kind = 'scheduled');
-- One open work order per schedule: two scheduler runs racing cannot both plan the same work.
CREATE UNIQUE INDEX work_orders_one_open_per_schedule ON work_orders (yacht_id, schedule_id)
    WHERE schedule_id IS NOT NULL AND status IN ('planned', 'in_progress', 'deferred');
