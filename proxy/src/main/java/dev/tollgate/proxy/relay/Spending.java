package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.proxy.keys.ClientKey;
import dev.tollgate.proxy.limits.LimitStore;
import dev.tollgate.proxy.limits.Reservation;
import dev.tollgate.proxy.limits.UsageLedger;
import dev.tollgate.proxy.openai.ApiError;
import io.javalin.http.Context;
import java.util.function.LongSupplier;

/**
 * One request's dealings with its key's limits: the reservation made before anything is sent to
 * Groq (a 429 when it does not fit), the {@code x-ratelimit-*} headers that result, and exactly one
 * settlement afterwards, by the billing policy ({@link #settle}): the real usage, an estimate of what
 * an answer cut short consumed, or a full release when Groq served nothing.
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
        Reservation reservation =
                ledger.admit(key.id(), key.name(), limits.get(key.id()), estimate.prompt(), estimate.output());
        reservation.headers().asMap().forEach(ctx::header);
        return new Spending(ledger, reservation);
    }

    /**
     * Settles by the billing policy: Groq's {@code usage} whenever Groq stated it; else, when the client
     * left after Groq started working or output reached the client, an estimate — the prompt counted by
     * {@code promptTokens} (the model's tokenizer) and the {@code outputTokens} relayed, capped by the
     * request's maximum output; else nothing (released when closed). A malformed answer bills nothing.
     */
    void settle(Ending ending, JsonNode usage, long outputTokens, LongSupplier promptTokens) {
        if (ending == Ending.ANSWER_MALFORMED) return;
        if (usage != null && usage.isObject()) bill(usage);
        else if (ending == Ending.CLIENT_LEFT || outputTokens > 0) {
            bill(promptTokens.getAsLong(), 0, Math.min(outputTokens, reservation.outputTokenEstimate()));
        }
    }

    /** Bills what Groq reported ({@code prompt_tokens}/{@code completion_tokens}, or the Responses API's input/output tokens). */
    private void bill(JsonNode usage) {
        long prompt = count(usage, "prompt_tokens", "input_tokens");
        long completion = count(usage, "completion_tokens", "output_tokens");
        long cached = Math.max(
                usage.at("/prompt_tokens_details/cached_tokens").asLong(0),
                usage.at("/input_tokens_details/cached_tokens").asLong(0));
        if (!settled) this.usage = usage;
        bill(prompt, Math.max(0, cached), completion);
    }

    private static long count(JsonNode usage, String chat, String responses) {
        return Math.max(0, usage.path(chat).asLong(usage.path(responses).asLong(0)));
    }

    private void bill(long prompt, long cached, long completion) {
        if (settled) return;
        settled = true;
        billedPrompt = prompt;
        billedCompletion = completion;
        ledger.settle(reservation, prompt, Math.min(cached, prompt), completion);
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
