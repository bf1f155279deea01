package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard as an operator sees it: real traffic through the proxy (the OpenAI SDK, two keys,
 * successes and refusals), then Debian's headless Chromium signs in and reads the page. Writes
 * {@code proxy/target/dashboard.png}.
 */
class DashboardBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** A name that would be markup if the page ever used innerHTML. */
    private static final String WEB_KEY = "Acme <b>web</b> & \"app\"";

    private static final String BATCH_KEY = "batch-jobs";
    private static final int SENT = 9;

    @Test
    void theDashboardShowsTheRealUsage() throws IOException {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("the dashboard test drives Debian's Chromium: install it with scripts/test-deps.sh "
                        + "(apt-get install chromium chromium-driver), which ./test.sh runs")
                .isTrue();
        try (Gateway gateway = Gateway.start()) {
            sendTraffic(gateway);
            JsonNode rows = waitForRows(gateway, SENT);
            assertThat(rows.size()).isEqualTo(SENT);
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            JsonNode usage = Http.get(
                            gateway.baseUrl() + "/admin/usage?group_by=key&from=" + today.minusDays(29) + "&to="
                                    + today,
                            Gateway.ADMIN_TOKEN)
                    .json();
            BigDecimal spend = usage.path("total").path("cost_usd").decimalValue();
            assertThat(spend).isPositive();

            ChromeDriver browser = chromium();
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                browser.get(gateway.baseUrl() + "/admin/dashboard");
                assertThat(browser.getTitle()).isEqualTo("Sign in · Tollgate usage");
                assertThat(browser.findElements(By.cssSelector(".error"))).isEmpty();

                signIn(browser, "not-the-admin-token");
                assertThat(browser.findElement(By.cssSelector(".error")).getText())
                        .isEqualTo("Wrong admin token.");
                assertThat(browser.getTitle()).isEqualTo("Sign in · Tollgate usage");

                signIn(browser, Gateway.ADMIN_TOKEN);
                assertThat(consoleProblems(browser))
                        .as("only the sign-in form's own 401 answers")
                        .allSatisfy(e -> assertThat(e.getMessage()).contains("status of 401"));
                wait.until(ExpectedConditions.attributeToBeNotEmpty(
                        browser.findElement(By.tagName("body")), "data-loaded"));
                assertThat(browser.getTitle()).isEqualTo("Tollgate usage");
                assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();

                assertThat(text(browser, "t-spend")).isEqualTo(dollars(spend));
                assertThat(text(browser, "t-requests")).isEqualTo(String.valueOf(SENT));
                assertThat(text(browser, "t-tokens"))
                        .isEqualTo(String.format(
                                java.util.Locale.US,
                                "%,d",
                                usage.path("total").path("total_tokens").asLong()));
                assertThat(text(browser, "t-errors-count")).isEqualTo("3 of " + SENT);

                assertThat(column(browser, "#top-keys tbody tr td:nth-child(1)"))
                        .containsExactly(WEB_KEY, BATCH_KEY, "(no key)");
                List<String> topSpend = column(browser, "#top-keys tbody tr td:nth-child(2)");
                assertThat(topSpend)
                        .containsExactly(usage.path("data").findValues("cost_usd").stream()
                                .map(JsonNode::decimalValue)
                                .sorted(java.util.Comparator.reverseOrder())
                                .map(DashboardBrowserIT::dollars)
                                .toArray(String[]::new));
                assertThat(browser.findElements(By.cssSelector("#top-keys b, #latest b")))
                        .as("key names are text, not markup")
                        .isEmpty();

                assertThat(column(browser, "#latest tbody tr td:nth-child(5)"))
                        .hasSize(SENT)
                        .containsOnlyOnce("401 invalid_api_key")
                        .contains("429 insufficient_quota", "429 rate_limit_exceeded");
                assertThat(column(browser, "#latest tbody tr td:nth-child(2)"))
                        .filteredOn(WEB_KEY::equals)
                        .hasSize(5);

                for (String chart : List.of("chart-spend", "chart-tokens", "chart-latency")) {
                    WebElement canvas = browser.findElement(By.cssSelector("#" + chart + " canvas"));
                    assertThat(canvas.getSize().getWidth()).as(chart).isPositive();
                    assertThat(canvas.getSize().getHeight()).as(chart).isPositive();
                }
                assertThat(pixelsOf(browser, "chart-spend", 0x25, 0x63, 0xeb))
                        .as("the top key's bars are drawn")
                        .isPositive();
                assertThat(column(browser, "#chart-spend .u-legend .u-label")).contains(WEB_KEY, BATCH_KEY);

                Files.write(target().resolve("dashboard.png"), browser.getScreenshotAs(OutputType.BYTES));

                // Auto-refresh: a new request shows up in the latest requests without a reload.
                gateway.client(gateway.clientSecret)
                        .chat()
                        .completions()
                        .create(ProxySdkIT.hello().build());
                wait.until(d -> column(browser, "#latest tbody tr").size() == SENT + 1);
                assertThat(text(browser, "t-requests")).isEqualTo(String.valueOf(SENT + 1));

                assertThat(consoleProblems(browser))
                        .as("console errors (scripts, CSP)")
                        .isEmpty();

                browser.findElement(By.id("logout")).click();
                wait.until(ExpectedConditions.titleIs("Sign in · Tollgate usage"));
                assertThat(browser.findElements(By.id("token"))).hasSize(1);
            } finally {
                browser.quit();
            }
        }
    }

    /** Two keys: one busy (one Groq 429 among its calls), one with a quota of two requests a day that refuses its third; and a wrong key. */
    private static void sendTraffic(Gateway gateway) {
        String web = createKey(gateway, WEB_KEY, "{}");
        String batch = createKey(gateway, BATCH_KEY, "{\"requests_per_day\": 2}");
        OpenAIClient webClient = gateway.client(web);
        for (int i = 0; i < 3; i++)
            webClient.chat().completions().create(ProxySdkIT.hello().build());
        try (StreamResponse<ChatCompletionChunk> stream = webClient
                .chat()
                .completions()
                .createStreaming(ChatCompletionCreateParams.builder()
                        .model("openai/gpt-oss-120b")
                        .addSystemMessage("You are a helpful, creative assistant.")
                        .addUserMessage("Say hello in one short, imaginative sentence.")
                        .maxTokens(2000)
                        .temperature(0.9)
                        .topP(0.8)
                        .build())) {
            assertThat(stream.stream().count()).isPositive();
        }
        assertThatThrownBy(() -> webClient
                        .chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("openai/gpt-oss-120b")
                                .addUserMessage("trigger a 429 rate limit")
                                .build()))
                .isInstanceOf(RateLimitException.class);
        OpenAIClient batchClient = gateway.client(batch);
        for (int i = 0; i < 2; i++)
            batchClient.chat().completions().create(ProxySdkIT.hello().build());
        assertThatThrownBy(() -> batchClient
                        .chat()
                        .completions()
                        .create(ProxySdkIT.hello().build()))
                .isInstanceOfSatisfying(
                        RateLimitException.class, e -> assertThat(e.code()).hasValue("insufficient_quota"));
        assertThatThrownBy(() -> gateway.client("sk-tg-wrong0000000000000000000000000000000000")
                        .chat()
                        .completions()
                        .create(ProxySdkIT.hello().build()))
                .isInstanceOf(UnauthorizedException.class);
    }

    private static String createKey(Gateway gateway, String name, String limits) {
        Http.Answer created = Http.post(
                gateway.baseUrl() + "/admin/keys",
                Gateway.ADMIN_TOKEN,
                "{\"name\":" + dev.tollgate.fixture.Json.MAPPER.valueToTree(name) + ",\"limits\":" + limits + "}");
        assertThat(created.status()).isEqualTo(201);
        return created.json().path("key").asText();
    }

    /** The log is written off the request path: polls the audit API until every request has its row. */
    private static JsonNode waitForRows(Gateway gateway, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            JsonNode data = Http.get(gateway.baseUrl() + "/admin/requests?limit=1000", Gateway.ADMIN_TOKEN)
                    .json()
                    .path("data");
            if (data.size() >= count || System.nanoTime() > deadline) return data;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static ChromeDriver chromium() throws IOException {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1440,1700",
                "--force-device-scale-factor=1",
                "--user-data-dir=" + Files.createTempDirectory("tollgate-chromium"));
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        return new ChromeDriver(service, options);
    }

    private static void signIn(ChromeDriver browser, String token) {
        WebElement field = browser.findElement(By.id("token"));
        field.clear();
        field.sendKeys(token);
        WebElement oldPage = browser.findElement(By.tagName("html"));
        field.submit();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.stalenessOf(oldPage));
    }

    /** The console's warnings and errors since the last call. */
    private static List<LogEntry> consoleProblems(ChromeDriver browser) {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                .toList();
    }

    private static String text(ChromeDriver browser, String id) {
        return browser.findElement(By.id(id)).getText();
    }

    /** The texts of the elements matching {@code css}, read in one script so that a refresh cannot interleave. */
    @SuppressWarnings("unchecked")
    private static List<String> column(ChromeDriver browser, String css) {
        return (List<String>) browser.executeScript(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent.trim())", css);
    }

    /** How many of the chart's canvas pixels have this colour. */
    private static long pixelsOf(ChromeDriver browser, String chart, int r, int g, int b) {
        return (Long) browser.executeScript("""
                const c = document.querySelector('#' + arguments[0] + ' canvas');
                const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 0; i < px.length; i += 4) if (px[i] === arguments[1] && px[i + 1] === arguments[2] && px[i + 2] === arguments[3]) n++;
                return n;""", chart, r, g, b);
    }

    /** The dashboard's way to show an amount: cents from $1 up, else every digit the API gives. */
    private static String dollars(BigDecimal usd) {
        assertThat(usd).isLessThan(BigDecimal.ONE);
        BigDecimal exact = usd.stripTrailingZeros();
        return "$" + exact.setScale(Math.max(2, exact.scale())).toPlainString();
    }

    private static Path target() {
        String basedir = System.getProperty("basedir");
        return basedir == null ? Path.of("target") : Path.of(basedir, "target");
    }
}
