-- Instances cache who may reach which yacht (the account's status, the membership, the yacht's
-- status and where its data lives). Every change to a row that answers that question tells them,
-- on the `access_changed` channel, to forget what they cached. Notifications are sent at commit
-- and folded into one per transaction.

CREATE FUNCTION notify_access_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('access_changed', '');
    RETURN NULL;
END
$$;

-- A sign-in stamps last_login_at: only a change of status changes access.
CREATE TRIGGER users_access_changed
    AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF status ON users
    FOR EACH STATEMENT EXECUTE FUNCTION notify_access_changed();

CREATE TRIGGER memberships_access_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON memberships
    FOR EACH STATEMENT EXECUTE FUNCTION notify_access_changed();

CREATE TRIGGER yachts_access_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON yachts
    FOR EACH STATEMENT EXECUTE FUNCTION notify_access_changed();

CREATE TRIGGER tenant_databases_access_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tenant_databases
    FOR EACH STATEMENT EXECUTE FUNCTION notify_access_changed();
