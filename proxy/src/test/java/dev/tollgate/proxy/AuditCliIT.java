package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.cli.ProxyCommand;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** {@code proxy.jar usage} and {@code proxy.jar requests} on the database of a running proxy, as an operator runs them. */
class AuditCliIT {
    record Run(int exit, String out, String err) {}

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new ProxyCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void usageAndRequestsMatchTheTraffic() throws Exception {
        try (Gateway gateway = Gateway.start()) {
            String url = gateway.baseUrl() + "/v1/chat/completions";
            for (int i = 0; i < 5; i++)
                assertThat(Http.post(url, gateway.clientSecret, UpstreamIT.HELLO)
                                .status())
                        .isEqualTo(200);
            assertThat(Http.post(url, "sk-tg-wrong0000000000000000000000000000000000", UpstreamIT.HELLO)
                            .status())
                    .isEqualTo(401);
            while (gateway.proxy.requestLog().written() < 6) Thread.sleep(20);
            String today = LocalDate.now(ZoneOffset.UTC).toString();

            Run csv = cli(
                    "usage",
                    "--db",
                    gateway.dbUrl,
                    "--key",
                    gateway.clientKeyId,
                    "--from",
                    today,
                    "--group-by",
                    "day",
                    "--format",
                    "csv");
            assertThat(csv.exit()).as(csv.err()).isZero();
            List<CSVRecord> lines = CSVFormat.RFC4180
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .get()
                    .parse(new StringReader(csv.out()))
                    .getRecords();
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0).get("day")).isEqualTo(today);
            assertThat(lines.get(0).get("requests")).isEqualTo("5");
            assertThat(lines.get(0).get("prompt_tokens")).isEqualTo(Long.toString(5 * 74));
            assertThat(lines.get(0).get("cost_usd")).isEqualTo("0.000156750"); // 5 × (74 × 0.15 + 27 × 0.75) µ$

            Run table = cli("usage", "--db", gateway.dbUrl, "--group-by", "key");
            assertThat(table.exit()).isZero();
            assertThat(table.out()).contains("key_name").contains("tests").contains("0.000156750");

            Run json = cli("requests", "--db", gateway.dbUrl, "--status", "401", "--format", "json");
            JsonNode rows = Json.parse(json.out());
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).get("error_code").asText()).isEqualTo("invalid_api_key");

            Run newest = cli("requests", "--db", gateway.dbUrl, "--limit", "2");
            assertThat(newest.out().lines().count()).isEqualTo(3); // header + 2

            Run bad = cli("usage", "--db", gateway.dbUrl, "--from", "last week");
            assertThat(bad.exit()).isEqualTo(2);
            assertThat(bad.err()).contains("must be a day");
            Run badGroup = cli("usage", "--db", gateway.dbUrl, "--group-by", "week");
            assertThat(badGroup.exit()).isEqualTo(1);
            assertThat(badGroup.err()).contains("group_by takes key, model and day");
        }
    }
}
