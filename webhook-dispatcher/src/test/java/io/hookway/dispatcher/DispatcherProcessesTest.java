package io.hookway.dispatcher;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.id.IdKind;
import io.hookway.core.test.RecordingHttpServer;
import io.hookway.core.test.RecordingHttpServer.Response;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestRows;
import io.hookway.core.test.WebhookRows;
import io.hookway.core.webhook.WebhookSecret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A dispatcher process is killed with SIGKILL while it holds a batch of tasks; a new
 * process takes the rows over when their leases run out, and every accepted task still
 * ends with its webhook delivered.
 */
class DispatcherProcessesTest {

	private static final int TASKS = 40;

	private static final Pattern TASK_ID = Pattern.compile("\"taskId\":\"(tsk_[0-9a-z]+)\"");

	private final RecordingHttpServer upstream = RecordingHttpServer.start();

	private final RecordingHttpServer receiver = RecordingHttpServer.start();

	private final List<Process> processes = new ArrayList<>();

	private final String database = TestDatabase.fresh("hookway_crash");

	private final TestRows rows = TestRows.of(this.database);

	@AfterEach
	void tearDown() throws InterruptedException {
		for (Process process : this.processes) {
			process.destroyForcibly().waitFor();
		}
		this.upstream.close();
		this.receiver.close();
		TestDatabase.drop(this.database);
	}

	@Test
	void everyAcceptedTaskIsDeliveredAfterTheDispatcherIsKilledMidBatch() throws Exception {
		String database = this.database;
		this.upstream.respondWith((request) -> {
			pause(Duration.ofMillis(300));
			return Response.json(200, "{\"ok\":true}");
		});
		this.receiver.respondWith((request) -> Response.empty(204));

		Process first = startDispatcher(database, "first");
		awaitSchema(database);
		UUID application = IdKind.newUuid();
		insertEndpoint(database, application);
		Set<String> accepted = new HashSet<>();
		for (int i = 0; i < TASKS; i++) {
			accepted.add(IdKind.TASK.format(insertTask(database, application)));
		}

		await().atMost(Duration.ofSeconds(60)).until(() -> this.upstream.requests().size() >= 5);
		first.destroyForcibly().waitFor();
		assertThat(this.rows.count("select count(*) from tasks where status = 'SUCCEEDED'"))
			.as("killed with work in flight")
			.isLessThan(TASKS);

		startDispatcher(database, "second");
		await().atMost(Duration.ofSeconds(90))
			.until(() -> this.rows.count("select count(*) from tasks where status = 'SUCCEEDED'") == TASKS);
		await().atMost(Duration.ofSeconds(30)).until(() -> deliveredTaskIds().containsAll(accepted));
		assertThat(deliveredTaskIds()).isEqualTo(accepted);
	}

