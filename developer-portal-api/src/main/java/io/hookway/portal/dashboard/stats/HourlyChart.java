package io.hookway.portal.dashboard.stats;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Twenty-four hours drawn as an SVG on the server: a bar per hour for the share of
 * attempts that succeeded, a line for the median latency. No script draws it, so the page
 * keeps its strict Content-Security-Policy; the same numbers are in a table for screen
 * readers and for reading exact values.
 *
 * @param hours the hours, oldest first
 * @param maxLatencyMs the top of the latency scale
 * @param latencyPoints the latency line as SVG polyline points, over hours with attempts
 * @param attempts attempts in the 24 hours
 * @param successPercent share of them that succeeded, or -1 with none
 */
public record HourlyChart(List<Bar> hours, long maxLatencyMs, String latencyPoints, long attempts,
		long successPercent) {

	public static final int WIDTH = 480;

	public static final int HEIGHT = 160;

	private static final int MARGIN = 6;

	private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	static HourlyChart of(Instant start, Map<Instant, Hour> measured) {
		List<Hour> hours = new ArrayList<>();
		for (int i = 0; i < 24; i++) {
			Instant hour = start.plus(i, ChronoUnit.HOURS);
			hours.add(measured.getOrDefault(hour, new Hour(hour, 0, 0, 0, 0)));
		}
		long maxLatency = Math.max(1, hours.stream().mapToLong(Hour::medianMs).max().orElse(1));
		double slot = WIDTH / 24.0;
		List<Bar> bars = new ArrayList<>();
		StringBuilder points = new StringBuilder();
		long attempts = 0;
		long succeeded = 0;
		for (int i = 0; i < hours.size(); i++) {
			Hour hour = hours.get(i);
			attempts += hour.attempts();
			succeeded += hour.succeeded();
			long percent = (hour.attempts() > 0) ? Math.round(100.0 * hour.succeeded() / hour.attempts()) : -1;
			double height = (percent > 0) ? HEIGHT * percent / 100.0 : 0;
			String centre = round(i * slot + slot / 2);
			// a margin above the slowest hour, so that its point is drawn whole
			String latency = round(HEIGHT - (HEIGHT - MARGIN) * (double) hour.medianMs() / maxLatency);
			bars.add(new Bar(HOUR.format(hour.start()), hour.attempts(), percent, hour.medianMs(), hour.p95Ms(),
					round(i * slot + 1), round(HEIGHT - height), round(slot - 2), round(height), centre, latency));
			if (hour.attempts() > 0) {
				points.append(centre).append(',').append(latency).append(' ');
			}
		}
		long share = (attempts > 0) ? Math.round(100.0 * succeeded / attempts) : -1;
		return new HourlyChart(bars, maxLatency, points.toString().strip(), attempts, share);
	}

	/** The drawing's size, below it a line of hour labels. */
	public String viewBox() {
		return "0 0 " + WIDTH + " " + (HEIGHT + 14);
	}

	public int width() {
		return WIDTH;
	}

	public int height() {
		return HEIGHT;
	}

	public int labelY() {
		return HEIGHT + 12;
	}

	private static String round(double value) {
		return String.format(Locale.ROOT, "%.1f", value);
	}

	/** One hour as measured. */
	record Hour(Instant start, long attempts, long succeeded, long medianMs, long p95Ms) {
	}

	/**
	 * One hour as drawn and listed; {@code successPercent} is -1 for an hour without
	 * attempts. The bar's corner and size, the latency point's centre.
	 */
	public record Bar(String label, long attempts, long successPercent, long medianMs, long p95Ms, String x, String y,
			String width, String height, String centre, String latencyY) {
	}

}
