/**
 * Per-key limits, quotas and USD budgets (issue #4).
 *
 * <ul>
 *   <li>{@link dev.tollgate.proxy.limits.KeyLimits} — what a key may use; stored by
 *       {@link dev.tollgate.proxy.limits.LimitStore} (table {@code key_limits}, cached for 1 s so a
 *       change made by the CLI in another process applies within a second).</li>
 *   <li>{@link dev.tollgate.proxy.limits.UsageLedger} — admits a request by reserving its estimate
 *       (one request, prompt + output tokens, their cost) against every limit under the key's lock,
 *       then settles the real usage or releases the reservation. Per-minute limits are Bucket4j
 *       buckets; day, ISO week and month windows follow the calendar of the configured zone; a
 *       request is billed into the windows it was admitted in.</li>
 *   <li>Counters are kept in memory (authoritative in this process) and written to table
 *       {@code usage_counters} every flush interval and on close; an account is loaded from it on
 *       its key's first use, so spent quotas survive a restart. On H2 one proxy instance uses the
 *       database.</li>
 *   <li>On PostgreSQL several instances share it: {@link dev.tollgate.proxy.limits.SharedLedger}
 *       admits against leases of each key's remaining allowance and slices of its per-minute buckets
 *       ({@link dev.tollgate.proxy.limits.Leases}: tables {@code allowance_leases}, {@code rate_buckets},
 *       {@code proxy_instances}), tops them up in one transaction when they cannot cover a request,
 *       and writes counters as deltas.</li>
 *   <li>Money is counted in nano-dollars ({@link dev.tollgate.proxy.limits.Prices#costNanos}), each
 *       request's cost rounded once (HALF_UP); it is shown in US dollars with 6 decimals.</li>
 * </ul>
 */
package dev.tollgate.proxy.limits;
