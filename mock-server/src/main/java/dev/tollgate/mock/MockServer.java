package dev.tollgate.mock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureFiles;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.mock.record.RecordingForwarder;
import dev.tollgate.mock.usage.FixtureUsage;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.List;
import java.util.Map;

/**
 * The mock Groq server: replays fixtures on Groq's routes (also under Groq's own {@code /openai/v1}
 * prefix), with an admin API under {@code /__admin/}. Start one with {@link #start(MockConfig)};
 * several can run in one JVM.
 */
public final class MockServer implements AutoCloseable {
    private final MockConfig config;
    private final Journal journal;
    private final ArmedFaults faults = new ArmedFaults();
    private final ModelCatalog catalog = new ModelCatalog();
    private final FixtureUsage usage = new FixtureUsage();
    private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile FixtureMatcher matcher;
    private final Javalin app;

    private MockServer(MockConfig config) {
        this.config = config;
        this.journal = new Journal(config.journalSize());
        // The forwarder first: it creates the folder it records into when that is missing.
        RecordingForwarder forwarder = config.recording() == null
                ? null
                : new RecordingForwarder(
                        config.recording(), config.fixtures(), config.ignored(), this::reloadKeepingTurns);
        this.matcher = new FixtureMatcher(load(config), config.ignored());
        Replayer replayer = new Replayer(config, () -> matcher, journal, faults, catalog, forwarder, usage);
        AdminRoutes admin = new AdminRoutes(this);
        this.app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.concurrency.useVirtualThreads = true;
            c.http.maxRequestSize = config.maxBodyBytes();
            // Java's default accept backlog of 50 makes a burst of new connections (a test suite's workers starting)
            // wait a second.
            c.jetty.addConnector((server, http) -> {
                org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(
                        server, new org.eclipse.jetty.server.HttpConnectionFactory(http));
                connector.setHost(config.host());
                connector.setPort(config.port());
                connector.setAcceptQueueSize(1024);
                return connector;
            });
            for (String prefix : List.of("/v1", "/openai/v1")) {
                c.routes.post(prefix + "/chat/completions", ctx -> replayer.handle(ctx, null));
                c.routes.get(prefix + "/models", ctx -> replayer.handle(ctx, modelsList()));
                c.routes.get(prefix + "/models/<id>", ctx -> replayer.handle(ctx, model(ctx)));
                c.routes.post(prefix + "/*", ctx -> replayer.handle(ctx, null));
                c.routes.get(prefix + "/*", ctx -> replayer.handle(ctx, null));
                c.routes.delete(prefix + "/*", ctx -> replayer.handle(ctx, null));
            }
            c.routes.get(
                    "/health",
                    ctx -> ctx.json(Map.of(
                            "status",
                            "ok",
                            "fixtures",
                            matcher.fixtures().size(),
                            "mode",
                            config.mode().name().toLowerCase(java.util.Locale.ROOT))));
            admin.register(c.routes);
            Handler unknown = ctx -> Replayer.respondOwnError(
                    ctx,
                    404,
                    "Unknown request URL: " + ctx.method() + " " + ctx.path() + ". Please check the URL for typos.",
                    "invalid_request_error",
                    null,
                    "unknown_url");
            c.routes.get("/*", unknown);
            c.routes.post("/*", unknown);
            c.routes.put("/*", unknown);
            c.routes.delete("/*", unknown);
            c.routes.patch("/*", unknown);
            c.jetty.modifyServer(server -> server.setErrorHandler(new ProtocolErrorPage()));
            c.routes.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> refused(ctx, e));
            c.routes.exception(Exception.class, (e, ctx) -> failed(ctx, e));
        });
        app.start();
    }

    /** Javalin's own refusals (a body over {@code maxBodyBytes}, …) in OpenAI's shape. */
    private void refused(Context ctx, io.javalin.http.HttpResponseException e) {
        if (e.getStatus() == 413) {
            Replayer.respondOwnError(
                    ctx,
                    413,
                    "The request body is larger than this mock accepts (" + config.maxBodyBytes() + " bytes).",
                    "invalid_request_error",
                    null,
                    "request_too_large");
        } else {
            Replayer.respondOwnError(
                    ctx,
                    e.getStatus(),
                    e.getMessage(),
                    e.getStatus() < 500 ? "invalid_request_error" : "server_error",
                    null,
                    null);
        }
    }

    /** A body that could not be read to its end (shorter than its Content-Length, a lying chunk size) is the client's mistake: a 4xx. */
    private static void failed(Context ctx, Exception e) {
        org.eclipse.jetty.http.HttpException jetty = ProtocolErrorPage.jettyRefusal(e);
        boolean unreadable = jetty != null;
        for (Throwable t = e; t != null && !unreadable; t = t.getCause()) unreadable = t instanceof java.io.IOException;
        if (unreadable) {
            int status = jetty != null && jetty.getCode() >= 400 && jetty.getCode() < 500 ? jetty.getCode() : 400;
            String reason = jetty != null && jetty.getReason() != null
                    ? jetty.getReason()
                    : e.getClass().getSimpleName();
            Replayer.respondOwnError(
                    ctx,
                    status,
                    "The request body could not be read (" + reason + "): it ended before its "
                            + "Content-Length, or its chunked encoding is broken.",
                    "invalid_request_error",
                    null,
                    "unreadable_body");
            return;
        }
        Replayer.respondOwnError(ctx, 500, "The mock server failed: " + e, "server_error", null, "mock_error");
    }

    /** Starts a server; the fixtures are read now, and a bad fixture file fails the start with its name. */
    public static MockServer start(MockConfig config) {
        return new MockServer(config);
    }

    private static List<Fixture> load(MockConfig config) {
        return config.fixtures() == null ? List.of() : FixtureFiles.readAll(config.fixtures());
    }

    private FixtureResponse modelsList() {
        return FixtureResponse.json(200, Map.of("content-type", "application/json"), catalog.list());
    }

    private FixtureResponse model(Context ctx) {
        String id = ctx.pathParam("id");
        JsonNode model = catalog.find(id);
        if (model != null) return FixtureResponse.json(200, Map.of("content-type", "application/json"), model);
        return GroqErrors.forStatus(404, id, "req_mock" + Long.toHexString(System.nanoTime()));
    }

    public int port() {
        return app.port();
    }

    /** {@code http://127.0.0.1:PORT}: Groq's SDK base URL (it adds {@code /openai/v1}). */
    public String baseUrl() {
        String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        return "http://" + host + ":" + port();
    }

    /** {@code http://127.0.0.1:PORT/v1}: the base URL for OpenAI clients. */
    public String openAiBaseUrl() {
        return baseUrl() + "/v1";
    }

    public MockConfig config() {
        return config;
    }

    public Journal journal() {
        return journal;
    }

    public ArmedFaults faults() {
        return faults;
    }

    /** How many requests each fixture answered since the start (never reset). */
    public FixtureUsage usage() {
        return usage;
    }

    public List<Fixture> fixtures() {
        return matcher.fixtures();
    }

    /** Re-reads the fixtures folder; on a bad file the old fixtures stay and the error names the file. */
    public int reload() {
        FixtureMatcher fresh = new FixtureMatcher(load(config), config.ignored());
        matcher = fresh;
        return fresh.fixtures().size();
    }

    /** After a recording: the fixtures folder again, with every request's turn count carried on. */
    private synchronized void reloadKeepingTurns() {
        FixtureMatcher fresh = new FixtureMatcher(load(config), config.ignored());
        fresh.takeTurnsFrom(matcher);
        matcher = fresh;
    }

    /** Clears the journal and armed faults, and starts every request's turns again from the first. */
    public void reset() {
        journal.clear();
        faults.clear();
        matcher.resetTurns();
    }

    /** Stops the server, then adds its fixture usage to {@link MockConfig#usageReport()} if one is set. */
    @Override
    public void close() {
        app.stop();
        if (config.usageReport() != null && stopped.compareAndSet(false, true)) {
            usage.report(config.fixtures()).addTo(config.usageReport());
        }
    }
}
