package dev.tollgate.proxy.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Budget arithmetic to the nano-dollar, shown to the micro-dollar. */
class PricesTest {
    private final Prices card = Prices.MODEL_CARD;

    @Test
    void cachedPromptTokensCostTheCachedPriceHalfTheInputByDefault() {
        assertThat(card.cachedInputPerMillion()).isEqualByComparingTo("0.075");
        assertThat(card.costNanos(1000, 600, 10)).isEqualTo(400 * 150 + 600 * 75 + 10 * 750);
        Prices own = new Prices(new BigDecimal("0.2"), new BigDecimal("0.01"), new BigDecimal("1"));
        assertThat(own.costNanos(100, 100, 0)).isEqualTo(100 * 10);
        assertThat(new CostMeter(own).costNanos(123, 45, 6)).isEqualTo(own.costNanos(123, 45, 6));
        assertThatThrownBy(() -> card.costNanos(10, 11, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokensTimesTheModelCardPrices() {
        assertThat(card.costNanos(1, 0)).isEqualTo(150); // $0.15 / 10⁶ tokens = 150 n$ a token
        assertThat(card.costNanos(0, 1)).isEqualTo(750);
        assertThat(card.costNanos(1234, 5678))
                .isEqualTo(1234 * 150 + 5678 * 750)
                .isEqualTo(4_443_600);
        assertThat(card.costNanos(1_000_000, 1_000_000)).isEqualTo(900_000_000);
        assertThat(Prices.usd(900_000_000)).isEqualTo("0.900000");
    }

    @Test
    void dollarsAreShownWithSixDecimalsRoundedHalfUp() {
        assertThat(Prices.usd(4_443_600)).isEqualTo("0.004444");
        assertThat(Prices.usd(4_443_500)).isEqualTo("0.004444");
        assertThat(Prices.usd(4_444_500)).isEqualTo("0.004445");
        assertThat(Prices.usd(150_000)).isEqualTo("0.000150");
        assertThat(Prices.usd(499)).isEqualTo("0.000000");
        assertThat(Prices.usd(500)).isEqualTo("0.000001");
        assertThat(Prices.usd(0)).isEqualTo("0.000000");
        assertThat(Prices.usd(12_345_678_901_234L)).isEqualTo("12345.678901");
        assertThat(Prices.usdDecimal(0).toString()).isEqualTo("0.000000"); // no exponent in JSON
        assertThat(Prices.usdDecimal(700).toString()).isEqualTo("0.000001");
    }

    @Test
    void configuredPricesRoundOnceToTheNanoDollar() {
        Prices odd = new Prices(new BigDecimal("0.0001234"), new BigDecimal("1.0000005"));
        // 3 × 0.1234 n$ + 1 × 1000.0005 n$ = 1000.3707 → 1000
        assertThat(odd.costNanos(3, 1)).isEqualTo(1000);
        // 5 × 0.1234 + 1 × 1000.0005 = 1000.6175 → 1001
        assertThat(odd.costNanos(5, 1)).isEqualTo(1001);
        assertThat(new Prices(new BigDecimal("0.0005"), BigDecimal.ZERO).costNanos(1, 0))
                .isEqualTo(1); // 0.5 → 1 (HALF_UP)
    }

    @Test
    void theHotPathMeterAgreesWithTheExactArithmetic() {
        Random random = new Random(42);
        Prices[] prices = {
            card,
            new Prices(new BigDecimal("0.123456789"), new BigDecimal("7.5")),
            new Prices(new BigDecimal("0.12345678912"), new BigDecimal("0.0000000001")), // more than 9 decimals
            new Prices(new BigDecimal("1000"), new BigDecimal("3000"))
        };
        for (Prices p : prices) {
            CostMeter meter = new CostMeter(p);
            for (int i = 0; i < 10_000; i++) {
                long in = random.nextInt(1 << 20), out = random.nextInt(1 << 17);
                assertThat(meter.costNanos(in, out))
                        .as("%s × %d, %d", p, in, out)
                        .isEqualTo(p.costNanos(in, out));
            }
            long huge = 1_000_000_000_000L; // overflows the long fast path: BigDecimal takes over
            assertThat(meter.costNanos(huge, huge)).isEqualTo(p.costNanos(huge, huge));
        }
    }

    @Test
    void negativePricesAndTokensAreRefused() {
        assertThatThrownBy(() -> new Prices(new BigDecimal("-1"), BigDecimal.ONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> card.costNanos(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
