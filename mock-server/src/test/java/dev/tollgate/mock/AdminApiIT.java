package dev.tollgate.mock;

import static dev.tollgate.mock.TestFixtures.answer;
import static dev.tollgate.mock.TestFixtures.chat;
import static dev.tollgate.mock.TestFixtures.chatBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.mock.replay.Pacing;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminApiIT {
    @TempDir
    Path dir;

    @Test
    void listReloadJournalResetAndHealth() throws Exception {
        TestFixtures.write(dir, "chat/one", chat("one"), answer("1"), answer("2"));
        try (MockServer server =
                MockServer.start(MockConfig.defaults().withFixtures(dir).withPacing(Pacing.INSTANT))) {
            WireClient client = new WireClient(server.baseUrl());
            JsonNode list = client.get("/__admin/fixtures").json();
            assertThat(list.path("count").asInt()).isEqualTo(1);
            assertThat(list.at("/fixtures/0/name").asText()).isEqualTo("chat/one");
            assertThat(list.at("/fixtures/0/responses")).hasSize(2);

            TestFixtures.write(dir, "chat/two", chat("two"), answer("2"));
            assertThat(client.post("/__admin/fixtures/reload", "")
                            .json()
                            .path("count")
                            .asInt())
                    .isEqualTo(2);
            assertThat(client.post("/v1/chat/completions", chatBody("two", false))
                            .status())
                    .isEqualTo(200);

            Files.writeString(dir.resolve("chat/broken.json"), "{");
            WireClient.Reply failed = client.post("/__admin/fixtures/reload", "");
            assertThat(failed.status()).isEqualTo(400);
            assertThat(failed.json().at("/error/message").asText()).contains("broken.json");
            assertThat(client.get("/__admin/fixtures").json().path("count").asInt())
                    .as("old fixtures stay")
                    .isEqualTo(2);

            client.post("/v1/chat/completions", chatBody("one", false));
            client.post("/v1/chat/completions", chatBody("nope", true));
            JsonNode journal = client.get("/__admin/journal").json();
            assertThat(journal.path("count").asInt()).isEqualTo(3);
            JsonNode hit = journal.at("/requests/1");
            assertThat(hit.path("fixture").asText()).isEqualTo("chat/one");
            assertThat(hit.path("turn").asInt()).isZero();
            assertThat(hit.at("/body/messages/0/content").asText()).isEqualTo("one");
            JsonNode miss = journal.at("/requests/2");
            assertThat(miss.path("status").asInt()).isEqualTo(404);
            assertThat(miss.path("stream").asBoolean()).isTrue();
            assertThat(miss.path("nearest").asText()).startsWith("chat/");
            assertThat(client.get("/__admin/journal?limit=1")
                            .json()
                            .path("count")
                            .asInt())
                    .isEqualTo(1);

            assertThat(client.post("/__admin/reset", "").status()).isEqualTo(204);
            assertThat(client.get("/__admin/journal").json().path("count").asInt())
                    .isZero();
            assertThat(client.post("/v1/chat/completions", chatBody("one", false))
                            .json()
                            .at("/choices/0/message/content")
                            .asText())
                    .as("turns start again after a reset")
                    .isEqualTo("1");

            JsonNode health = client.get("/health").json();
            assertThat(health.path("status").asText()).isEqualTo("ok");
            assertThat(health.path("fixtures").asInt()).isEqualTo(2);
        }
    }
}