	@Test
	void twoDispatchersSideBySideRunEachTaskAndDeliverEachMessageOnce() throws Exception {
		this.upstream.respondWith((request) -> Response.json(200, "{\"ok\":true}"));
		this.receiver.respondWith((request) -> Response.empty(204));
		// leases and timeouts long enough that a loaded machine's cold JVMs never let one
		// run out: a lease that runs out, or a call that times out, is tried again by
		// design, which is not what this test checks
		startDispatcher(this.database, "left", "15s", "10s");
		startDispatcher(this.database, "right", "15s", "10s");
		awaitSchema(this.database);
		UUID application = IdKind.newUuid();
		insertEndpoint(this.database, application);
		for (int i = 0; i < 100; i++) {
			insertTask(this.database, application);
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> this.receiver.requests().size() >= 100);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.rows.count("select count(*) from webhook_deliveries where status = 'SUCCEEDED'") == 100);
		assertThat(this.upstream.requests()).hasSize(100);
		assertThat(this.receiver.requests()).hasSize(100);
		assertThat(this.receiver.requests().stream().map((r) -> r.header("webhook-id")).distinct()).hasSize(100);
		assertThat(this.rows.count("select count(distinct locked_by) from tasks")).isZero();
		assertThat(this.rows.count("select count(*) from delivery_attempts")).isEqualTo(100);
	}

	@Test
	void terminatedDispatcherFinishesWhatItHasInFlightBeforeExiting() throws Exception {
		// a second below the route's 2s timeout: on a loaded machine half a second was
		// too little, and timed-out calls are retried rather than finished
		this.upstream.respondWith((request) -> {
			pause(Duration.ofMillis(1000));
			return Response.json(200, "{\"ok\":true}");
		});
		this.receiver.respondWith((request) -> Response.empty(204));
		Process dispatcher = startDispatcher(this.database, "graceful");
		awaitSchema(this.database);
		UUID application = IdKind.newUuid();
		insertEndpoint(this.database, application);
		for (int i = 0; i < 10; i++) {
			insertTask(this.database, application);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> this.upstream.requests().size() == 10);
		dispatcher.destroy();
		assertThat(dispatcher.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		// every call that was in flight was answered and recorded before the process left
		assertThat(this.rows.count("select count(*) from tasks where status = 'SUCCEEDED'")).isEqualTo(10);
		assertThat(this.rows.count("select count(*) from tasks where locked_by is not null")).isZero();
	}

	private Set<String> deliveredTaskIds() {
		return this.receiver.requests().stream().map((request) -> {
			Matcher matcher = TASK_ID.matcher(request.bodyAsString());
			return matcher.find() ? matcher.group(1) : "";
		}).collect(Collectors.toSet());
	}

	private Process startDispatcher(String database, String name) throws IOException {
		return startDispatcher(database, name, "3s", "2s");
	}

	private Process startDispatcher(String database, String name, String lease, String timeout) throws IOException {
		File log = new File("target/crash-recovery-" + name + ".log");
		Process process = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
				DispatcherApplication.class.getName(), "--server.port=0", "--management.server.port=0",
				"--hookway.database.url=" + database, "--hookway.routes.crash.upstream=" + this.upstream.baseUrl(),
				"--hookway.routes.crash.timeout=" + timeout, "--hookway.dispatcher.lease=" + lease,
				"--hookway.webhooks.timeout=" + timeout, "--hookway.dispatcher.poll-interval=200ms",
				"--hookway.webhooks.allow-http=true", "--hookway.webhooks.allow-private-targets=true",
				"--hookway.dispatcher.worker-id=" + name, "--hookway.secrets.allow-development-key=true")
			.redirectErrorStream(true)
			.redirectOutput(log)
			.start();
		this.processes.add(process);
		return process;
	}

	private static String javaExecutable() {
		return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
	}

	private static void awaitSchema(String database) {
		await().atMost(Duration.ofSeconds(60))
			.ignoreExceptions()
			.until(() -> TestRows.of(database).count("select count(*) from flyway_schema_history where success") >= 1);
	}

	private void insertEndpoint(String database, UUID application) {
		// the same development key the child process uses by default
		SecretCipher cipher = new SecretCipher(
				Base64.getDecoder().decode("aG9va3dheS1kZXZlbG9wbWVudC1rZXktMzItYnl0ZXM="));
		WebhookRows webhooks = new WebhookRows(TestRows.of(database), cipher);
		webhooks.application(application);
		webhooks.endpoint(application, this.receiver.baseUrl() + "/hooks", WebhookSecret.generate(), "task.succeeded");
	}

	private UUID insertTask(String database, UUID application) {
		UUID id = IdKind.newUuid();
		TestRows.of(database)
			.execute("insert into tasks (id, application_id, route, method, path, request_headers, request_body, "
					+ "status, next_attempt_at) values (?, ?, 'crash', 'POST', '/work', '{}', ?, 'ACCEPTED', now())",
					id, application, "{}".getBytes(StandardCharsets.UTF_8));
		return id;
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
