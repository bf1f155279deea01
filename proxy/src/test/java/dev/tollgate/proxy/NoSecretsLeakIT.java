package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tollgate.fixture.Fault;
import dev.tollgate.mock.replay.Pacing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Neither Groq's key nor a client's secret ever appears in an answer (body or headers) or a log line. */
class NoSecretsLeakIT {
    @Test
    void secretsStayOutOfAnswersAndLogs() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        List<Http.Answer> answers = new ArrayList<>();
        try (Gateway gateway = Gateway.start(
                Pacing.INSTANT,
                Map.of(
                        "GROQ_API_KEY",
                        Gateway.UPSTREAM_KEY_1 + "," + Gateway.UPSTREAM_KEY_2,
                        "TOLLGATE_UPSTREAM_RETRIES",
                        "1"))) {
            String url = gateway.baseUrl() + "/v1/chat/completions";
            String hello = UpstreamIT.HELLO;
            answers.add(Http.post(url, gateway.clientSecret, hello));
            answers.add(Http.post(url, gateway.clientSecret, UpstreamIT.STREAM));
            answers.add(Http.post(url, gateway.clientSecret + "x", hello));
            answers.add(Http.post(url, gateway.clientSecret, "{broken"));
            gateway.mock.faults().arm(new Fault(401, 0, 0, false), 0);
            answers.add(Http.post(url, gateway.clientSecret, hello));
            gateway.mock.faults().arm(new Fault(500, 0, 0, false), 0);
            answers.add(Http.post(url, gateway.clientSecret, hello));
            gateway.mock.faults().clear();
            answers.add(
                    Http.post(
                            url,
                            gateway.clientSecret,
                            "{\"model\":\"openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"trigger a 429 rate limit\"}]}"));
            answers.add(Http.get(gateway.baseUrl() + "/v1/models", gateway.clientSecret));
            answers.add(Http.call("GET", gateway.baseUrl() + "/admin/keys", Gateway.ADMIN_TOKEN, null));

            assertThat(answers).extracting(Http.Answer::status).contains(200, 401, 400, 500, 429);
            for (String secret : List.of(
                    Gateway.UPSTREAM_KEY_1, Gateway.UPSTREAM_KEY_2, gateway.clientSecret, Gateway.ADMIN_TOKEN)) {
                for (Http.Answer a : answers) {
                    assertThat(a.body()).doesNotContain(secret);
                    assertThat(a.raw().headers().map().toString()).doesNotContain(secret);
                }
                assertThat(logs.list)
                        .allSatisfy(e -> assertThat(e.getFormattedMessage() + e.getThrowableProxy())
                                .doesNotContain(secret));
            }
            assertThat(logs.list)
                    .as("one structured line per request")
                    .anySatisfy(e -> assertThat(e.getFormattedMessage()).startsWith("request id=tg_"));
        } finally {
            root.detachAppender(logs);
        }
    }
}
