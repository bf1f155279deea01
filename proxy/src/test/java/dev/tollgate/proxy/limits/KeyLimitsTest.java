package dev.tollgate.proxy.limits;

import static dev.tollgate.proxy.limits.Ledgers.limits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.openai.ApiError;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyLimitsTest {
    @Test
    void readsEveryField() {
        KeyLimits l = limits("{\"requests_per_minute\": 30, \"tokens_per_minute\": 60000, \"requests_per_day\": 1000,"
                + " \"tokens_per_day\": 2000000, \"requests_per_month\": 20000, \"tokens_per_month\": 40000000,"
                + " \"budget_usd\": 12.50, \"budget_period\": \"week\"}");
        assertThat(l)
                .isEqualTo(new KeyLimits(
                        30L,
                        60000L,
                        1000L,
                        2_000_000L,
                        20000L,
                        40_000_000L,
                        new BigDecimal("12.5"),
                        BudgetPeriod.WEEK));
        assertThat(KeyLimits.fromJson(l.toJson())).isEqualTo(l);
        assertThat(Json.compact(l.toJson())).contains("\"budget_usd\":12.5,\"budget_period\":\"week\"");
    }

    @Test
    void nothingSetIsNoLimits() {
        assertThat(limits("{}")).isEqualTo(KeyLimits.NONE);
        assertThat(KeyLimits.fromJson(null)).isEqualTo(KeyLimits.NONE);
        assertThat(limits("{\"requests_per_day\": null}").isEmpty()).isTrue();
        assertThat(Json.compact(KeyLimits.NONE.toJson()))
                .isEqualTo("{\"requests_per_minute\":null,\"tokens_per_minute\":null,"
                        + "\"requests_per_day\":null,\"tokens_per_day\":null,\"requests_per_month\":null,\"tokens_per_month\":null,"
                        + "\"budget_usd\":null,\"budget_period\":null}");
    }

    @Test
    void aBudgetIsMonthlyUnlessSaidOtherwise() {
        assertThat(limits("{\"budget_usd\": 5}").budgetPeriod()).isEqualTo(BudgetPeriod.MONTH);
        assertThat(limits("{\"budget_usd\": 0}").budgetUsd()).isEqualByComparingTo("0");
        assertThat(limits("{\"budget_usd\": 100}").toJson().get("budget_usd").toString())
                .isEqualTo("100");
        assertThat(limits("{\"budget_usd\": 0.000001}").budgetNanos()).isEqualTo(1000);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"requests_per_day\": 0}                          | limits.requests_per_day",
                "{\"requests_per_day\": -5}                         | limits.requests_per_day",
                "{\"tokens_per_minute\": 1.5}                       | limits.tokens_per_minute",
                "{\"tokens_per_minute\": \"100\"}                   | limits.tokens_per_minute",
                "{\"requests_per_month\": 99999999999999999999999}  | limits.requests_per_month",
                "{\"requests_per_month\": 1000000000000001}         | limits.requests_per_month",
                "{\"tokens_per_minute\": 60000000001}               | limits.tokens_per_minute",
                "{\"budget_usd\": -1}                               | limits.budget_usd",
                "{\"budget_usd\": 0.0000001}                        | limits.budget_usd",
                "{\"budget_usd\": \"10\"}                           | limits.budget_usd",
                "{\"budget_usd\": 1000000001}                       | limits.budget_usd",
                "{\"budget_usd\": 5, \"budget_period\": \"year\"}   | limits.budget_period",
                "{\"budget_period\": \"day\"}                       | limits.budget_period",
                "{\"requests_per_hour\": 10}                        | limits.requests_per_hour",
                "[1, 2]                                             | limits"
            })
    void invalidLimitsAre400sNamingTheField(String json, String param) {
        assertThatThrownBy(() -> limits(json)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.type()).isEqualTo("invalid_request_error");
            assertThat(e.param()).isEqualTo(param);
        });
    }

    @Test
    void aPatchChangesOnlyWhatItNames() {
        KeyLimits l = limits(
                "{\"requests_per_minute\": 30, \"tokens_per_day\": 5000, \"budget_usd\": 10, \"budget_period\": \"day\"}");

        assertThat(l.patchedWith(Json.parse("{}"))).isEqualTo(l);
        assertThat(l.patchedWith(Json.parse("{\"requests_per_minute\": 60}")))
                .isEqualTo(new KeyLimits(60L, null, null, 5000L, null, null, BigDecimal.TEN, BudgetPeriod.DAY));
        assertThat(l.patchedWith(Json.parse("{\"tokens_per_day\": null, \"requests_per_month\": 7}")))
                .isEqualTo(new KeyLimits(30L, null, null, null, 7L, null, BigDecimal.TEN, BudgetPeriod.DAY));
        assertThat(l.patchedWith(Json.parse("{\"budget_usd\": 20}")).budgetPeriod())
                .isEqualTo(BudgetPeriod.DAY);
        assertThat(l.patchedWith(Json.parse("{\"budget_period\": \"total\"}")).budgetPeriod())
                .isEqualTo(BudgetPeriod.TOTAL);
        KeyLimits noBudget = l.patchedWith(Json.parse("{\"budget_usd\": null}"));
        assertThat(noBudget.budgetUsd()).isNull();
        assertThat(noBudget.budgetPeriod()).isNull();
        assertThatThrownBy(() -> noBudget.patchedWith(Json.parse("{\"budget_period\": \"week\"}")))
                .isInstanceOf(ApiError.class);
        assertThatThrownBy(() -> l.patchedWith(Json.parse("{\"rpm\": 1}")))
                .isInstanceOfSatisfying(
                        ApiError.class, e -> assertThat(e.param()).isEqualTo("limits.rpm"));
    }
}
