package dev.tollgate.proxy.keys;

import dev.tollgate.proxy.openai.ApiError;
import io.javalin.http.Context;

/** Finds the client key behind a request's {@code Authorization: Bearer sk-tg-…}; 401 in OpenAI's shape otherwise. */
public final class Authenticator {
    private final KeyStore keys;

    public Authenticator(KeyStore keys) {
        this.keys = keys;
    }

    public ClientKey require(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw new ApiError(
                    401,
                    "You didn't provide an API key. Send it in the Authorization header: 'Authorization: Bearer sk-tg-…'.",
                    "invalid_request_error",
                    null,
                    "missing_api_key");
        }
        String secret = header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim()
                : header.trim();
        return keys.authenticate(secret)
                .orElseThrow(() -> new ApiError(
                        401,
                        "Incorrect API key provided: " + KeySecrets.mask(secret)
                                + ". The key is unknown, revoked or expired.",
                        "invalid_request_error",
                        null,
                        "invalid_api_key"));
    }
}
