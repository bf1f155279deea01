package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.openai.ApiError;
import io.javalin.http.Context;
import java.io.IOException;

/** Reads a request's JSON body, refusing one over the configured size before reading it all. */
final class RequestBodies {
    private RequestBodies() {}

    static JsonNode json(Context ctx, long maxBytes) {
        long length = ctx.req().getContentLengthLong();
        if (length > maxBytes) throw ApiError.requestTooLarge(maxBytes);
        byte[] bytes;
        try {
            // With a Content-Length, one array of that size; readNBytes(max) would allocate 16 KB pieces first.
            bytes = length >= 0
                    ? ctx.req().getInputStream().readNBytes((int) length)
                    : ctx.req().getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (IOException e) {
            throw ApiError.unreadableBody(e);
        }
        if (bytes.length > maxBytes) throw ApiError.requestTooLarge(maxBytes);
        if (bytes.length == 0)
            throw ApiError.invalidRequest("The request has no body; send a JSON object.", null, "invalid_json");
        try {
            return Json.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidRequest(
                    "We could not parse the JSON body of your request: " + e.getMessage(), null, "invalid_json");
        }
    }
}
