package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.proxy.ApiError;
import dev.tollgate.proxy.keys.ClientKey;
import dev.tollgate.proxy.limits.LimitStore;
import dev.tollgate.proxy.limits.Reservation;
import dev.tollgate.proxy.limits.UsageLedger;
import io.javalin.http.Context;

/**
 * One request's dealings with its key's limits: the reservation made before anything is sent to
 * Groq (a 429 when it does not fit), the {@code x-ratelimit-*} headers that result, and exactly one
 * settlement afterwards — the real usage, what a cut-off stream consumed, or a full release when
 * Groq served nothing.
 */
final class Spending implements AutoCloseable {
    private final UsageLedger ledger;
    private final Reservation reservation;
    private boolean settled;
    private JsonNode usage;
    private long billedPrompt = -1;
    private long billedCompletion = -1;

    private Spending(UsageLedger ledger, Reservation reservation) {
        this.ledger = ledger;
        this.reservation = reservation;
    }

    /** Reserves the estimate for {@code key}, or throws the 429 {@link ApiError} saying which limit. */
    static Spending reserve(UsageLedger ledger, LimitStore limits, ClientKey key, TokenEstimate estimate, Context ctx) {
        Reservation reservation = ledger.admit(key.id(), key.name(), limits.get(key.id()), estimate.prompt(), estimate.output());
        reservation.headers().asMap().forEach(ctx::header);
        return new Spending(ledger, reservation);
    }

    /** Bills what Groq reported ({@code prompt_tokens}/{@code completion_tokens}, or the Responses API's input/output tokens). */
    void bill(JsonNode usage) {
        long prompt = usage.path("prompt_tokens").asLong(usage.path("input_tokens").asLong(0));
        long completion = usage.path("completion_tokens").asLong(usage.path("output_tokens").asLong(0));
        if (!settled) this.usage = usage;
        bill(prompt, completion);
    }

    /** Bills a stream cut short before Groq stated its usage: the prompt as estimated, the output as seen. */
    void billEstimated(long outputTokensSeen) {
        bill(reservation.promptTokenEstimate(), outputTokensSeen);
    }

    private void bill(long prompt, long completion) {
        if (settled) return;
        settled = true;
        billedPrompt = prompt;
        billedCompletion = completion;
        ledger.settle(reservation, prompt, completion);
    }

    /** Groq's usage when it stated it, else null (estimated or released). */
    JsonNode usage() {
        return usage;
    }

    /** Prompt tokens billed, or -1 when nothing was (released). */
    long billedPrompt() {
        return billedPrompt;
    }

    long billedCompletion() {
        return billedCompletion;
    }

    /** Anything not billed by now consumed nothing (Groq refused or failed before answering): release it. */
    @Override
    public void close() {
        if (settled) return;
        settled = true;
        ledger.release(reservation);
    }

    long billedCostNanos() {
        return reservation.billedCostNanos();
    }
}
