package dev.tollgate.proxy.relay;

import dev.tollgate.proxy.upstream.ClientWatch;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices a client that closes its connection while Groq is still working on the answer, before
 * anything has been sent back, so the call to Groq is cancelled rather than run (and paid for) to the end.
 *
 * <p>An HTTP/1.1 server reads nothing while a request is handled, so a client that leaves is silent
 * until the proxy writes. A watch therefore asks the connection to tell it when it becomes readable
 * (end of input: the client left). It is armed only once a request has waited {@link #ARM_AFTER}, since
 * a watch still pending when the answer is ready means the answer must close the connection after it
 * ({@code Connection: close}) — an extra reconnect, cheap next to a wait that long. Bytes that arrive
 * instead of the end (a client pipelining its next request, which OpenAI clients do not do) are not
 * given back: that answer closes the connection too, and the pipelined request goes unanswered.
 */
public final class ClientWatches implements AutoCloseable {
    static final Duration ARM_AFTER = Duration.ofSeconds(1);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tollgate-client-watch");
        t.setDaemon(true);
        return t;
    });

    /** Starts watching the client of {@code ctx}; close the watch before anything is written to the response. */
    Watch watch(Context ctx) {
        Watch watch = new Watch(ctx);
        watch.arming = timer.schedule(watch::arm, ARM_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        return watch;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One request's watch over its client while Groq works. */
    static final class Watch implements AutoCloseable, Callback, ClientWatch {
        private enum State {
            WAITING,
            ARMED,
            LEFT,
            SENT_BYTES,
            CLOSED
        }

        private final Context ctx;
        private final AtomicReference<State> state = new AtomicReference<>(State.WAITING);
        private volatile Call call;
        private volatile EndPoint endPoint;
        private volatile ScheduledFuture<?> arming;

        private Watch(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public void attach(Call call) {
            this.call = call;
            if (clientLeft()) call.cancel();
        }

        @Override
        public boolean clientLeft() {
            return state.get() == State.LEFT;
        }

        private void arm() {
            try {
                EndPoint ep = ServletContextRequest.getServletContextRequest(ctx.req())
                        .getConnectionMetaData()
                        .getConnection()
                        .getEndPoint();
                endPoint = ep;
                if (!state.compareAndSet(State.WAITING, State.ARMED)) return;
                if (!ep.tryFillInterested(this))
                    state.compareAndSet(State.ARMED, State.CLOSED); // the connection reads already
            } catch (RuntimeException notJetty) {
                state.compareAndSet(State.WAITING, State.CLOSED);
            }
        }

        /** The connection is readable: the end of input means the client left. */
        @Override
        public void succeeded() {
            if (state.get() != State.ARMED) return;
            try {
                ByteBuffer one = BufferUtil.allocate(1);
                int read = endPoint.fill(one);
                if (read < 0) left();
                else if (read > 0) state.compareAndSet(State.ARMED, State.SENT_BYTES);
                else if (!endPoint.tryFillInterested(this)) state.compareAndSet(State.ARMED, State.CLOSED);
            } catch (IOException e) {
                left();
            }
        }

        @Override
        public void failed(Throwable failure) {
            if (state.get() != State.ARMED) return;
            if (failure instanceof TimeoutException) { // the connection's idle timeout: the client may still be there
                if (!endPoint.tryFillInterested(this)) state.compareAndSet(State.ARMED, State.CLOSED);
                return;
            }
            left();
        }

        private void left() {
            if (!state.compareAndSet(State.ARMED, State.LEFT)) return;
            Call running = call;
            if (running != null) running.cancel();
        }

        /** Stops watching; a watch still waiting on the connection makes the answer close it after. */
        @Override
        public void close() {
            ScheduledFuture<?> pending = arming;
            if (pending != null) pending.cancel(false);
            State before = state.getAndUpdate(s -> s == State.LEFT ? s : State.CLOSED);
            if ((before == State.ARMED || before == State.SENT_BYTES)
                    && !ctx.res().isCommitted()) ctx.res().setHeader("Connection", "close");
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }
}
