package dev.ladder.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The markdown report being written, and the headline numbers the smoke test and chart read. */
final class Report {

    private final StringBuilder md = new StringBuilder();
    /** Every ratio reported, by key: its min / median / max over the runs. */
    final Map<String, Stats.Spread> ratios = new LinkedHashMap<>();
    /** Other checked numbers, by key (early firings, …). */
    final Map<String, Double> numbers = new LinkedHashMap<>();
    /** Scenarios that failed, with why. */
    final List<String> failures = new ArrayList<>();

    void line(String text) {
        md.append(text).append('\n');
    }

    void section(String title) {
        md.append("\n## ").append(title).append("\n\n");
    }

    void table(List<String> header, List<List<String>> rows) {
        md.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> md.append("---|"));
        md.append('\n');
        for (List<String> row : rows) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        md.append('\n');
    }

    /** Records ratio {@code key} = a[i] / b[i] over the runs and returns its spread. */
    Stats.Spread ratio(String key, List<Double> a, List<Double> b) {
        Stats.Spread s = Stats.Spread.of(Stats.ratios(a, b));
        ratios.put(key, s);
        return s;
    }

    String text() {
        return md.toString();
    }
}
