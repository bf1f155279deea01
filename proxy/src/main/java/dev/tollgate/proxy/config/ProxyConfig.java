package dev.tollgate.proxy.config;

import dev.tollgate.proxy.limits.LimitsConfig;
import dev.tollgate.proxy.record.RecordConfig;
import dev.tollgate.proxy.store.DatabaseLogin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the proxy is configured with, read from environment variables (see the README's
 * configuration table) and validated here. Secrets never appear in {@link #toString()}.
 */
public record ProxyConfig(
        Server server,
        Upstream upstream,
        DatabaseLogin database,
        Secret adminToken,
        Models models,
        Offline offline,
        LimitsConfig limits,
        Audit audit,
        RecordConfig recording,
        boolean historyCleanup) {

    /** Where the proxy listens and how much it reads. */
    public record Server(String host, int port, long maxBodyBytes) {
        public Server {
            if (port < 0 || port > 65535)
                throw new IllegalArgumentException("TOLLGATE_PORT must be 0-65535, was " + port);
            if (maxBodyBytes < 1024)
                throw new IllegalArgumentException("TOLLGATE_MAX_BODY_BYTES must be at least 1024");
        }
    }

    /**
     * The Groq account's own limits per upstream key, kept locally so the proxy waits (up to
     * {@code maxWait}) or moves to another key instead of earning Groq's 429. Null = not limited.
     */
    public record AccountLimits(Long requestsPerMinute, Long tokensPerMinute, boolean followHeaders, Duration maxWait) {
        public AccountLimits {
            if (requestsPerMinute != null && requestsPerMinute < 1)
                throw new IllegalArgumentException("TOLLGATE_UPSTREAM_RPM must be >= 1");
            if (tokensPerMinute != null && tokensPerMinute < 1)
                throw new IllegalArgumentException("TOLLGATE_UPSTREAM_TPM must be >= 1");
        }

        public boolean active() {
            return requestsPerMinute != null || tokensPerMinute != null || followHeaders;
        }
    }

    /** Groq: base URL, the account's keys, and how long to wait for it. */
    public record Upstream(
            String baseUrl,
            List<Secret> keys,
            Duration connectTimeout,
            Duration firstByteTimeout,
            Duration streamIdleTimeout,
            int retries,
            Duration retryBackoff,
            AccountLimits accountLimits) {
        public Upstream {
            if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
                throw new IllegalArgumentException("TOLLGATE_UPSTREAM_URL must be an http(s) URL, was " + baseUrl);
            }
            baseUrl = baseUrl.replaceAll("/+$", "");
            keys = List.copyOf(keys);
            if (retries < 0) throw new IllegalArgumentException("TOLLGATE_UPSTREAM_RETRIES must be >= 0");
        }

        public Upstream withBaseUrl(String url, List<Secret> newKeys) {
            return new Upstream(
                    url,
                    newKeys,
                    connectTimeout,
                    firstByteTimeout,
                    streamIdleTimeout,
                    retries,
                    retryBackoff,
                    accountLimits);
        }
    }

    /**
     * @param aliases    client-facing model name → upstream model id (the upstream ids map to themselves)
     * @param upstreamIds the models Groq serves behind this proxy
     */
    public record Models(Map<String, String> aliases, List<String> upstreamIds) {
        public Models {
            aliases = Map.copyOf(aliases);
            upstreamIds = List.copyOf(upstreamIds);
        }

        /** The upstream id for a client's model name, or null when the proxy does not serve it. */
        public String resolve(String requested) {
            return aliases.get(requested);
        }
    }

    /**
     * The request log: whether rows are written ({@code false} only to measure its cost), how long a
     * partial batch may wait, how long raw rows are kept (daily roll-ups are kept for good; 0 = forever),
     * whether {@code /metrics} wants the admin token, and whether every key's prompt and answer bodies
     * are logged (else only those of keys that opt in), each capped at {@code bodyMaxBytes}.
     */
    public record Audit(
            boolean requestLog,
            Duration flushInterval,
            int queueCapacity,
            int retentionDays,
            boolean metricsNeedToken,
            boolean logBodies,
            int bodyMaxBytes) {
        public Audit {
            if (bodyMaxBytes < 0) throw new IllegalArgumentException("TOLLGATE_LOG_BODY_MAX_BYTES must be >= 0");
            if (flushInterval.isNegative() || flushInterval.isZero())
                throw new IllegalArgumentException("TOLLGATE_LOG_FLUSH_MS must be >= 1");
            if (queueCapacity < 1) throw new IllegalArgumentException("TOLLGATE_LOG_QUEUE must be >= 1");
            if (retentionDays < 0) throw new IllegalArgumentException("TOLLGATE_LOG_RETENTION_DAYS must be >= 0");
        }
    }

    /**
     * When no Groq key is set: the embedded mock server's fixtures and mode (synthetic answers anything),
     * or, with {@code mockUrl}, a mock server already running elsewhere (Docker Compose's) to forward to instead.
     */
    public record Offline(Path fixtures, String mode, String mockUrl) {
        public Offline {
            if (mockUrl != null) {
                if (!mockUrl.startsWith("http://") && !mockUrl.startsWith("https://")) {
                    throw new IllegalArgumentException("TOLLGATE_MOCK_URL must be an http(s) URL, was " + mockUrl);
                }
                mockUrl = mockUrl.replaceAll("/+$", "");
            }
        }
    }

    public static final String GROQ_URL = "https://api.groq.com/openai/v1";
    public static final String MODEL = "openai/gpt-oss-120b";

    /** The proxy's own secrets, masked wherever text from elsewhere is shown or stored: every upstream key and the admin token. */
    public List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        upstream.keys().forEach(k -> secrets.add(k.value()));
        if (adminToken != null) secrets.add(adminToken.value());
        return secrets;
    }

    public boolean isOffline() {
        return upstream.keys().isEmpty();
    }

    public ProxyConfig withUpstream(Upstream newUpstream) {
        return new ProxyConfig(
                server, newUpstream, database, adminToken, models, offline, limits, audit, recording, historyCleanup);
    }

    public static ProxyConfig fromEnv(Map<String, String> env) {
        EnvReader e = new EnvReader(env);
        Server server = new Server(
                e.text("TOLLGATE_HOST", "127.0.0.1"),
                e.integer("TOLLGATE_PORT", 8080),
                e.integer("TOLLGATE_MAX_BODY_BYTES", 10 << 20));
        List<Secret> keys = new ArrayList<>();
        for (String k : e.text("GROQ_API_KEY", "").split(",")) if (!k.isBlank()) keys.add(new Secret(k.trim()));
        Upstream upstream = new Upstream(
                e.text("TOLLGATE_UPSTREAM_URL", GROQ_URL),
                keys,
                Duration.ofMillis(e.integer("TOLLGATE_CONNECT_TIMEOUT_MS", 5_000)),
                Duration.ofMillis(e.integer("TOLLGATE_FIRST_BYTE_TIMEOUT_MS", 300_000)),
                Duration.ofMillis(e.integer("TOLLGATE_STREAM_IDLE_TIMEOUT_MS", 60_000)),
                e.integer("TOLLGATE_UPSTREAM_RETRIES", 2),
                Duration.ofMillis(e.integer("TOLLGATE_RETRY_BACKOFF_MS", 200)),
                new AccountLimits(
                        e.optionalLong("TOLLGATE_UPSTREAM_RPM"),
                        e.optionalLong("TOLLGATE_UPSTREAM_TPM"),
                        e.bool("TOLLGATE_UPSTREAM_FOLLOW_HEADERS", false),
                        Duration.ofMillis(e.integer("TOLLGATE_UPSTREAM_MAX_WAIT_MS", 2_000))));
        Map<String, String> aliases = new LinkedHashMap<>();
        aliases.put(MODEL, MODEL);
        aliases.put("gpt-oss-120b", MODEL);
        for (String pair : e.text("TOLLGATE_MODEL_ALIASES", "").split(",")) {
            if (pair.isBlank()) continue;
            String[] kv = pair.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                throw new IllegalArgumentException(
                        "TOLLGATE_MODEL_ALIASES entries look like alias=upstream-model, got '" + pair + "'");
            }
            aliases.put(kv[0].trim(), kv[1].trim());
        }
        String token = e.text("TOLLGATE_ADMIN_TOKEN", "");
        return new ProxyConfig(
                server,
                upstream,
                DatabaseLogin.from(env),
                token.isBlank() ? null : new Secret(token),
                new Models(aliases, List.of(MODEL)),
                new Offline(
                        Path.of(e.text("TOLLGATE_FIXTURES", "fixtures")),
                        e.text("TOLLGATE_OFFLINE_MODE", "synthetic"),
                        e.text("TOLLGATE_MOCK_URL", null)),
                LimitsConfig.fromEnv(env),
                new Audit(
                        e.bool("TOLLGATE_REQUEST_LOG", true),
                        Duration.ofMillis(e.integer("TOLLGATE_LOG_FLUSH_MS", 200)),
                        e.integer("TOLLGATE_LOG_QUEUE", 10_000),
                        e.integer("TOLLGATE_LOG_RETENTION_DAYS", 90),
                        e.bool("TOLLGATE_METRICS_REQUIRE_TOKEN", false),
                        e.bool("TOLLGATE_LOG_BODIES", false),
                        e.integer("TOLLGATE_LOG_BODY_MAX_BYTES", 32_768)),
                RecordConfig.fromEnv(env),
                e.bool("TOLLGATE_HISTORY_CLEANUP", true));
    }
}
