package dev.tollgate.proxy.limits;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The model's prices in US dollars per million tokens (the model card: $0.15 in, $0.75 out), and
 * what a prompt token served from Groq's prompt cache costs: half the input price, as Groq's
 * prompt caching bills it (https://console.groq.com/docs/prompt-caching: "token costs [reduced] by
 * 50% for cached portions"). Costs are counted in nano-dollars (n$, 10⁻⁹ USD) so sums stay exact in a long.
 */
public record Prices(BigDecimal inputPerMillion, BigDecimal cachedInputPerMillion, BigDecimal outputPerMillion) {
    public static final Prices MODEL_CARD = new Prices(new BigDecimal("0.15"), new BigDecimal("0.75"));

    private static final BigDecimal NANOS_PER_TOKEN_PER_USD_PER_MILLION = BigDecimal.valueOf(1000);

    public Prices {
        if (inputPerMillion == null || inputPerMillion.signum() < 0)
            throw new IllegalArgumentException("input price must be >= 0");
        if (cachedInputPerMillion == null || cachedInputPerMillion.signum() < 0)
            throw new IllegalArgumentException("cached input price must be >= 0");
        if (outputPerMillion == null || outputPerMillion.signum() < 0)
            throw new IllegalArgumentException("output price must be >= 0");
    }

    /** With cached prompt tokens at half the input price. */
    public Prices(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
        this(inputPerMillion, halfOf(inputPerMillion), outputPerMillion);
    }

    /** Half of {@code price}, exactly (0.15 → 0.075). */
    public static BigDecimal halfOf(BigDecimal price) {
        return price == null ? null : price.divide(BigDecimal.valueOf(2));
    }

    /**
     * What a request costs in nano-dollars, rounded once (HALF_UP) to the nano-dollar:
     * 1,000,000 input + 1,000,000 output tokens = 900,000,000 n$ = $0.90.
     */
    public long costNanos(long promptTokens, long completionTokens) {
        return costNanos(promptTokens, 0, completionTokens);
    }

    /** The same, with {@code cachedTokens} of the prompt tokens served from the prompt cache (at the cached price). */
    public long costNanos(long promptTokens, long cachedTokens, long completionTokens) {
        if (promptTokens < 0 || completionTokens < 0 || cachedTokens < 0)
            throw new IllegalArgumentException("token counts must be >= 0");
        if (cachedTokens > promptTokens)
            throw new IllegalArgumentException("cached tokens are part of the prompt tokens");
        BigDecimal usdPerMillion = inputPerMillion
                .multiply(BigDecimal.valueOf(promptTokens - cachedTokens))
                .add(cachedInputPerMillion.multiply(BigDecimal.valueOf(cachedTokens)))
                .add(outputPerMillion.multiply(BigDecimal.valueOf(completionTokens)));
        // $ per million tokens × tokens / 10⁶ = $; × 10⁹ = n$: in all, × 1000.
        return usdPerMillion
                .multiply(NANOS_PER_TOKEN_PER_USD_PER_MILLION)
                .setScale(0, RoundingMode.HALF_UP)
                .longValueExact();
    }

    /** Nano-dollars as US dollars with exactly 6 decimals (to the micro-dollar, HALF_UP): 4,443,600 → "0.004444". */
    public static String usd(long nanos) {
        return usdDecimal(nanos).toPlainString();
    }

    /** {@link #usd(long)} as a number, for JSON (scale 6, so it prints without an exponent). */
    public static BigDecimal usdDecimal(long nanos) {
        return BigDecimal.valueOf(nanos, 9).setScale(6, RoundingMode.HALF_UP);
    }
}
