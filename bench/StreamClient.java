import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's precise HTTP/1.1 client for event streams (bench/compare.sh compiles and runs it).
 * Plain blocking sockets, keep-alive, chunked or Content-Length bodies; every SSE event is stamped
 * with System.nanoTime() taken right after the socket read that completed it, and with the number of
 * that read, so events that arrived together (bunched) are visible. No dependencies, JDK 21+.
 *
 * Modes (arguments are key=value; header=Name:value may repeat):
 *   seq   url= body= n= out=          n streams one after another on one connection; writes one line per
 *                                     event: stream, event index, µs since the request was written, read
 *                                     number, token (1 if the event carries content or reasoning text)
 *   stats ref=direct PATH=f1,f2 ...   reads seq files: time to first token, gap distortion vs ref, bunching
 *   many  url= body= n= tokens= conc= pids=   n streams at once (virtual threads), at most conc still waiting
 *                                     for their first event; RSS of pids (summed) idle, with all open, after
 *   mixed json= jsonbody= rate= url= body= streams= seconds= idle= after= pids= rss=
 *                                     a steady mixed load for seconds (JSON at rate/s, streams kept open),
 *                                     RSS of pids sampled every second to the rss file
 * Prints "BENCH key=value ..." lines for the script; exits 1 when any answer failed.
 */
