package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Nothing a client sends can forge a log line: control characters in a path or a model name are escaped in the line that prints them. */
class LogForgingIT {
    private static final String FORGED = "FORGED INFO  tollgate.request - request id=tg_forged status=200";

    @Test
    void controlCharactersFromClientsAreEscapedInTheLog() {
        String log;
        try (CapturedOutput out = new CapturedOutput()) {
            try (Gateway gateway = Gateway.start()) {
                String encoded = FORGED.replace(" ", "%20");
                assertThat(Http.get(gateway.baseUrl() + "/v1/models/x%0A" + encoded, null)
                                .status())
                        .isEqualTo(401);
                assertThat(Http.get(gateway.baseUrl() + "/v1/models/x%0D%0A" + encoded, gateway.clientSecret)
                                .status())
                        .isEqualTo(404);
                assertThat(Http.get(gateway.baseUrl() + "/v1/x%0A" + encoded, gateway.clientSecret)
                                .status())
                        .isEqualTo(404);
                assertThat(Http.post(
                                        gateway.baseUrl() + "/admin/keys",
                                        Gateway.ADMIN_TOKEN,
                                        "{\"name\":\"x\\u2028" + FORGED + "\"}")
                                .status())
                        .isEqualTo(201);
            } // stopped: every request's line is written
            log = out.text();
        }
        List<String> lines = log.lines().filter(line -> line.contains("FORGED")).toList();
        assertThat(lines)
                .hasSize(4)
                .allSatisfy(
                        line -> assertThat(line)
                                .matches(
                                        "^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\S+ - (request id=tg_\\w+|client key created) .*"));
        assertThat(log)
                .contains(
                        "model=x\\nFORGED",
                        "model=x\\r\\nFORGED",
                        "name=x\\u2028FORGED",
                        "endpoint=/v1/x%0AFORGED"); // an unknown path is logged as it came, still encoded
    }
}
