package dev.tollgate.proxy.cli;

import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.keys.ClientKey;
import dev.tollgate.proxy.keys.KeyStore;
import dev.tollgate.proxy.limits.UsageLedger;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code keys usage ID}: the key's usage, spend and what remains in each period, as the proxy
 * last saved them (a running proxy saves its counters every second).
 */
@Command(name = "usage", description = "Show a key's usage, spend and remaining limits for the current periods.")
public final class KeyUsageCommand extends KeysCommand.Action {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    void run(KeyStore store, PrintWriter out) {
        ClientKey key = store.require(id);
        try (UsageLedger ledger = new UsageLedger(pool(), clock(), limitsConfig())) {
            out.println(
                    Json.pretty(ledger.usage(key.id(), limits().get(key.id())).toJson()));
        }
    }
}
