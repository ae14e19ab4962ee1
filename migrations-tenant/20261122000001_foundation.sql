-- Foundation of every tenant database: the updated_at helper the maintenance tables use.

-- Keeps updated_at truthful on every UPDATE without relying on each statement to set it.
CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
