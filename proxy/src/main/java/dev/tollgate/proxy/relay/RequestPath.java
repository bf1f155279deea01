package dev.tollgate.proxy.relay;

import dev.tollgate.proxy.audit.BodyCapture;
import dev.tollgate.proxy.audit.RequestAudit;
import dev.tollgate.proxy.config.ProxyConfig;
import dev.tollgate.proxy.config.SecretMask;
import dev.tollgate.proxy.keys.Authenticator;
import dev.tollgate.proxy.keys.ClientKey;
import dev.tollgate.proxy.limits.LimitStore;
import dev.tollgate.proxy.limits.UsageLedger;
import dev.tollgate.proxy.upstream.Upstream;

/**
 * The parts every forwarded request passes through: keys, limits, Groq, the audit (log line, metrics,
 * request log), the proxy's secrets to mask, the tokenizer for what is billed without Groq's usage, and
 * the watch over clients that leave while Groq works.
 */
public record RequestPath(
        ProxyConfig config,
        Authenticator auth,
        LimitStore limits,
        UsageLedger ledger,
        Upstream upstream,
        RequestAudit audit,
        SecretMask mask,
        TokenCounter tokens,
        ClientWatches clientWatches) {

    /** A capture of this key's request and answer bodies when they are logged (for every key, or this one), else null. */
    BodyCapture bodyCapture(ClientKey key) {
        if (!config.audit().logBodies() && !key.logBodies()) return null;
        return new BodyCapture(config.audit().bodyMaxBytes(), mask);
    }
}
