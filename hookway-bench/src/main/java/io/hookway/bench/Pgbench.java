package io.hookway.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database's own bound: single-row INSERT commits per second into {@code tasks} with
 * pgbench, one transaction per row, at the same concurrency as the ingest load.
 */
final class Pgbench {

	private static final Pattern TPS = Pattern.compile("tps = ([\\d.]+)");

	private static final Pattern LATENCY = Pattern.compile("latency average = ([\\d.]+) ms");

	private Pgbench() {
	}

	/** A row as the gateway writes it: headers, a 300-byte body, due at once. */
	private static final String INSERT = """
			insert into tasks (id, application_id, route, method, path, request_headers, request_body, status, next_attempt_at)
			values (gen_random_uuid(), '0190f0f0-0000-7000-8000-000000000001', 'bench', 'POST', '/orders',
			        '{"content-type":["application/json"]}', convert_to(repeat('x', 300), 'UTF8'), 'ACCEPTED', now());
			""";

	static Result insertCommits(String databaseUrl, int clients, Duration duration, Path workDirectory)
			throws IOException, InterruptedException {
		Path script = workDirectory.resolve("insert.sql");
		Files.writeString(script, INSERT.replace("\n", " ").trim() + "\n", StandardCharsets.UTF_8);
		URI url = URI.create(databaseUrl);
		String user = (url.getUserInfo() != null) ? url.getUserInfo().split(":")[0] : "postgres";
		ProcessBuilder builder = new ProcessBuilder("pgbench", "-n", "-c", Integer.toString(clients), "-j", "2", "-T",
				Long.toString(duration.toSeconds()), "-f", script.toString(), "-h", url.getHost(), "-p",
				Integer.toString((url.getPort() > 0) ? url.getPort() : 5432), "-U", user, url.getPath().substring(1))
			.redirectErrorStream(true);
		if (url.getUserInfo() != null && url.getUserInfo().contains(":")) {
			builder.environment().put("PGPASSWORD", url.getUserInfo().substring(url.getUserInfo().indexOf(':') + 1));
		}
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.waitFor() != 0) {
			throw new IllegalStateException("pgbench failed: " + output);
		}
		return new Result(Math.round(Double.parseDouble(group(TPS, output))),
				Double.parseDouble(group(LATENCY, output)));
	}

	private static String group(Pattern pattern, String text) {
		Matcher matcher = pattern.matcher(text);
		if (!matcher.find()) {
			throw new IllegalStateException("Unexpected pgbench output: " + text);
		}
		return matcher.group(1);
	}

	/**
	 * @param commitsPerSecond committed single-row transactions per second
	 * @param averageLatencyMs mean time of one
	 */
	record Result(long commitsPerSecond, double averageLatencyMs) {
	}

}
