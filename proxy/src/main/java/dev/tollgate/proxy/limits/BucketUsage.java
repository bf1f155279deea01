package dev.tollgate.proxy.limits;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** A per-minute limit's state: its capacity, what is left now, and when it is full again. */
public record BucketUsage(long limit, long remaining, Instant resetsAt) {
    static BucketUsage of(MinuteBucket bucket, long now) {
        return bucket == null
                ? null
                : new BucketUsage(
                        bucket.capacity(), bucket.available(), Instant.ofEpochMilli(now + bucket.millisUntilFull()));
    }

    ObjectNode toJson(ZoneId zone) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("limit", limit);
        json.put("remaining", remaining);
        json.put("resets_at", time(resetsAt, zone));
        return json;
    }

    static String time(Instant instant, ZoneId zone) {
        return instant == null
                ? null
                : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                        instant.atZone(zone).toOffsetDateTime());
    }
}
