package dev.tollgate.proxy.limits;

import java.math.BigDecimal;

/**
 * {@link Prices#costNanos} without BigDecimal on the hot path: prices with up to 9 decimals become
 * whole femto-dollars (10⁻¹⁵ USD) per token, so a cost is two long multiplications and one rounding.
 * Anything else (more decimals, an overflow) falls back to the exact BigDecimal arithmetic.
 */
final class CostMeter {
    private static final long FEMTOS_PER_NANO = 1_000_000;

    private final Prices prices;
    private final long inputFemtos; // per token; -1 when the price has more than 9 decimals
    private final long cachedFemtos;
    private final long outputFemtos;

    CostMeter(Prices prices) {
        this.prices = prices;
        this.inputFemtos = femtosPerToken(prices.inputPerMillion());
        this.cachedFemtos = femtosPerToken(prices.cachedInputPerMillion());
        this.outputFemtos = femtosPerToken(prices.outputPerMillion());
    }

    long costNanos(long promptTokens, long completionTokens) {
        return costNanos(promptTokens, 0, completionTokens);
    }

    /** {@code cachedTokens} are the part of {@code promptTokens} served from the prompt cache. */
    long costNanos(long promptTokens, long cachedTokens, long completionTokens) {
        if (inputFemtos >= 0
                && cachedFemtos >= 0
                && outputFemtos >= 0
                && cachedTokens >= 0
                && promptTokens >= cachedTokens
                && completionTokens >= 0) {
            try {
                long femtos = Math.addExact(
                        Math.addExact(
                                Math.multiplyExact(promptTokens - cachedTokens, inputFemtos),
                                Math.multiplyExact(cachedTokens, cachedFemtos)),
                        Math.multiplyExact(completionTokens, outputFemtos));
                long nanos = femtos / FEMTOS_PER_NANO;
                return femtos % FEMTOS_PER_NANO >= FEMTOS_PER_NANO / 2 ? nanos + 1 : nanos; // HALF_UP
            } catch (ArithmeticException overflow) {
                // billions of tokens: let BigDecimal do it
            }
        }
        return prices.costNanos(promptTokens, cachedTokens, completionTokens);
    }

    Prices prices() {
        return prices;
    }

    // $ per million tokens → femto-dollars per token: × 10¹⁵ / 10⁶ = × 10⁹.
    private static long femtosPerToken(BigDecimal usdPerMillion) {
        try {
            return usdPerMillion.movePointRight(9).longValueExact();
        } catch (ArithmeticException notWhole) {
            return -1;
        }
    }
}
