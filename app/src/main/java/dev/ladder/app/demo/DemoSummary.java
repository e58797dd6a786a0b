package dev.ladder.app.demo;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The demo's verdict: every produced event ended in exactly one place (output or dead-letter
 * topic), and each key's events reached both the output topic and the endpoint in order.
 *
 * @param produced events the broker acknowledged
 * @param succeeded events on the output topic
 * @param deadLettered events on the dead-letter topic, by reason
 * @param duplicates events that ended in more than one place, with the places
 * @param missing events that ended nowhere
 * @param outputOrderBreaks keys whose output records are not in increasing sequence order
 * @param endpointOrderBreaks keys the endpoint accepted out of order
 * @param endpointRepeats repeated acceptances of an already accepted event (HTTP is not
 *     transactional: an attempt whose transaction aborted is made again), for information
 * @param interrupted whether the demo was stopped before it finished
 */
record DemoSummary(
        int produced,
        int succeeded,
        Map<String, Integer> deadLettered,
        Map<String, List<String>> duplicates,
        List<String> missing,
        List<String> outputOrderBreaks,
        List<String> endpointOrderBreaks,
        int endpointRepeats,
        boolean interrupted) {

    /** Judges one run. */
    static DemoSummary of(
            List<String> produced, Outcomes outcomes, Map<String, List<Long>> accepted, boolean interrupted) {
        Map<String, List<String>> duplicates = new TreeMap<>();
        int succeeded = 0;
        Map<String, Integer> deadLettered = new TreeMap<>();
        for (var e : outcomes.places().entrySet()) {
            if (e.getValue().size() > 1) {
                duplicates.put(e.getKey(), e.getValue());
            }
            if (e.getValue().contains("output")) {
                succeeded++;
            }
            if (e.getValue().contains("dead-letter")) {
                deadLettered.merge(outcomes.deadLetterReasons().get(e.getKey()), 1, Integer::sum);
            }
        }
        List<String> missing = produced.stream()
                .filter(id -> !outcomes.places().containsKey(id))
                .sorted()
                .toList();
        List<String> outputBreaks = new ArrayList<>();
        outcomes.outputSeqs().forEach((key, seqs) -> {
            if (!increasing(seqs)) {
                outputBreaks.add(key + " " + seqs);
            }
        });
        List<String> endpointBreaks = new ArrayList<>();
        int repeats = 0;
        for (var e : accepted.entrySet()) {
            // a receiver de-duplicates by Idempotency-Key; what it sees first must be in order
            Set<Long> seen = new HashSet<>();
            List<Long> firsts = new ArrayList<>();
            for (Long seq : e.getValue()) {
                if (seen.add(seq)) {
                    firsts.add(seq);
                } else {
                    repeats++;
                }
            }
            if (!increasing(firsts)) {
                endpointBreaks.add(e.getKey() + " " + firsts);
            }
        }
        return new DemoSummary(
                produced.size(),
                succeeded,
                deadLettered,
                duplicates,
                missing,
                outputBreaks,
                endpointBreaks,
                repeats,
                interrupted);
    }

    /** Everything held: nothing missing, nothing doubled, order kept, and the run finished. */
    boolean ok() {
        return !interrupted
                && produced > 0
                && missing.isEmpty()
                && duplicates.isEmpty()
                && outputOrderBreaks.isEmpty()
                && endpointOrderBreaks.isEmpty();
    }

    void print(PrintWriter out) {
        int dead = deadLettered.values().stream().mapToInt(Integer::intValue).sum();
        out.println("summary");
        out.printf("  produced       %d%n", produced);
        out.printf("  succeeded      %d%n", succeeded);
        out.printf("  dead-lettered  %d%n", dead);
        deadLettered.forEach((reason, n) -> out.printf("    %4d  %s%n", n, reason));
        out.printf(
                "  duplicates     %d%s%n",
                duplicates.size(), duplicates.isEmpty() ? "" : "  " + first(duplicates.toString()));
        out.printf(
                "  missing        %d%s%n", missing.size(), missing.isEmpty() ? "" : "  " + first(missing.toString()));
        out.printf(
                "  output order   %s%n",
                outputOrderBreaks.isEmpty() ? "held for every key" : "BROKEN: " + first(outputOrderBreaks.toString()));
        out.printf(
                "  endpoint order %s%s%n",
                endpointOrderBreaks.isEmpty()
                        ? "held for every key"
                        : "BROKEN: " + first(endpointOrderBreaks.toString()),
                endpointRepeats == 0
                        ? ""
                        : " (" + endpointRepeats
                                + " repeated deliveries after aborted transactions; a receiver drops them by Idempotency-Key)");
        out.println(
                ok()
                        ? "RESULT: OK - all " + produced + " events ended in exactly one place, in per-key order"
                        : "RESULT: FAILED - " + String.join("; ", problems()));
        out.flush();
    }

    private List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (interrupted) {
            problems.add("interrupted");
        }
        if (produced == 0) {
            problems.add("nothing was produced");
        }
        if (!missing.isEmpty()) {
            problems.add(missing.size() + " missing");
        }
        if (!duplicates.isEmpty()) {
            problems.add(duplicates.size() + " duplicated");
        }
        if (!outputOrderBreaks.isEmpty() || !endpointOrderBreaks.isEmpty()) {
            problems.add("per-key order broken");
        }
        return problems;
    }

    private static boolean increasing(List<Long> seqs) {
        for (int i = 1; i < seqs.size(); i++) {
            if (seqs.get(i) <= seqs.get(i - 1)) {
                return false;
            }
        }
        return true;
    }

    private static String first(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
