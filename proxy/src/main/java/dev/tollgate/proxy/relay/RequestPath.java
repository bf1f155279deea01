package dev.tollgate.proxy.relay;

import dev.tollgate.proxy.audit.RequestAudit;
import dev.tollgate.proxy.config.ProxyConfig;
import dev.tollgate.proxy.limits.LimitStore;
import dev.tollgate.proxy.limits.UsageLedger;

/** The parts every forwarded request passes through: keys, limits, Groq, and the audit (log line, metrics, request log). */
public record RequestPath(ProxyConfig config, Authenticator auth, LimitStore limits, UsageLedger ledger, Upstream upstream,
                          RequestAudit audit) {}
