package dev.tollgate.proxy.upstream;

import dev.tollgate.proxy.config.Secret;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The Groq account keys, taken in turn so the load spreads over them. */
final class UpstreamKeys {
    private final List<Secret> keys;
    private final AtomicInteger next = new AtomicInteger();

    UpstreamKeys(List<Secret> keys) {
        if (keys.isEmpty()) throw new IllegalArgumentException("at least one upstream key is needed");
        this.keys = List.copyOf(keys);
    }

    int size() {
        return keys.size();
    }

    /** The index of the key to start a request with. */
    int start() {
        return Math.floorMod(next.getAndIncrement(), keys.size());
    }

    Secret get(int index) {
        return keys.get(Math.floorMod(index, keys.size()));
    }
}
