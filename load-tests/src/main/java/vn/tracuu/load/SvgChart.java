package vn.tracuu.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * A chart as inline SVG for the report page: lines or bars, a value axis and a horizontal axis
 * with ticks and titles, a legend, and an optional shaded span (the warm-up). Values above the
 * value axis' top are drawn at the top, and the chart says how many were.
 */
final class SvgChart {

    static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};
    private static final int WIDTH = 760;
    private static final int HEIGHT = 300;
    private static final int LEFT = 70;
    private static final int RIGHT = 40;
    private static final int TOP = 36;
    private static final int BOTTOM = 50;

    record Series(String name, double[] x, double[] y) {}

    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final List<Series> lines = new ArrayList<>();
    private double xMin;
    private double xMax = 1;
    private double yMax = 1;
    private double shadeFrom = Double.NaN;
    private double shadeTo;
    private String shadeLabel;
    // maps an x value to the axis' 0..1; identity (linear) unless set
    private DoubleUnaryOperator xScale = v -> v;
    private List<double[]> xTicks;

    SvgChart(String title, String xTitle, String yTitle) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
    }

    SvgChart line(String name, double[] x, double[] y) {
        lines.add(new Series(name, x, y));
        return this;
    }

    SvgChart xRange(double min, double max) {
        xMin = min;
        xMax = Math.max(max, min + 1e-9);
        return this;
    }

    /** The value axis from 0 to a round number at or above {@code max}. */
    SvgChart yUpTo(double max) {
        yMax = niceCeiling(max);
        return this;
    }

    SvgChart shade(double from, double to, String label) {
        shadeFrom = from;
        shadeTo = to;
        shadeLabel = label;
        return this;
    }

    /** A horizontal axis of its own: {@code scale} maps x before it is placed (log10, say); ticks at the first of each pair. */
    SvgChart xAxis(DoubleUnaryOperator scale, List<double[]> ticks) {
        xScale = scale;
        xTicks = ticks;
        return this;
    }

    private double px(double x) {
        double f = (xScale.applyAsDouble(x) - xScale.applyAsDouble(xMin))
                / (xScale.applyAsDouble(xMax) - xScale.applyAsDouble(xMin));
        return LEFT + f * (WIDTH - LEFT - RIGHT);
    }

    private double py(double y) {
        return HEIGHT - BOTTOM - Math.min(y, yMax) / yMax * (HEIGHT - TOP - BOTTOM);
    }

    String svg(DoubleFormat xLabel) {
        StringBuilder s = new StringBuilder(String.format(
                Locale.ROOT,
                "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\""
                        + " role=\"img\" aria-label=\"%s\">",
                WIDTH,
                HEIGHT,
                WIDTH,
                HEIGHT,
                Report.escape(title)));
        s.append(text(LEFT, 18, "start", "title", title));
        if (!Double.isNaN(shadeFrom)) {
            s.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"shade\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#eee\"/>",
                    px(shadeFrom),
                    TOP,
                    Math.max(0, px(shadeTo) - px(shadeFrom)),
                    HEIGHT - TOP - BOTTOM));
            s.append(text(px(shadeFrom) + 4, TOP + 14, "start", "shade-label", shadeLabel));
        }
        // value axis: five steps from 0
        s.append("<g class=\"axis y\">");
        for (int i = 0; i <= 5; i++) {
            double v = yMax * i / 5;
            double y = py(v);
            s.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>",
                    LEFT,
                    WIDTH - RIGHT,
                    y,
                    y));
            s.append(text(LEFT - 6, y + 4, "end", "tick", number(v)));
        }
        s.append(String.format(
                Locale.ROOT,
                "<text class=\"axis-title\" transform=\"translate(16 %d) rotate(-90)\" text-anchor=\"middle\">%s</text>",
                (TOP + HEIGHT - BOTTOM) / 2,
                Report.escape(yTitle)));
        s.append("</g><g class=\"axis x\">");
        s.append(String.format(
                Locale.ROOT,
                "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#333\"/>",
                LEFT,
                WIDTH - RIGHT,
                HEIGHT - BOTTOM,
                HEIGHT - BOTTOM));
        for (double x : ticks()) {
            double at = px(x);
            s.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#333\"/>",
                    at,
                    at,
                    HEIGHT - BOTTOM,
                    HEIGHT - BOTTOM + 5));
            s.append(text(at, HEIGHT - BOTTOM + 18, "middle", "tick", xLabel.format(x)));
        }
        s.append(text((LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 8, "middle", "axis-title", xTitle));
        s.append("</g>");
        int clipped = 0;
        for (int i = 0; i < lines.size(); i++) {
            Series l = lines.get(i);
            StringBuilder points = new StringBuilder();
            for (int j = 0; j < l.x().length; j++) {
                if (l.y()[j] > yMax) {
                    clipped++;
                }
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px(l.x()[j]), py(l.y()[j])));
            }
            s.append(String.format(
                    Locale.ROOT,
                    "<polyline class=\"series\" fill=\"none\" stroke-width=\"1.5\" stroke=\"%s\" points=\"%s\"/>",
                    COLOURS[i % COLOURS.length],
                    points.toString().strip()));
        }
        s.append("<g class=\"legend\">");
        double x = WIDTH - RIGHT;
        for (int i = lines.size() - 1; i >= 0; i--) {
            String name = lines.get(i).name();
            x -= 14 + 7 * name.length() + 16;
            s.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"8\" width=\"12\" height=\"12\" fill=\"%s\"/>",
                    x,
                    COLOURS[i % COLOURS.length]));
            s.append(text(x + 16, 18, "start", "legend-label", name));
        }
        s.append("</g>");
        if (clipped > 0) {
            s.append(text(
                    WIDTH - RIGHT,
                    TOP - 4,
                    "end",
                    "clipped",
                    clipped + " point(s) above " + number(yMax) + " drawn at the top"));
        }
        return s.append("</svg>").toString();
    }

    /** Horizontal bars, one per label, with the value written at the bar's end. */
    static String bars(String title, String unit, List<String> labels, double[] values) {
        int rowHeight = 26;
        int height = TOP + rowHeight * labels.size() + 10;
        int labelWidth = 300;
        double max = niceCeiling(java.util.Arrays.stream(values).max().orElse(1));
        StringBuilder s = new StringBuilder(String.format(
                Locale.ROOT,
                "<svg class=\"chart bars\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">",
                WIDTH,
                height,
                WIDTH,
                height));
        s.append(text(LEFT, 18, "start", "title", title));
        for (int i = 0; i < labels.size(); i++) {
            double y = TOP + i * rowHeight;
            double w = values[i] / max * (WIDTH - labelWidth - 110);
            s.append(text(labelWidth - 8, y + 15, "end", "tick", labels.get(i)));
            s.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"bar\" x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>",
                    labelWidth,
                    y + 2,
                    Math.max(w, 1),
                    COLOURS[i % COLOURS.length]));
            s.append(text(labelWidth + w + 6, y + 15, "start", "value", number(values[i]) + " " + unit));
        }
        return s.append("</svg>").toString();
    }

    private List<Double> ticks() {
        List<Double> out = new ArrayList<>();
        if (xTicks != null) {
            xTicks.forEach(t -> out.add(t[0]));
            return out;
        }
        double step = niceCeiling((xMax - xMin) / 8);
        for (double v = Math.ceil(xMin / step) * step; v <= xMax + 1e-9; v += step) {
            out.add(v);
        }
        return out;
    }

    /** 1, 2 or 5 times a power of ten, at or above {@code v}. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v - 1e-12) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String number(double v) {
        if (v != 0 && Math.abs(v) < 10) {
            return String.format(Locale.ROOT, "%.2f", v).replaceAll("\\.?0+$", "");
        }
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String text(double x, double y, String anchor, String cls, String content) {
        return String.format(
                Locale.ROOT,
                "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>",
                cls,
                x,
                y,
                anchor,
                Report.escape(content));
    }

    @FunctionalInterface
    interface DoubleFormat {
        String format(double v);
    }
}
