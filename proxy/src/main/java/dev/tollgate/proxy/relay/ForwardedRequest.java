package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A request checked and rewritten for Groq by its route.
 *
 * @param body                the body to send (the model alias resolved, fields Groq refuses dropped)
 * @param requestedModel      the model the client named
 * @param upstreamModel       Groq's id for it
 * @param stream              whether the client asked for a stream
 * @param clientAskedForUsage whether a stream's client asked for its usage chunk ({@code stream_options.include_usage})
 * @param changes             what the history clean-up changed ({@link HistoryCleanup}), for {@code x-tollgate-request-changes}
 */
record ForwardedRequest(
        ObjectNode body,
        String requestedModel,
        String upstreamModel,
        boolean stream,
        boolean clientAskedForUsage,
        List<String> changes) {}