public final class StreamClient {
    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        List<String> headers = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            String k = args[i].substring(0, eq), v = args[i].substring(eq + 1);
            if (k.equals("header")) headers.add(v);
            else a.put(k, v);
        }
        int rc = switch (args[0]) {
            case "seq" -> seq(a, headers);
            case "stats" -> stats(a);
            case "many" -> many(a, headers);
            case "mixed" -> mixed(a, headers);
            default -> throw new IllegalArgumentException("mode: seq, stats, many or mixed");
        };
        System.exit(rc);
    }

    // ---------------------------------------------------------------- HTTP
    record Target(String host, int port, String path) {
        static Target of(String url) {
            URI u = URI.create(url);
            return new Target(u.getHost(), u.getPort(), u.getRawPath());
        }
    }

    static byte[] request(Target t, byte[] body, List<String> headers) {
        StringBuilder sb = new StringBuilder();
        sb.append("POST ").append(t.path).append(" HTTP/1.1\r\nHost: ").append(t.host).append(':').append(t.port)
                .append("\r\nContent-Type: application/json\r\nAccept: */*\r\nContent-Length: ").append(body.length).append("\r\n");
        for (String h : headers) sb.append(h).append("\r\n");
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** One SSE event as it arrived. */
    record Event(long atNanos, long read, boolean token, boolean done, boolean error, String data) {}

    /** What one exchange gave: status, events (for a stream) or the body length (JSON). */
    static final class Answer {
        int status;
        boolean stream;
        long bodyBytes;
        final List<Event> events = new ArrayList<>();
        long firstEventNanos;
        boolean complete; // the body ended properly (last chunk or Content-Length reached)

        boolean streamOk(int expectTokens) {
            long tokens = events.stream().filter(Event::token).count();
            boolean done = !events.isEmpty() && events.getLast().done();
            return status == 200 && complete && done && events.stream().noneMatch(Event::error)
                    && (expectTokens <= 0 || tokens == expectTokens);
        }
    }

    /** A keep-alive connection that stamps each read. */
    static final class Conn implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final byte[] buf = new byte[65536];
        int pos, lim;
        long reads, lastReadNanos;
        /** Called for each event as it is parsed (many-streams counting); may be null. */
        java.util.function.Consumer<Event> onEvent;

        Conn(Target t) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(t.host, t.port), 30_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        boolean fill() throws IOException {
            int n = in.read(buf, 0, buf.length);
            lastReadNanos = System.nanoTime();
            if (n <= 0) return false;
            reads++;
            pos = 0;
            lim = n;
            return true;
        }

        int next() throws IOException {
            if (pos == lim && !fill()) throw new IOException("connection closed mid-answer");
            return buf[pos++] & 0xff;
        }

        String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = next()) != '\n') if (c != '\r') sb.append((char) c);
            return sb.toString();
        }

        Answer exchange(byte[] req) throws IOException {
            out.write(req);
            out.flush();
            Answer ans = new Answer();
            String status = line();
            ans.status = Integer.parseInt(status.split(" ")[1]);
            long length = -1;
            boolean chunked = false;
            for (String h; !(h = line()).isEmpty(); ) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) length = Long.parseLong(h.substring(15).trim());
                else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
                else if (lower.startsWith("content-type:") && lower.contains("text/event-stream")) ans.stream = true;
            }
            Sse sse = ans.stream ? new Sse(ans, this) : null;
            if (chunked) {
                while (true) {
                    String sizeLine = line();
                    int semi = sizeLine.indexOf(';');
                    long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                    if (size == 0) {
                        while (!line().isEmpty()) { } // trailers
                        break;
                    }
                    body(size, ans, sse);
                    line(); // CRLF after the chunk
                }
                ans.complete = true;
            } else if (length >= 0) {
                body(length, ans, sse);
                ans.complete = true;
            } else {
                throw new IOException("answer without a length and not chunked");
            }
            return ans;
        }

        private void body(long size, Answer ans, Sse sse) throws IOException {
            while (size > 0) {
                if (pos == lim && !fill()) throw new IOException("connection closed mid-body");
                int n = (int) Math.min(size, lim - pos);
                if (sse != null) sse.feed(buf, pos, n);
                ans.bodyBytes += n;
                pos += n;
                size -= n;
            }
        }

        @Override public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** Splits an SSE byte stream into events (blank-line separated), stamping each with the current read. */
    static final class Sse {
        final Answer ans;
        final Conn conn;
        final StringBuilder line = new StringBuilder();
        final StringBuilder data = new StringBuilder();
        String name;

        Sse(Answer ans, Conn conn) {
            this.ans = ans;
            this.conn = conn;
        }

        void feed(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                char c = (char) (b[i] & 0xff); // the markers are ASCII; the data's other bytes are only searched
                if (c == '\r') continue;
                if (c != '\n') {
                    line.append(c);
                    continue;
                }
                if (line.isEmpty()) {
                    if (!data.isEmpty() || name != null) dispatch();
                } else if (line.indexOf("data:") == 0) {
                    if (!data.isEmpty()) data.append('\n');
                    data.append(line, line.charAt(5) == ' ' ? 6 : 5, line.length());
                } else if (line.indexOf("event:") == 0) {
                    name = line.substring(6).trim();
                }
                line.setLength(0);
            }
        }

        private void dispatch() {
            String d = data.toString();
            boolean token = hasText(d, "\"content\":\"") || hasText(d, "\"reasoning\":\"");
            Event e = new Event(conn.lastReadNanos, conn.reads, token, d.equals("[DONE]"), "error".equals(name), d.length() > 200 ? null : d);
            if (ans.events.isEmpty()) ans.firstEventNanos = e.atNanos();
            ans.events.add(e);
            if (conn.onEvent != null) conn.onEvent.accept(e);
            data.setLength(0);
            name = null;
        }

        private static boolean hasText(String d, String key) {
            int i = d.indexOf(key);
            return i >= 0 && i + key.length() < d.length() && d.charAt(i + key.length()) != '"';
        }
    }

    // ---------------------------------------------------------------- seq
    static int seq(Map<String, String> a, List<String> headers) throws Exception {
        Target t = Target.of(a.get("url"));
        byte[] req = request(t, Files.readAllBytes(Path.of(a.get("body"))), headers);
        int n = Integer.parseInt(a.get("n"));
        int expect = Integer.parseInt(a.getOrDefault("tokens", "0"));
        int failed = 0;
        StringBuilder out = new StringBuilder();
        Conn conn = new Conn(t);
        try {
            for (int s = 0; s < n; s++) {
                long t0 = System.nanoTime();
                Answer ans;
                try {
                    ans = conn.exchange(req);
                } catch (IOException e) {
                    System.err.println("stream " + s + " failed: " + e.getMessage());
                    failed++;
                    conn.close();
                    conn = new Conn(t);
                    continue;
                }
                if (!ans.streamOk(expect)) {
                    failed++;
                    System.err.printf("stream %d: HTTP %d, %d events, %d token events, complete %s, last %s%n", s, ans.status,
                            ans.events.size(), ans.events.stream().filter(Event::token).count(), ans.complete,
                            ans.events.isEmpty() ? "-" : ans.events.getLast().data());
                }
                int i = 0;
                for (Event e : ans.events) {
                    out.append(s).append('\t').append(i++).append('\t').append((e.atNanos() - t0) / 1000.0).append('\t')
                            .append(e.read()).append('\t').append(e.token() ? 1 : 0).append('\n');
                }
            }
        } finally {
            conn.close();
        }
        Files.writeString(Path.of(a.get("out")), out);
        System.out.printf("BENCH streams=%d failed=%d%n", n, failed);
        return failed == 0 ? 0 : 1;
    }

    // ---------------------------------------------------------------- stats
    /** Token events of one stream: arrival µs and read number. */
    record Stream(double[] at, long[] read) {}

    static List<Stream> load(String files) throws IOException {
        List<Stream> streams = new ArrayList<>();
        for (String f : files.split(",")) {
            Map<Integer, List<String[]>> byStream = new java.util.TreeMap<>();
            for (String l : Files.readAllLines(Path.of(f))) {
                String[] p = l.split("\t");
                if (p[4].equals("1")) byStream.computeIfAbsent(Integer.parseInt(p[0]), k -> new ArrayList<>()).add(p);
            }
            for (List<String[]> rows : byStream.values()) {
                double[] at = new double[rows.size()];
                long[] read = new long[rows.size()];
                for (int i = 0; i < at.length; i++) {
                    at[i] = Double.parseDouble(rows.get(i)[2]);
                    read[i] = Long.parseLong(rows.get(i)[3]);
                }
                streams.add(new Stream(at, read));
            }
        }
        return streams;
    }

    static double pct(double[] v, double p) {
        if (v.length == 0) return Double.NaN;
        double[] s = v.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p / 100 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }

    static int stats(Map<String, String> a) throws IOException {
        String refName = a.getOrDefault("ref", "direct");
        double bunchFraction = Double.parseDouble(a.getOrDefault("bunch", "0.25"));
        List<Stream> ref = load(a.get(refName));
        int len = ref.stream().mapToInt(s -> s.at.length).min().orElse(0);
        double[] refGap = new double[len]; // median gap before token event i in the reference path
        for (int i = 1; i < len; i++) {
            final int k = i;
            refGap[i] = pct(ref.stream().mapToDouble(s -> s.at[k] - s.at[k - 1]).toArray(), 50);
        }
        double refTtft = pct(ref.stream().mapToDouble(s -> s.at[0]).toArray(), 50);
        for (String name : a.keySet()) {
            if (name.equals("ref") || name.equals("bunch")) continue;
            List<Stream> streams = load(a.get(name));
            double[] ttft = streams.stream().mapToDouble(s -> s.at[0]).toArray();
            List<Double> dist = new ArrayList<>();
            long gaps = 0, sameRead = 0, shortGaps = 0;
            int minTokens = Integer.MAX_VALUE, maxTokens = 0, maxPerRead = 0;
            for (Stream s : streams) {
                minTokens = Math.min(minTokens, s.at.length);
                maxTokens = Math.max(maxTokens, s.at.length);
                int run = 1;
                for (int i = 1; i < Math.min(len, s.at.length); i++) {
                    double gap = s.at[i] - s.at[i - 1];
                    dist.add(Math.abs(gap - refGap[i]));
                    if (refGap[i] >= 1000) { // an event the upstream sends a token's time after the one before
                        gaps++;
                        if (s.read[i] == s.read[i - 1]) sameRead++;
                        if (gap < bunchFraction * refGap[i]) shortGaps++;
                    }
                    run = s.read[i] == s.read[i - 1] ? run + 1 : 1;
                    maxPerRead = Math.max(maxPerRead, run);
                }
            }
            double[] d = dist.stream().mapToDouble(Double::doubleValue).toArray();
            double med = pct(ttft, 50);
            System.out.printf(Locale.ROOT, "BENCH path=%s streams=%d tokens_min=%d tokens_max=%d ttft_p50_us=%.1f ttft_min_us=%.1f ttft_max_us=%.1f"
                            + " added_ttft_us=%.1f ref_gap_p50_us=%.1f dist_p50_us=%.1f dist_p99_us=%.1f dist_max_us=%.1f paced_gaps=%d"
                            + " same_read=%d short_gaps=%d max_tokens_per_read=%d%n",
                    name, streams.size(), minTokens, maxTokens, med, pct(ttft, 0), pct(ttft, 100), med - refTtft,
                    pct(Arrays.copyOfRange(refGap, 1, Math.max(1, len)), 50), pct(d, 50), pct(d, 99), pct(d, 100), gaps, sameRead, shortGaps,
                    maxPerRead);
        }
        return 0;
    }

    // ---------------------------------------------------------------- RSS
    static long rssKb(String pids) {
        long sum = 0;
        for (String pid : pids.split(",")) {
            if (pid.isBlank()) continue;
            try {
                for (String l : Files.readAllLines(Path.of("/proc", pid.trim(), "status"))) {
                    if (l.startsWith("VmRSS:")) sum += Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            } catch (IOException e) {
                // the process is gone: count nothing
            }
        }
        return sum;
    }

    static long medianRss(String pids, int samples) throws InterruptedException {
        long[] v = new long[samples];
        for (int i = 0; i < samples; i++) {
            v[i] = rssKb(pids);
            Thread.sleep(100);
        }
        Arrays.sort(v);
        return v[samples / 2];
    }

    // ---------------------------------------------------------------- many
    static int many(Map<String, String> a, List<String> headers) throws Exception {
        Target t = Target.of(a.get("url"));
        byte[] req = request(t, Files.readAllBytes(Path.of(a.get("body"))), headers);
        int n = Integer.parseInt(a.get("n"));
        int expect = Integer.parseInt(a.getOrDefault("tokens", "0"));
        String pids = a.getOrDefault("pids", "");
        Semaphore opening = new Semaphore(Integer.parseInt(a.getOrDefault("conc", "200")));
        AtomicInteger open = new AtomicInteger(), ok = new AtomicInteger(), failed = new AtomicInteger();
        AtomicInteger maxOpen = new AtomicInteger();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        long idle = medianRss(pids, 9);
        CountDownLatch done = new CountDownLatch(n);
        long start = System.nanoTime();
        AtomicLong allOpenAt = new AtomicLong();
        for (int i = 0; i < n; i++) {
            Thread.ofVirtual().start(() -> {
                boolean[] first = {true}; // no event yet: still holds an opening permit
                try {
                    opening.acquireUninterruptibly();
                    try (Conn c = new Conn(t)) {
                        c.onEvent = e -> {
                            if (first[0]) {
                                first[0] = false;
                                int now = open.incrementAndGet();
                                maxOpen.accumulateAndGet(now, Math::max);
                                if (now == n) allOpenAt.set(System.nanoTime());
                                opening.release();
                            }
                        };
                        Answer ans = c.exchange(req);
                        if (ans.streamOk(expect)) ok.incrementAndGet();
                        else {
                            failed.incrementAndGet();
                            errors.add("HTTP " + ans.status + ", " + ans.events.stream().filter(Event::token).count() + " token events");
                        }
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                    errors.add(e.toString());
                } finally {
                    if (first[0]) opening.release();
                    else open.decrementAndGet();
                    done.countDown();
                }
            });
        }
        // RSS while every stream is open: sampled every 50 ms while open == n; the highest sample counts.
        long peakAllOpen = 0, peakAny = 0;
        int samplesAllOpen = 0;
        while (!done.await(50, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            long rss = rssKb(pids);
            peakAny = Math.max(peakAny, rss);
            if (open.get() == n) {
                peakAllOpen = Math.max(peakAllOpen, rss);
                samplesAllOpen++;
            }
        }
        long end = System.nanoTime();
        Thread.sleep(2000);
        long after = medianRss(pids, 9);
        System.out.printf(Locale.ROOT, "BENCH n=%d ok=%d failed=%d max_open=%d all_open_after_s=%.2f total_s=%.2f idle_rss_kb=%d"
                        + " all_open_rss_kb=%d samples_all_open=%d peak_rss_kb=%d after_rss_kb=%d kb_per_stream=%.1f%n",
                n, ok.get(), failed.get(), maxOpen.get(), allOpenAt.get() == 0 ? -1 : (allOpenAt.get() - start) / 1e9,
                (end - start) / 1e9, idle, peakAllOpen, samplesAllOpen, peakAny, after,
                peakAllOpen == 0 ? -1.0 : (peakAllOpen - idle) / (double) n);
        if (!errors.isEmpty()) System.out.println("BENCH first_error=" + errors.getFirst().replace(' ', '_'));
        return failed.get() == 0 && maxOpen.get() == n ? 0 : 1;
    }

    // ---------------------------------------------------------------- mixed
    static int mixed(Map<String, String> a, List<String> headers) throws Exception {
        Target jt = Target.of(a.get("json")), st = Target.of(a.get("url"));
        byte[] jreq = request(jt, Files.readAllBytes(Path.of(a.get("jsonbody"))), headers);
        byte[] sreq = request(st, Files.readAllBytes(Path.of(a.get("body"))), headers);
        double rate = Double.parseDouble(a.get("rate"));
        int streams = Integer.parseInt(a.get("streams"));
        int seconds = Integer.parseInt(a.get("seconds"));
        int idleS = Integer.parseInt(a.getOrDefault("idle", "10")), afterS = Integer.parseInt(a.getOrDefault("after", "30"));
        int expect = Integer.parseInt(a.getOrDefault("tokens", "0"));
        String pids = a.getOrDefault("pids", "");
        Path rssFile = Path.of(a.get("rss"));
        AtomicLong jsonOk = new AtomicLong(), streamOk = new AtomicLong(), errors = new AtomicLong();
        List<String> errorText = java.util.Collections.synchronizedList(new ArrayList<>());
        StringBuilder rows = new StringBuilder("# phase\tt_s\trss_kb\tjson_ok\tstreams_ok\terrors\n");
        long t0 = System.nanoTime();
        for (int i = 0; i < idleS; i++) {
            rows.append("idle\t").append((System.nanoTime() - t0) / 1_000_000_000L).append('\t').append(rssKb(pids)).append("\t0\t0\t0\n");
            Thread.sleep(1000);
        }
        long loadStart = System.nanoTime(), loadEnd = loadStart + seconds * 1_000_000_000L;
        int jsonWorkers = 16;
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < jsonWorkers; w++) {
            final int id = w;
            workers.add(Thread.ofVirtual().start(() -> {
                long interval = (long) (1e9 * jsonWorkers / rate);
                long next = loadStart + id * interval / jsonWorkers;
                Conn c = null;
                while (next < loadEnd && System.nanoTime() < loadEnd) {
                    long now = System.nanoTime(), wait = next - now;
                    if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    else if (-wait > interval) next = now; // behind schedule: no burst to catch up
                    next += interval;
                    try {
                        if (c == null) c = new Conn(jt);
                        Answer ans = c.exchange(jreq);
                        if (ans.status == 200 && ans.complete && ans.bodyBytes > 0) jsonOk.incrementAndGet();
                        else fail(errors, errorText, "JSON HTTP " + ans.status);
                    } catch (Exception e) {
                        fail(errors, errorText, "JSON " + e);
                        if (c != null) c.close();
                        c = null;
                    }
                }
                if (c != null) c.close();
            }));
        }
        for (int s = 0; s < streams; s++) {
            final int id = s;
            workers.add(Thread.ofVirtual().start(() -> {
                // stagger the starts over a second so the streams do not all begin together
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L * id / Math.max(1, streams));
                Conn c = null;
                while (System.nanoTime() < loadEnd) {
                    try {
                        if (c == null) c = new Conn(st);
                        Answer ans = c.exchange(sreq);
                        if (ans.streamOk(expect)) streamOk.incrementAndGet();
                        else fail(errors, errorText, "stream HTTP " + ans.status);
                    } catch (Exception e) {
                        fail(errors, errorText, "stream " + e);
                        if (c != null) c.close();
                        c = null;
                    }
                }
                if (c != null) c.close();
            }));
        }
        List<double[]> during = new ArrayList<>();
        while (System.nanoTime() < loadEnd) {
            Thread.sleep(1000);
            double t = (System.nanoTime() - loadStart) / 1e9;
            long rss = rssKb(pids);
            during.add(new double[] {t, rss});
            rows.append("load\t").append(String.format(Locale.ROOT, "%.0f", t + idleS)).append('\t').append(rss).append('\t')
                    .append(jsonOk.get()).append('\t').append(streamOk.get()).append('\t').append(errors.get()).append('\n');
        }
        for (Thread w : workers) w.join();
        long afterStart = System.nanoTime();
        List<Long> after = new ArrayList<>();
        for (int i = 0; i < afterS; i++) {
            Thread.sleep(1000);
            long rss = rssKb(pids);
            after.add(rss);
            rows.append("after\t").append(String.format(Locale.ROOT, "%.0f", (System.nanoTime() - t0) / 1e9)).append('\t').append(rss)
                    .append('\t').append(jsonOk.get()).append('\t').append(streamOk.get()).append('\t').append(errors.get()).append('\n');
        }
        Files.writeString(rssFile, rows);
        // Growth: least-squares slope of RSS over the second half of the load, in MB per minute.
        List<double[]> half = during.subList(during.size() / 2, during.size());
        double mx = half.stream().mapToDouble(p -> p[0]).average().orElse(0), my = half.stream().mapToDouble(p -> p[1]).average().orElse(0);
        double sxy = 0, sxx = 0;
        for (double[] p : half) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
        }
        double slopeMbPerMin = sxx == 0 ? 0 : sxy / sxx * 60 / 1024;
        long[] idleRss = rows.toString().lines().filter(l -> l.startsWith("idle")).mapToLong(l -> Long.parseLong(l.split("\t")[2])).sorted().toArray();
        double[] duringRss = during.stream().mapToDouble(p -> p[1]).toArray();
        double[] secondHalf = half.stream().mapToDouble(p -> p[1]).toArray();
        long afterRss = after.isEmpty() ? 0 : after.getLast();
        System.out.printf(Locale.ROOT, "BENCH idle_rss_kb=%d during_p50_rss_kb=%.0f during_max_rss_kb=%.0f first_half_p50_rss_kb=%.0f"
                        + " second_half_p50_rss_kb=%.0f slope_mb_per_min=%.2f after_rss_kb=%d json_ok=%d streams_ok=%d errors=%d"
                        + " json_rate=%.0f load_s=%d after_s=%.0f%n",
                idleRss.length == 0 ? 0 : idleRss[idleRss.length / 2], pct(duringRss, 50), pct(duringRss, 100),
                pct(during.subList(0, during.size() / 2).stream().mapToDouble(p -> p[1]).toArray(), 50), pct(secondHalf, 50),
                slopeMbPerMin, afterRss, jsonOk.get(), streamOk.get(), errors.get(), jsonOk.get() / (double) seconds, seconds,
                (System.nanoTime() - afterStart) / 1e9);
        if (!errorText.isEmpty()) System.out.println("BENCH first_error=" + errorText.getFirst().replace(' ', '_'));
        return errors.get() == 0 ? 0 : 1;
    }

    private static void fail(AtomicLong errors, List<String> text, String what) {
        errors.incrementAndGet();
        if (text.size() < 5) text.add(what);
    }
}
