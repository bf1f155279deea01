package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard's sign-in over plain HTTP: the login page, the session cookie and its flags, what the
 * cookie opens (the read-only admin routes) and what it never opens (anything that changes a key),
 * and signing out.
 */
class DashboardAuthIT {
    @RegisterExtension
    static final Gateway.PerClass gateway = new Gateway.PerClass();

    /** A cookie of the right name and shape that no sign-in made. */
    private static final String FORGED = "tollgate_admin_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void withoutASessionTheDashboardIsTheSignInForm() {
        HttpResponse<String> page = send(get("/admin/dashboard"));
        assertThat(page.statusCode()).isEqualTo(401);
        assertThat(page.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("cache-control")).hasValue("no-store");
        assertThat(page.headers().firstValue("content-security-policy"))
                .hasValueSatisfying(csp -> assertThat(csp)
                        .contains("script-src 'self'")
                        .contains("frame-ancestors 'none'")
                        .doesNotContain("unsafe-inline"));
        assertThat(page.body())
                .contains("<form method=\"post\" action=\"session\">")
                .contains("name=\"token\"")
                .doesNotContain("class=\"error\"")
                .doesNotContain("dashboard.js");
        HttpResponse<String> slash = send(get("/admin/dashboard/"));
        assertThat(slash.statusCode())
                .as("links on the page are relative to /admin/dashboard")
                .isEqualTo(308);
        assertThat(slash.headers().firstValue("location")).hasValue("../dashboard");
        assertThat(send(get("/admin/dashboard").header("Authorization", "Bearer " + Gateway.ADMIN_TOKEN))
                        .statusCode())
                .as("a browser signs in with the form; the page itself takes no bearer token")
                .isEqualTo(401);
    }

    @Test
    void aWrongTokenShowsTheFormAgainWithAnErrorAndNoCookie() {
        HttpResponse<String> answer = send(signIn("not-the-token"));
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().firstValue("set-cookie")).isEmpty();
        assertThat(answer.body())
                .contains("Wrong admin token.")
                .contains("name=\"token\"")
                .doesNotContain("not-the-token");
        assertThat(send(signIn("")).statusCode()).isEqualTo(401);
    }

    @Test
    void theRightTokenSetsAStrictHttpOnlyCookieAndGoesToTheDashboard() {
        HttpResponse<String> answer = send(signIn(Gateway.ADMIN_TOKEN));
        assertThat(answer.statusCode()).isEqualTo(303);
        assertThat(answer.headers().firstValue("location")).hasValue("dashboard");
        String cookie = answer.headers().firstValue("set-cookie").orElseThrow();
        assertThat(cookie)
                .startsWith("tollgate_admin_session=")
                .contains("; Path=/admin")
                .contains("; HttpOnly")
                .contains("; SameSite=Strict")
                .contains("; Max-Age=43200")
                .doesNotContain("Secure")
                .doesNotContain(Gateway.ADMIN_TOKEN);
        assertThat(answer.body()).doesNotContain(Gateway.ADMIN_TOKEN);

        HttpResponse<String> page = send(get("/admin/dashboard").header("Cookie", session(cookie)));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains("Tollgate usage")
                .contains("dashboard/dashboard.js")
                .contains("dashboard/uPlot.iife.min.js")
                .containsPattern("data-today=\"\\d{4}-\\d{2}-\\d{2}\"")
                .contains("data-zone=\"UTC\"");

        String behindTls = send(signIn(Gateway.ADMIN_TOKEN).header("X-Forwarded-Proto", "https"))
                .headers()
                .firstValue("set-cookie")
                .orElseThrow();
        assertThat(behindTls)
                .as("over https (here at a TLS proxy in front) the cookie is Secure")
                .contains("; Secure");
    }

    @Test
    void theCookieOpensTheReadOnlyRoutesOnly() {
        String session = session(send(signIn(Gateway.ADMIN_TOKEN))
                .headers()
                .firstValue("set-cookie")
                .orElseThrow());
        String keyId = gateway.get().clientKeyId;
        for (String path : new String[] {
            "/admin/usage?group_by=key",
            "/admin/requests?order=desc",
            "/admin/requests/export?format=csv",
            "/admin/keys",
            "/admin/keys/" + keyId,
            "/admin/keys/" + keyId + "/usage"
        }) {
            assertThat(send(get(path).header("Cookie", session)).statusCode())
                    .as(path)
                    .isEqualTo(200);
            assertThat(send(get(path).header("Cookie", FORGED)).statusCode())
                    .as(path + " with a forged cookie")
                    .isEqualTo(401);
        }

        int keysBefore = gateway.get().proxy.keys().list().size();
        HttpResponse<String> create = send(request("/admin/keys")
                .header("Cookie", session)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"from-a-cookie\"}")));
        assertThat(create.statusCode()).isEqualTo(401);
        assertThat(create.body()).contains("invalid_admin_token");
        assertThat(send(request("/admin/keys/" + keyId)
                                .header("Cookie", session)
                                .header("content-type", "application/json")
                                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"renamed\"}")))
                        .statusCode())
                .isEqualTo(401);
        assertThat(send(request("/admin/keys/" + keyId)
                                .header("Cookie", session)
                                .DELETE())
                        .statusCode())
                .isEqualTo(401);
        assertThat(send(request("/admin/keys/" + keyId + "/rotate")
                                .header("Cookie", session)
                                .POST(HttpRequest.BodyPublishers.noBody()))
                        .statusCode())
                .isEqualTo(401);
        assertThat(gateway.get().proxy.keys().list()).hasSize(keysBefore);
        assertThat(gateway.get().proxy.keys().find(keyId).orElseThrow().name()).isEqualTo("tests");
        assertThat(gateway.get().proxy.keys().find(keyId).orElseThrow().revokedAt())
                .isNull();
    }

    @Test
    void signingOutEndsTheSession() {
        String session = session(send(signIn(Gateway.ADMIN_TOKEN))
                .headers()
                .firstValue("set-cookie")
                .orElseThrow());
        assertThat(send(get("/admin/usage").header("Cookie", session)).statusCode())
                .isEqualTo(200);

        HttpResponse<String> out =
                send(request("/admin/logout").header("Cookie", session).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("location")).hasValue("dashboard");
        assertThat(out.headers().firstValue("set-cookie"))
                .hasValueSatisfying(c -> assertThat(c)
                        .startsWith("tollgate_admin_session=;")
                        .contains("Max-Age=0")
                        .contains("Path=/admin"));

        assertThat(send(get("/admin/usage").header("Cookie", session)).statusCode())
                .isEqualTo(401);
        assertThat(send(get("/admin/dashboard").header("Cookie", session)).statusCode())
                .isEqualTo(401);
    }

    @Test
    void theScriptsAndStylesAreServedByTheProxyItself() {
        for (Map.Entry<String, String> asset : Map.of(
                        "uPlot.iife.min.js",
                        "text/javascript",
                        "uPlot.min.css",
                        "text/css",
                        "dashboard.js",
                        "text/javascript",
                        "dashboard.css",
                        "text/css")
                .entrySet()) {
            HttpResponse<String> answer = send(get("/admin/dashboard/" + asset.getKey()));
            assertThat(answer.statusCode()).as(asset.getKey()).isEqualTo(200);
            assertThat(answer.headers().firstValue("content-type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith(asset.getValue()));
            assertThat(answer.body()).isNotBlank();
        }
        assertThat(send(get("/admin/dashboard/uPlot.iife.min.js")).body()).contains("uPlot");
        assertThat(send(get("/admin/dashboard/secrets.txt")).statusCode()).isEqualTo(404);
        assertThat(send(get("/admin/dashboard/..%2Fdashboard.html")).statusCode())
                .isEqualTo(404);
    }

    @Test
    void withTheAdminApiOffThereIsNoSignIn() {
        try (Gateway off = Gateway.start(dev.tollgate.mock.replay.Pacing.INSTANT, Map.of("TOLLGATE_ADMIN_TOKEN", ""))) {
            HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(off.baseUrl() + "/admin/dashboard")));
            assertThat(page.statusCode()).isEqualTo(403);
            assertThat(page.body()).contains("The admin API is disabled");
            HttpResponse<String> signIn = send(HttpRequest.newBuilder(URI.create(off.baseUrl() + "/admin/session"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=")));
            assertThat(signIn.statusCode()).isEqualTo(403);
            assertThat(signIn.headers().firstValue("set-cookie")).isEmpty();
        }
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(gateway.get().baseUrl() + path));
    }

    private static HttpRequest.Builder get(String path) {
        return request(path).GET();
    }

    private static HttpRequest.Builder signIn(String token) {
        return request("/admin/session")
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
    }

    /** The {@code Cookie} header a browser sends back for a {@code Set-Cookie}. */
    private static String session(String setCookie) {
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
