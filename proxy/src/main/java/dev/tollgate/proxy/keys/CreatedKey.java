package dev.tollgate.proxy.keys;

/** A key just created or rotated, with its secret: the only moment the secret exists in clear. */
public record CreatedKey(ClientKey key, String secret) {
    @Override
    public String toString() {
        return "CreatedKey[key=" + key.id() + ", secret=" + KeySecrets.displayPrefix(secret) + "]";
    }
}
