package dev.tollgate.mock.importer;

/** A recording that cannot be turned into fixtures; the message says which file and why. */
public class ImportException extends RuntimeException {
    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
