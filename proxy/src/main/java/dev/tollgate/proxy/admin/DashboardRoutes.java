package dev.tollgate.proxy.admin;

import dev.tollgate.proxy.openai.ApiError;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The usage dashboard at {@code /admin/dashboard}: one page (HTML, CSS and plain JS from
 * {@code resources/dashboard/}, uPlot from its WebJar) that reads the audit API with a session cookie.
 * Signing in ({@code POST /admin/session}) trades the admin token for that cookie; signing out
 * ({@code POST /admin/logout}) ends it. Everything is served by the proxy: no CDN, works offline.
 */
public final class DashboardRoutes {
    private static final Logger log = LoggerFactory.getLogger(DashboardRoutes.class);
    /** Only our own files: no inline script or style, no other origin, no framing. */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final AdminAuth auth;
    private final ZoneId zone;
    private final Clock clock;
    private final String loginPage = text("dashboard/login.html");
    private final String dashboardPage = text("dashboard/dashboard.html");
    private final Map<String, Asset> assets;

    private record Asset(byte[] bytes, String contentType) {}

    public DashboardRoutes(AdminAuth auth, ZoneId zone, Clock clock) {
        this.auth = auth;
        this.zone = zone;
        this.clock = clock;
        String uplot = "META-INF/resources/webjars/uplot/" + webjarVersion("uplot") + "/dist/";
        this.assets = Map.of(
                "dashboard.js", new Asset(bytes("dashboard/dashboard.js"), "text/javascript; charset=utf-8"),
                "dashboard.css", new Asset(bytes("dashboard/dashboard.css"), "text/css; charset=utf-8"),
                "uPlot.iife.min.js", new Asset(bytes(uplot + "uPlot.iife.min.js"), "text/javascript; charset=utf-8"),
                "uPlot.min.css", new Asset(bytes(uplot + "uPlot.min.css"), "text/css; charset=utf-8"));
    }

    public void register(RoutesConfig routes) {
        routes.get("/admin/dashboard", this::dashboard);
        routes.get("/admin/dashboard/{file}", this::asset);
        routes.post("/admin/session", this::signIn);
        routes.post("/admin/logout", this::signOut);
    }

    private void dashboard(Context ctx) {
        if (ctx.path().endsWith("/")) { // the page's links are relative to /admin/dashboard
            ctx.status(308).header("Location", "../dashboard");
            return;
        }
        if (!auth.signedIn(ctx)) {
            loginPage(ctx, null);
            return;
        }
        html(
                ctx,
                200,
                dashboardPage
                        .replace(
                                "{{today}}", LocalDate.now(clock.withZone(zone)).toString())
                        .replace("{{zone}}", escape(zone.getId())));
    }

    /** The login form's POST: the right token opens a session and goes to the dashboard; a wrong one shows the form again. */
    private void signIn(Context ctx) {
        if (!auth.enabled()) {
            loginPage(ctx, null);
            return;
        }
        try {
            if (!auth.verify(ctx, ctx.formParam("token"), "dashboard")) {
                log.warn("dashboard sign-in refused: wrong admin token, from {}", ctx.ip());
                loginPage(ctx, "Wrong admin token.");
                return;
            }
        } catch (ApiError throttled) {
            throttled.headers().forEach(ctx::header);
            html(ctx, throttled.status(), page(throttled.getMessage() + "."));
            return;
        }
        String session = auth.sessions().open();
        ctx.header(
                "Set-Cookie",
                AdminSessions.COOKIE + "=" + session + "; Path=/admin; Max-Age="
                        + auth.sessions().lifetime().toSeconds() + "; HttpOnly; SameSite=Strict"
                        + (secure(ctx) ? "; Secure" : ""));
        log.info("dashboard sign-in from {}", ctx.ip());
        seeOther(ctx);
    }

    private void signOut(Context ctx) {
        auth.sessions().close(ctx.cookie(AdminSessions.COOKIE));
        ctx.header(
                "Set-Cookie",
                AdminSessions.COOKIE + "=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict"
                        + (secure(ctx) ? "; Secure" : ""));
        seeOther(ctx);
    }

    /** The static files: code and styles only, no data, so they need no session (the login page uses the CSS). */
    private void asset(Context ctx) {
        Asset asset = assets.get(ctx.pathParam("file"));
        if (asset == null) {
            ctx.status(404).contentType("text/plain; charset=utf-8").result("Not found");
            return;
        }
        ctx.header("Cache-Control", "no-cache")
                .header("X-Content-Type-Options", "nosniff")
                .contentType(asset.contentType())
                .result(asset.bytes());
    }

    /** 401 with the sign-in form (403 when the admin API is off), and {@code error} above it. */
    private void loginPage(Context ctx, String error) {
        html(
                ctx,
                auth.enabled() ? 401 : 403,
                page(!auth.enabled() ? "The admin API is disabled: set TOLLGATE_ADMIN_TOKEN to enable it." : error));
    }

    private String page(String error) {
        return loginPage.replace(
                "{{error}}", error == null ? "" : "<p class=\"error\" role=\"alert\">" + escape(error) + "</p>");
    }

    private static void html(Context ctx, int status, String page) {
        ctx.status(status)
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .contentType("text/html; charset=utf-8")
                .result(page);
    }

    /** After a form POST, a GET of the dashboard (relative, so it works behind a path prefix too). */
    private static void seeOther(Context ctx) {
        ctx.status(303).header("Location", "dashboard").header("Cache-Control", "no-store");
    }

    /** Over https here or at a TLS-terminating proxy in front, the cookie is never sent over plain http. */
    private static boolean secure(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private static String webjarVersion(String name) {
        Properties pom = new Properties();
        try (InputStream in = open("META-INF/maven/org.webjars.npm/" + name + "/pom.properties")) {
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pom.getProperty("version");
    }

    private static String text(String resource) {
        return new String(bytes(resource), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String resource) {
        try (InputStream in = open(resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String resource) {
        InputStream in = DashboardRoutes.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) throw new IllegalStateException("missing from the classpath: " + resource);
        return in;
    }
}
