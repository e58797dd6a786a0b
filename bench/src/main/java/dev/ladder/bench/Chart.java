package dev.ladder.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** A bar chart of the throughput ratios (median bar, min–max whisker), drawn with Java2D. */
final class Chart {

    private Chart() {}

    static void write(Report report, Path png) throws IOException {
        List<Map.Entry<String, Stats.Spread>> bars = new ArrayList<>();
        for (var e : report.ratios.entrySet()) {
            boolean baseline = e.getKey().contains("pass-through") || e.getKey().contains("sync-streams-baseline");
            if ((e.getKey().endsWith(".throughput") || e.getKey().endsWith(".goodput"))
                    && !baseline
                    && !Double.isNaN(e.getValue().median())) {
                bars.add(e);
            }
        }
        if (bars.isEmpty()) {
            return;
        }
        int rowH = 28;
        int left = 440;
        int width = 1000;
        int plot = width - left - 60;
        int height = 70 + bars.size() * rowH + 40;
        double max = Math.max(
                1.2, bars.stream().mapToDouble(b -> b.getValue().max()).max().orElse(1));
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString("Throughput ratio against each scenario's baseline (median, min–max)", 20, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int top = 50;
        int x1 = left + (int) (plot / max);
        g.setColor(new Color(200, 60, 60));
        g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {4, 4}, 0));
        g.drawLine(x1, top - 5, x1, top + bars.size() * rowH);
        g.drawString("1× (baseline)", x1 + 4, top + bars.size() * rowH + 15);
        g.setStroke(new BasicStroke(1.5f));
        for (int i = 0; i < bars.size(); i++) {
            Stats.Spread s = bars.get(i).getValue();
            int y = top + i * rowH;
            g.setColor(Color.DARK_GRAY);
            g.drawString(bars.get(i).getKey(), 20, y + 17);
            g.setColor(new Color(70, 110, 180));
            g.fillRect(left, y + 5, (int) (plot * s.median() / max), rowH - 10);
            g.setColor(Color.BLACK);
            int a = left + (int) (plot * s.min() / max);
            int b = left + (int) (plot * s.max() / max);
            g.drawLine(a, y + rowH / 2, b, y + rowH / 2);
            g.drawLine(a, y + 8, a, y + rowH - 8);
            g.drawLine(b, y + 8, b, y + rowH - 8);
            g.drawString(Stats.fmt(s.median()) + "×", Math.max(b, left + (int) (plot * s.median() / max)) + 6, y + 17);
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }
}
