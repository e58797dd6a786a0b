package dev.ladder.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Percentiles of one sample and min / median / max over repeated runs. */
final class Stats {

    private Stats() {}

    /** The p-th percentile (0..100, nearest rank) of {@code values}; NaN when empty. */
    static double percentile(long[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double percentile(List<Long> values, double p) {
        return percentile(values.stream().mapToLong(Long::longValue).toArray(), p);
    }

    /** min, median and max of repeated measurements. */
    record Spread(double min, double median, double max) {

        static Spread of(List<Double> values) {
            List<Double> sorted = new ArrayList<>(values);
            sorted.sort(Double::compare);
            if (sorted.isEmpty()) {
                return new Spread(Double.NaN, Double.NaN, Double.NaN);
            }
            int n = sorted.size();
            double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
            return new Spread(sorted.get(0), median, sorted.get(n - 1));
        }

        String format(String unit) {
            return fmt(median) + unit + " (" + fmt(min) + " – " + fmt(max) + ")";
        }
    }

    /** Element-wise a[i] / b[i]: the ratio of the i-th A run to the i-th B run. */
    static List<Double> ratios(List<Double> a, List<Double> b) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            r.add(a.get(i) / b.get(i));
        }
        return r;
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double abs = Math.abs(v);
        if (abs >= 100) {
            return String.format("%,.0f", v);
        }
        if (abs >= 10) {
            return String.format("%.1f", v);
        }
        return String.format("%.2f", v);
    }
}
