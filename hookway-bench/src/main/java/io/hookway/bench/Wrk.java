package io.hookway.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Closed-loop HTTP load with wrk: a fixed number of connections, each sending the next
 * call as soon as the previous one is answered.
 */
final class Wrk {

	/** A JSON call of about 300 bytes, as a partner's order would be. */
	static final String BODY = "{\"orderId\":\"ord_7Q2M4K9X1C\",\"customer\":{\"id\":\"cus_4821\",\"email\":\"buyer@example.com\","
			+ "\"country\":\"DE\"},\"items\":[{\"sku\":\"SKU-1042\",\"quantity\":2,\"unitPrice\":1999},"
			+ "{\"sku\":\"SKU-2210\",\"quantity\":1,\"unitPrice\":4999}],\"currency\":\"EUR\",\"total\":8997,"
			+ "\"shipping\":{\"method\":\"express\",\"address\":\"Hauptstrasse 1, 10115 Berlin\"},\"note\":\"leave at door\"}";

	private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");

	private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");

	private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

	private static final Pattern SOCKET_ERRORS = Pattern
		.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

	private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)%\\s+([\\d.]+)(us|ms|s)\\s*$",
			Pattern.MULTILINE);

	private Wrk() {
	}

	/** POSTs {@link #BODY} with the bearer token for the duration. */
	static Result post(String url, String token, int connections, Duration duration, Path workDirectory)
			throws IOException, InterruptedException {
		return post(url, token, BODY, connections, duration, workDirectory);
	}

	/** POSTs the JSON body with the bearer token for the duration. */
	static Result post(String url, String token, String body, int connections, Duration duration, Path workDirectory)
			throws IOException, InterruptedException {
		Path script = workDirectory.resolve("post.lua");
		Files.writeString(script, """
				wrk.method = "POST"
				wrk.body = [[%s]]
				wrk.headers["Content-Type"] = "application/json"
				wrk.headers["Authorization"] = "Bearer %s"
				""".formatted(body, token), StandardCharsets.UTF_8);
		Process process = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + duration.toSeconds() + "s",
				"--latency", "-s", script.toString(), url)
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.waitFor() != 0) {
			throw new IllegalStateException("wrk failed: " + output);
		}
		return parse(output);
	}

	static Result parse(String output) {
		long requests = Long.parseLong(group(REQUESTS, output, "0"));
		long refused = Long.parseLong(group(NON_2XX, output, "0"));
		Matcher errors = SOCKET_ERRORS.matcher(output);
		long socketErrors = 0;
		if (errors.find()) {
			for (int i = 1; i <= 4; i++) {
				socketErrors += Long.parseLong(errors.group(i));
			}
		}
		Map<String, Double> percentiles = new java.util.HashMap<>();
		Matcher percentile = PERCENTILE.matcher(output);
		while (percentile.find()) {
			double value = Double.parseDouble(percentile.group(2));
			double millis = switch (percentile.group(3)) {
				case "us" -> value / 1000;
				case "s" -> value * 1000;
				default -> value;
			};
			percentiles.put(percentile.group(1), millis);
		}
		double rate = Double.parseDouble(group(RATE, output, "0"));
		double accepted = (requests == 0) ? 0 : rate * (requests - refused) / requests;
		return new Result(Math.round(accepted), percentiles.getOrDefault("50", 0.0),
				percentiles.getOrDefault("99", 0.0), requests, refused, socketErrors);
	}

	private static String group(Pattern pattern, String text, String otherwise) {
		Matcher matcher = pattern.matcher(text);
		return matcher.find() ? matcher.group(1) : otherwise;
	}

	/**
	 * @param perSecond 2xx answers per second
	 * @param p50Ms median latency
	 * @param p99Ms 99th percentile latency
	 * @param requests calls answered
	 * @param refused answers that were not 2xx
	 * @param socketErrors connect, read, write errors and timeouts
	 */
	record Result(long perSecond, double p50Ms, double p99Ms, long requests, long refused, long socketErrors) {
	}

}
