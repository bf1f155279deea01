package dev.tollgate.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Fault;
import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureFiles;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/**
 * {@code /__admin/}: list and reload fixtures, read and clear the request journal, arm faults,
 * reset. Answers are JSON; errors have OpenAI's shape.
 */
final class AdminRoutes {
    private final MockServer server;

    AdminRoutes(MockServer server) {
        this.server = server;
    }

    void register(RoutesConfig routes) {
        AdminGuard guard = new AdminGuard(server.config().host(), server::port);
        routes.before("/__admin/*", guard::check);
        routes.get("/__admin/fixtures", this::fixtures);
        routes.post("/__admin/fixtures/reload", this::reload);
        routes.get("/__admin/journal", this::journal);
        routes.get(
                "/__admin/usage",
                ctx -> json(
                        ctx, server.usage().report(server.config().fixtures()).toJson()));
        routes.delete("/__admin/journal", ctx -> {
            server.journal().clear();
            ctx.status(204);
        });
        routes.get("/__admin/faults", this::currentFault);
        routes.post("/__admin/faults", this::armFault);
        routes.delete("/__admin/faults", ctx -> {
            server.faults().clear();
            ctx.status(204);
        });
        routes.post("/__admin/reset", ctx -> {
            server.reset();
            ctx.status(204);
        });
    }

    private void fixtures(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (Fixture f : server.fixtures()) {
            ObjectNode item = list.addObject();
            item.put("name", f.name());
            item.put("method", f.request().method());
            item.put("path", f.request().path());
            item.put(
                    "model",
                    f.request().body() == null
                            ? null
                            : f.request().body().path("model").asText(null));
            ArrayNode turns = item.putArray("responses");
            for (FixtureResponse r : f.responses()) {
                turns.addObject().put("status", r.status()).put("stream", r.isStream());
            }
        }
        json(ctx, Json.MAPPER.createObjectNode().put("count", list.size()).set("fixtures", list));
    }

    private void reload(Context ctx) {
        try {
            json(ctx, Json.MAPPER.createObjectNode().put("count", server.reload()));
        } catch (FixtureFiles.InvalidFixtureException | java.io.UncheckedIOException e) {
            Replayer.respondOwnError(
                    ctx,
                    400,
                    "Reload failed, the previous fixtures stay: " + e.getMessage(),
                    "invalid_request_error",
                    null,
                    "invalid_fixture");
        }
    }

    private void journal(Context ctx) {
        List<Journal.Entry> entries = server.journal().entries();
        int limit = entries.size();
        String asked = ctx.queryParam("limit");
        if (asked != null) {
            try {
                limit = Integer.parseInt(asked);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 0) {
                Replayer.respondOwnError(
                        ctx,
                        400,
                        "'limit' must be a whole number from 0, was '" + asked + "'.",
                        "invalid_request_error",
                        "limit",
                        "invalid_limit");
                return;
            }
        }
        List<Journal.Entry> last = entries.subList(Math.max(0, entries.size() - limit), entries.size());
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("count", last.size());
        out.set("requests", Json.MAPPER.valueToTree(last));
        json(ctx, out);
    }

    private void currentFault(Context ctx) {
        ArmedFaults.Armed armed = server.faults().current();
        json(ctx, armed == null ? Json.MAPPER.createObjectNode().putNull("fault") : Json.MAPPER.valueToTree(armed));
    }

    /** Body: {@code {"fault": "status=503", "times": 2}} (times 0 or absent: until cleared). */
    private void armFault(Context ctx) {
        try {
            JsonNode body = Json.parse(ctx.bodyAsBytes());
            String spec = body.path("fault").asText("");
            if (spec.isBlank())
                throw new IllegalArgumentException("'fault' is required, e.g. \"status=429\" or \"cut=3\"");
            Fault fault = Fault.parse(spec);
            server.faults().arm(fault, body.path("times").asInt(0));
            ctx.status(201);
            json(ctx, Json.MAPPER.valueToTree(server.faults().current()));
        } catch (IllegalArgumentException e) {
            Replayer.respondOwnError(
                    ctx, 400, "Bad fault: " + e.getMessage(), "invalid_request_error", "fault", "invalid_fault");
        }
    }

    private static void json(Context ctx, JsonNode body) {
        ctx.contentType("application/json").result(Json.compact(body));
    }
}
