package dev.tollgate.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyConfigTest {
    @Test
    void defaultsRunOfflineOnLocalhost8080() {
        ProxyConfig config = ProxyConfig.fromEnv(Map.of());
        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.server().host()).isEqualTo("127.0.0.1");
        assertThat(config.isOffline()).isTrue();
        assertThat(config.upstream().baseUrl()).isEqualTo("https://api.groq.com/openai/v1");
        assertThat(config.database().url()).startsWith("jdbc:h2:file:./data/tollgate");
        assertThat(config.adminToken()).isNull();
        assertThat(config.models().resolve("gpt-oss-120b")).isEqualTo("openai/gpt-oss-120b");
        assertThat(config.models().resolve("openai/gpt-oss-120b")).isEqualTo("openai/gpt-oss-120b");
        assertThat(config.models().resolve("gpt-4o")).isNull();
    }

    @Test
    void keysAliasesAndSecretsStayOutOfToString() {
        ProxyConfig config = ProxyConfig.fromEnv(Map.of(
                "GROQ_API_KEY",
                " gsk_one1111111111, gsk_two2222222222 ,",
                "TOLLGATE_ADMIN_TOKEN",
                "admin-secret-xyz",
                "TOLLGATE_MODEL_ALIASES",
                "gpt-4o=openai/gpt-oss-120b, fast = openai/gpt-oss-120b",
                "TOLLGATE_UPSTREAM_URL",
                "http://127.0.0.1:9999/v1/"));
        assertThat(config.upstream().keys())
                .extracting(Secret::value)
                .containsExactly("gsk_one1111111111", "gsk_two2222222222");
        assertThat(config.isOffline()).isFalse();
        assertThat(config.upstream().baseUrl()).isEqualTo("http://127.0.0.1:9999/v1");
        assertThat(config.models().resolve("fast")).isEqualTo("openai/gpt-oss-120b");
        assertThat(config.toString()).doesNotContain("gsk_one", "gsk_two", "admin-secret-xyz");
    }

    @Test
    void mockUrlNamesAMockServerToRunOfflineInFrontOf() {
        assertThat(ProxyConfig.fromEnv(Map.of()).offline().mockUrl()).isNull();
        ProxyConfig config =
                ProxyConfig.fromEnv(Map.of("TOLLGATE_MOCK_URL", "http://mock-server:8081/v1/", "GROQ_API_KEY", ""));
        assertThat(config.isOffline()).isTrue();
        assertThat(config.offline().mockUrl()).isEqualTo("http://mock-server:8081/v1");
        assertThatThrownBy(() -> ProxyConfig.fromEnv(Map.of("TOLLGATE_MOCK_URL", "mock-server:8081")))
                .hasMessageContaining("TOLLGATE_MOCK_URL");
    }

    @Test
    void malformedValuesNameTheVariable() {
        assertThatThrownBy(() -> ProxyConfig.fromEnv(Map.of("TOLLGATE_PORT", "eighty")))
                .hasMessageContaining("TOLLGATE_PORT");
        assertThatThrownBy(() -> ProxyConfig.fromEnv(Map.of("TOLLGATE_PORT", "70000")))
                .hasMessageContaining("TOLLGATE_PORT");
        assertThatThrownBy(() -> ProxyConfig.fromEnv(Map.of("TOLLGATE_UPSTREAM_URL", "ftp://x")))
                .hasMessageContaining("TOLLGATE_UPSTREAM_URL");
        assertThatThrownBy(() -> ProxyConfig.fromEnv(Map.of("TOLLGATE_MODEL_ALIASES", "gpt-4o")))
                .hasMessageContaining("TOLLGATE_MODEL_ALIASES");
    }
}
