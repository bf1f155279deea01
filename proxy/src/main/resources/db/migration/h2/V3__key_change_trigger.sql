-- Tells the proxy's authentication cache that a key changed (H2: the trigger runs in the hosting process).
CREATE TRIGGER client_keys_changed AFTER INSERT, UPDATE, DELETE ON client_keys
    FOR EACH STATEMENT CALL "dev.tollgate.proxy.keys.KeyChangeTrigger";
