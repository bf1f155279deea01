package dev.tollgate.proxy.relay;

import dev.tollgate.proxy.audit.BodyCapture;
import dev.tollgate.proxy.audit.RequestAudit;
import dev.tollgate.proxy.keys.ClientKey;
import java.util.ArrayList;
import java.util.List;
import dev.tollgate.proxy.config.ProxyConfig;
import dev.tollgate.proxy.limits.LimitStore;
import dev.tollgate.proxy.limits.UsageLedger;

/** The parts every forwarded request passes through: keys, limits, Groq, and the audit (log line, metrics, request log). */
public record RequestPath(ProxyConfig config, Authenticator auth, LimitStore limits, UsageLedger ledger, Upstream upstream,
                          RequestAudit audit) {

    /** A capture of this key's request and answer bodies when they are logged (for every key, or this one), else null. */
    BodyCapture bodyCapture(ClientKey key) {
        if (!config.audit().logBodies() && !key.logBodies()) return null;
        List<String> secrets = new ArrayList<>();
        config.upstream().keys().forEach(k -> secrets.add(k.value()));
        if (config.adminToken() != null) secrets.add(config.adminToken().value());
        return new BodyCapture(config.audit().bodyMaxBytes(), secrets);
    }
}
