-- A change to a key's limits is notified to every instance, as a change to the key is (V3).
CREATE TRIGGER key_limits_changed AFTER INSERT OR UPDATE OR DELETE ON key_limits
    FOR EACH STATEMENT EXECUTE FUNCTION tollgate_key_changed();
