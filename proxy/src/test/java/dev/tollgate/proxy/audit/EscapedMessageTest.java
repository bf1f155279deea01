package dev.tollgate.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import dev.tollgate.proxy.CapturedOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EscapedMessageTest {
    @ParameterizedTest(name = "U+{0}")
    @CsvSource({
        "000a, \\n",
        "000d, \\r",
        "0009, \\t",
        "0000, \\u0000",
        "001b, \\u001b",
        "007f, \\u007f",
        "0085, \\u0085",
        "009f, \\u009f",
        "2028, \\u2028",
        "2029, \\u2029"
    })
    void controlsAreEscaped(String codePoint, String escaped) {
        char control = (char) Integer.parseInt(codePoint, 16);
        assertThat(EscapedMessage.escape("model=x" + control + "FORGED")).isEqualTo("model=x" + escaped + "FORGED");
    }

    @Test
    void printableTextIsLeftAsItIs() {
        String text = "request id=tg_1 model=openai/gpt-oss-120b user=Zoë 日本 \\n \u00a0";
        assertThat(EscapedMessage.escape(text)).isSameAs(text);
        assertThat(EscapedMessage.escape(null)).isNull();
    }

    @Test
    void theShippedLogConfigurationWritesOneLinePerEvent() throws Exception {
        LoggerContext logs = new LoggerContext();
        logs.setMDCAdapter(
                new ch.qos.logback.classic.util.LogbackMDCAdapter()); // as SLF4J's binding gives its own context
        try (CapturedOutput out = new CapturedOutput()) {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(logs);
            configurator.doConfigure(
                    EscapedMessageTest.class.getResource("/logback.xml")); // the proxy's own, from src/main
            logs.getLogger("tollgate.request")
                    .info(
                            "request id={} model={} status={}",
                            "tg_1",
                            "x\n2026-01-01T00:00:00.000Z INFO  tollgate.request - request id=tg_forged status=200",
                            404);
            logs.stop(); // drains the asynchronous appender
            assertThat(out.text().lines().filter(line -> line.contains("tollgate.request")))
                    .singleElement()
                    .asString()
                    .contains(
                            "model=x\\n2026-01-01T00:00:00.000Z INFO  tollgate.request - request id=tg_forged status=200 status=404");
        }
    }
}
