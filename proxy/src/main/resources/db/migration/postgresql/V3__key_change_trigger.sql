-- Tells every proxy instance's authentication cache that a key changed: each instance LISTENs on
-- tollgate_key_changes, and PostgreSQL delivers the notification when the changing transaction commits.
-- (H2's version of this migration calls a Java trigger in the hosting process.)
CREATE FUNCTION tollgate_key_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tollgate_key_changes', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE TRIGGER client_keys_changed AFTER INSERT OR UPDATE OR DELETE ON client_keys
    FOR EACH STATEMENT EXECUTE FUNCTION tollgate_key_changed();
