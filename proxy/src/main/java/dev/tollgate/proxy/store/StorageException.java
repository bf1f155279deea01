package dev.tollgate.proxy.store;

/** The key database failed (unreachable, locked, broken): not the caller's fault. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
