package io.hookway.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.standardwebhooks.Webhook;
import org.awaitility.core.ConditionTimeoutException;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The end of every fault run: each call the gateway acknowledged with a 202 must have
 * reached a final state, and each endpoint subscribed to its outcome must have received
 * (and answered 2xx to) its webhook at least once; repeats must carry the same
 * {@code webhook-id}. The counts are printed and appended to
 * {@code target/reliability/audit.txt}.
 */
final class Audit {

	private static final Pattern TASK_ID = Pattern.compile("\"taskId\":\"(tsk_[0-9a-z]+)\"");

	private static final Pattern TYPE = Pattern.compile("\"type\":\"(task\\.[a-z]+)\"");

	private static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

	private Audit() {
	}

	/**
	 * Waits up to {@code drain} for the platform to catch up, then checks and reports.
	 */
	static Counts verify(String run, Map<String, Integer> faults, List<Load.Call> calls, FaultyServer receiver,
			List<Subscriber> subscribers, String database, Duration drain) {
		try {
			await().atMost(drain)
				.pollInterval(Duration.ofMillis(500))
				.until(() -> count(faults, calls, receiver, subscribers, database).lost() == 0);
		}
		catch (ConditionTimeoutException ex) {
			// reported and asserted below, with the counts that show what is missing
		}
		Counts counts = count(faults, calls, receiver, subscribers, database);
		String line = String.format(
				"%-22s faults=%d %s calls=%d statuses=%s acknowledged=%d final=%d expected-webhooks=%d delivered=%d "
						+ "lost=%d webhook-requests=%d distinct-webhook-ids=%d duplicates=%d ids-per-pair-over-1=%d "
						+ "bad-signatures=%d",
				run, counts.faultsInjected(), faults, calls.size(), Load.byStatus(calls), counts.acknowledged(),
				counts.finalStates(), counts.expected(), counts.delivered(), counts.lost(), counts.webhookRequests(),
				counts.distinctWebhookIds(), counts.duplicates(), counts.conflictingIds(), counts.badSignatures());
		System.out.println("AUDIT " + line);
		if (counts.lost() > 0) {
			System.out.println("Unfinished tasks: " + unfinished(database));
		}
		try {
			Path report = Path.of("target/reliability/audit.txt");
			Files.createDirectories(report.getParent());
			Files.writeString(report, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		assertThat(counts.acknowledged()).as("calls acknowledged").isPositive();
		assertThat(counts.lost()).as("lost: acknowledged without a final state or without a webhook").isZero();
		assertThat(counts.conflictingIds()).as("one task delivered to one endpoint under two webhook-ids").isZero();
		assertThat(counts.badSignatures()).as("webhooks with a signature that does not verify").isZero();
		return counts;
	}

	private static Counts count(Map<String, Integer> faults, List<Load.Call> calls, FaultyServer receiver,
			List<Subscriber> subscribers, String database) {
		Map<String, String> statuses = taskStatuses(database);
		Set<String> acknowledged = new HashSet<>();
		calls.stream().filter(Load.Call::acknowledged).forEach((call) -> acknowledged.add(call.taskId()));
		// (endpoint path, task) -> webhook ids seen; delivered when answered 2xx
		Map<String, Set<String>> idsByPair = new HashMap<>();
		Map<String, Integer> requestsByPair = new HashMap<>();
		Set<String> delivered = new HashSet<>();
		Set<String> distinctIds = new HashSet<>();
		int webhookRequests = 0;
		int badSignatures = 0;
		for (FaultyServer.Exchange exchange : receiver.exchanges()) {
			FaultyServer.Request request = exchange.request();
			Subscriber subscriber = subscribers.stream()
				.filter((candidate) -> candidate.path().equals(request.target()))
				.findFirst()
				.orElse(null);
			Matcher taskId = TASK_ID.matcher(request.bodyAsString());
			Matcher type = TYPE.matcher(request.bodyAsString());
			if (subscriber == null || !taskId.find() || !type.find()) {
				continue;
			}
			webhookRequests++;
			if (!verifies(subscriber, request)) {
				badSignatures++;
			}
			String pair = subscriber.path() + " " + taskId.group(1) + " " + type.group(1);
			idsByPair.computeIfAbsent(pair, (key) -> new HashSet<>()).add(request.header("webhook-id"));
			distinctIds.add(request.header("webhook-id"));
			if (exchange.answeredSuccess()) {
				requestsByPair.merge(pair, 1, Integer::sum);
				delivered.add(pair);
			}
		}
		int finalStates = 0;
		int expected = 0;
		int deliveredExpected = 0;
		int lost = 0;
		for (String task : acknowledged) {
			String status = statuses.get(task);
			if (status == null || !FINAL.contains(status)) {
				lost++;
				continue;
			}
			finalStates++;
			String event = status.equals("SUCCEEDED") ? "task.succeeded"
					: status.equals("FAILED") ? "task.failed" : null;
			for (Subscriber subscriber : subscribers) {
				if (event != null && subscriber.eventTypes().contains(event)) {
					expected++;
					if (delivered.contains(subscriber.path() + " " + task + " " + event)) {
						deliveredExpected++;
					}
					else {
						lost++;
					}
				}
			}
		}
		int duplicates = requestsByPair.values().stream().mapToInt((n) -> n - 1).sum();
		int conflicting = (int) idsByPair.values().stream().filter((ids) -> ids.size() > 1).count();
		int faultsInjected = faults.values().stream().mapToInt(Integer::intValue).sum();
		return new Counts(faultsInjected, calls.size(), acknowledged.size(), finalStates, expected, deliveredExpected,
				lost, webhookRequests, distinctIds.size(), duplicates, conflicting, badSignatures);
	}

	private static boolean verifies(Subscriber subscriber, FaultyServer.Request request) {
		Map<String, List<String>> headers = new TreeMap<>();
		request.headers().forEach((name, value) -> headers.put(name, List.of(value)));
		try {
			new Webhook(subscriber.secret()).verify(request.bodyAsString(), headers);
			return true;
		}
		catch (Exception ex) {
			return false;
		}
	}

	private static List<String> unfinished(String database) {
		List<String> tasks = new java.util.ArrayList<>();
		try (Connection connection = DriverManager.getConnection(TestDatabase.jdbcUrl(database));
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("select id, status, attempts, next_attempt_at, locked_by, "
						+ "error_code from tasks where status not in ('SUCCEEDED', 'FAILED', 'CANCELLED') limit 20")) {
			while (rows.next()) {
				tasks.add(rows.getString(1) + " " + rows.getString(2) + " attempts=" + rows.getInt(3) + " next="
						+ rows.getString(4) + " locked_by=" + rows.getString(5) + " error=" + rows.getString(6));
			}
		}
		catch (SQLException ex) {
			tasks.add(ex.toString());
		}
		return tasks;
	}

	private static Map<String, String> taskStatuses(String database) {
		Map<String, String> statuses = new HashMap<>();
		try (Connection connection = DriverManager.getConnection(TestDatabase.jdbcUrl(database));
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("select id, status from tasks")) {
			while (rows.next()) {
				statuses.put(IdKind.TASK.format(rows.getObject(1, UUID.class)), rows.getString(2));
			}
		}
		catch (SQLException ex) {
			// the database may be the one being restarted: nothing counts as final yet
		}
		return statuses;
	}

	/**
	 * A webhook endpoint the run registered: its receiver path, secret and event types.
	 */
	record Subscriber(String path, String secret, Set<String> eventTypes) {
	}

	/**
	 * @param expected (task, endpoint) pairs that must get a webhook
	 * @param delivered of those, the pairs whose webhook the receiver answered with 2xx
	 * @param lost acknowledged tasks without a final state plus expected pairs not
	 * delivered
	 * @param duplicates 2xx-answered webhooks beyond the first for the same pair
	 * @param conflictingIds pairs that arrived under more than one {@code webhook-id}
	 */
	record Counts(int faultsInjected, int calls, int acknowledged, int finalStates, int expected, int delivered,
			int lost, int webhookRequests, int distinctWebhookIds, int duplicates, int conflictingIds,
			int badSignatures) {
	}

}
