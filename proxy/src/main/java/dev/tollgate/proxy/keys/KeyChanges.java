package dev.tollgate.proxy.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * An update to a key; a null field leaves that part unchanged.
 *
 * @param models      the new model list; an empty list means every model
 * @param expiresAt   a new expiry (must be in the future)
 * @param clearExpiry true to make the key never expire (wins over {@code expiresAt})
 * @param metadata    merged into the current metadata (JSON merge patch: a null value removes that entry)
 * @param logBodies   whether the request log keeps this key's bodies
 */
public record KeyChanges(
        String name,
        List<String> models,
        Instant expiresAt,
        boolean clearExpiry,
        ObjectNode metadata,
        Boolean logBodies) {
    public static final KeyChanges NONE = new KeyChanges(null, null, null, false, null, null);

    public KeyChanges {
        models = models == null ? null : List.copyOf(models);
        metadata = metadata == null ? null : metadata.deepCopy();
    }
}
