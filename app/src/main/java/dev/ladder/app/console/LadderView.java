package dev.ladder.app.console;

import com.sun.net.httpserver.HttpExchange;
import dev.ladder.app.ops.JsonReply;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.Tier;
import dev.ladder.policy.TopicNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/ladder}: the ladder of this instance now. Per tier (the main topic is tier 0):
 * its topic, delay and attempts, the retries waiting and due within a minute, the first attempt
 * of the oldest waiting one, the event counters by outcome (the page turns two looks into rates)
 * and the retry lateness p50/p99 since start; then the breaker, the rate limit and the totals of
 * the gauges (parked events, blocked keys, handler calls in flight).
 */
final class LadderView {

    private final ConsoleContext context;

    LadderView(ConsoleContext context) {
        this.context = context;
    }

    void handle(HttpExchange ex) throws IOException {
        LadderSettings settings = context.settings().get();
        long now = System.currentTimeMillis();
        TierBacklog.Backlog backlog = TierBacklog.of(context.requireRunning(), now);
        MeterRegistry registry = context.registry();
        TopicNames topics = settings.topics();
        List<Map<String, Object>> tiers = new ArrayList<>();
        tiers.add(tier(0, topics.main(), null, registry, backlog));
        List<Tier> policy = settings.policy().tiers();
        for (int i = 1; i <= policy.size(); i++) {
            tiers.add(tier(i, topics.tier(i), policy.get(i - 1), registry, backlog));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("time", Instant.ofEpochMilli(now).toString());
        body.put("deadLetterTopic", topics.deadLetter());
        body.put("tiers", tiers);
        body.put("backlogTruncated", backlog.truncated());
        body.put("deadLettered", sum(registry, LadderMetrics.DEAD_LETTERS));
        body.put("breaker", breaker(settings));
        body.put("rateLimit", rateLimit(settings, registry));
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("timersPending", gauge(registry, LadderMetrics.TIMERS_PENDING));
        totals.put("parkedEvents", gauge(registry, LadderMetrics.PARKED_EVENTS));
        totals.put("blockedKeys", gauge(registry, LadderMetrics.BLOCKED_KEYS));
        totals.put("inFlight", gauge(registry, LadderMetrics.IN_FLIGHT));
        body.put("totals", totals);
        JsonReply.send(ex, 200, body);
    }

    private static Map<String, Object> tier(
            int number, String topic, Tier tier, MeterRegistry registry, TierBacklog.Backlog backlog) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tier", number);
        m.put("topic", topic);
        m.put("delay", tier == null ? null : TopicNames.formatDelay(tier.delay()));
        m.put("attempts", tier == null ? null : tier.isUnlimited() ? "unlimited" : String.valueOf(tier.attempts()));
        TierBacklog.Tier waiting = backlog.tiers().get(number);
        m.put("waiting", waiting == null ? 0 : waiting.waiting());
        m.put("dueNextMinute", waiting == null ? 0 : waiting.dueNextMinute());
        m.put(
                "oldestFirstAttempt",
                waiting == null || waiting.oldestFirstAttempt() == null
                        ? null
                        : Instant.ofEpochMilli(waiting.oldestFirstAttempt()).toString());
        Map<String, Double> outcomes = new TreeMap<>();
        for (Counter c : registry.find(LadderMetrics.EVENTS).tag("topic", topic).counters()) {
            outcomes.merge(c.getId().getTag("outcome"), c.count(), Double::sum);
        }
        m.put("events", outcomes);
        Timer lateness =
                registry.find(LadderMetrics.RETRY_LATENESS).tag("topic", topic).timer();
        m.put("latenessP50Ms", lateness == null ? null : quantileMillis(lateness, 0.5));
        m.put("latenessP99Ms", lateness == null ? null : quantileMillis(lateness, 0.99));
        return m;
    }

    /** The upper bound of the histogram bucket holding quantile {@code q}, in milliseconds. */
    static Double quantileMillis(Timer timer, double q) {
        var snapshot = timer.takeSnapshot();
        if (snapshot.count() == 0) {
            return null;
        }
        double rank = q * snapshot.count();
        for (CountAtBucket bucket : snapshot.histogramCounts()) {
            if (bucket.count() >= rank) {
                return bucket.bucket(TimeUnit.MILLISECONDS);
            }
        }
        return snapshot.max(TimeUnit.MILLISECONDS);
    }

    private Map<String, Object> breaker(LadderSettings settings) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", context.breakerState().get());
        m.put("enabled", settings.breaker().enabled());
        m.put("failureRateThreshold", settings.breaker().failureRateThreshold());
        m.put("openFor", TopicNames.formatDelay(settings.breaker().openFor()));
        return m;
    }

    private static Map<String, Object> rateLimit(LadderSettings settings, MeterRegistry registry) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("callsPerSecond", settings.rateLimit().callsPerSecond());
        m.put("adaptive", settings.rateLimit().adaptive());
        Map<String, Double> deferrals = new TreeMap<>();
        for (Counter c : registry.find(LadderMetrics.DEFERRALS).counters()) {
            deferrals.merge(c.getId().getTag("reason"), c.count(), Double::sum);
        }
        m.put("deferrals", deferrals);
        return m;
    }

    private static double sum(MeterRegistry registry, String name) {
        return registry.find(name).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private static double gauge(MeterRegistry registry, String name) {
        Gauge g = registry.find(name).gauge();
        return g == null ? 0 : g.value();
    }
}
