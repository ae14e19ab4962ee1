-- Spare parts and their stock ledger. on_hand is a cache of the ledger, written in the same
-- transaction as each movement, and can never go negative.

CREATE TABLE parts (
    id               uuid           PRIMARY KEY,
    yacht_id         uuid           NOT NULL,
    number           text           NOT NULL CHECK (number ~ '^[A-Z0-9 ./_#+-]{1,60}$' AND number = btrim(number)),
    name             text           NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    manufacturer     text           CHECK (length(manufacturer) <= 100),
    unit             text           NOT NULL CHECK (length(btrim(unit)) BETWEEN 1 AND 20),
    location         text           CHECK (length(location) <= 200),
    barcode          text           CHECK (length(barcode) <= 100),
    minimum_quantity numeric(15, 3) NOT NULL DEFAULT 0 CHECK (minimum_quantity >= 0),
    reorder_quantity numeric(15, 3) NOT NULL DEFAULT 0 CHECK (reorder_quantity >= 0),
    on_hand          numeric(15, 3) NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
    version          integer        NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at       timestamptz    NOT NULL,
    updated_at       timestamptz    NOT NULL,
    search           tsvector       GENERATED ALWAYS AS (
        to_tsvector('simple', number || ' ' || name || ' ' || coalesce(manufacturer, '') || ' ' || coalesce(barcode, ''))
    ) STORED,
    UNIQUE (yacht_id, id),
    UNIQUE (yacht_id, number)
);
CREATE UNIQUE INDEX parts_barcode_idx ON parts (yacht_id, barcode) WHERE barcode IS NOT NULL;
CREATE INDEX parts_low_stock_idx ON parts (yacht_id) WHERE on_hand <= minimum_quantity AND minimum_quantity > 0;
CREATE INDEX parts_search_idx ON parts USING gin (search);
CREATE INDEX parts_name_trgm_idx ON parts USING gin (name gin_trgm_ops);
CREATE INDEX parts_number_trgm_idx ON parts USING gin (number gin_trgm_ops);
CREATE TRIGGER parts_set_updated_at BEFORE UPDATE ON parts
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE stock_movements (
    id            uuid           PRIMARY KEY,
    yacht_id      uuid           NOT NULL,
    part_id       uuid           NOT NULL,
    kind          text           NOT NULL CHECK (kind IN ('receive', 'consume', 'adjust', 'return')),
    delta         numeric(15, 3) NOT NULL,
    on_hand_after numeric(15, 3) NOT NULL CHECK (on_hand_after >= 0),
    work_order_id uuid,
    note          text           CHECK (length(note) <= 500),
    user_id       uuid           NOT NULL,
    at            timestamptz    NOT NULL,
    FOREIGN KEY (yacht_id, part_id) REFERENCES parts (yacht_id, id),
    FOREIGN KEY (yacht_id, work_order_id) REFERENCES work_orders (yacht_id, id),
    -- Receipts and returns add, consumption removes; an adjustment goes either way.
    CHECK (kind = 'adjust' OR (kind IN ('receive', 'return') AND delta > 0) OR (kind = 'consume' AND delta < 0)),
    CHECK (work_order_id IS NULL OR kind IN ('consume', 'return'))
);
CREATE INDEX stock_movements_part_idx ON stock_movements (yacht_id, part_id, at DESC, id DESC);
CREATE INDEX stock_movements_work_order_idx ON stock_movements (yacht_id, work_order_id) WHERE work_order_id IS NOT NULL;

ALTER TABLE parts ENABLE ROW LEVEL SECURITY;
CREATE POLICY parts_yacht_isolation ON parts USING (yacht_id = app_yacht_id()) WITH CHECK (yacht_id = app_yacht_id());
ALTER TABLE stock_movements ENABLE ROW LEVEL SECURITY;
CREATE POLICY stock_movements_yacht_isolation ON stock_movements
    USING (yacht_id = app_yacht_id()) WITH CHECK (yacht_id = app_yacht_id());
-- The ledger is append-only.
REVOKE UPDATE, DELETE, TRUNCATE ON stock_movements FROM pms_tenant_app;
