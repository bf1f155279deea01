-- A change to a key's limits reaches the caches at once, as a change to the key does (V3).
CREATE TRIGGER key_limits_changed AFTER INSERT, UPDATE, DELETE ON key_limits
    FOR EACH STATEMENT CALL "dev.tollgate.proxy.keys.KeyChangeTrigger";
