package io.hookway.dispatcher;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.RecordingHttpServer;
import io.hookway.core.test.RecordingHttpServer.Response;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestRows;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.awaitility.Awaitility.await;

/**
 * With polling practically off (once an hour), new work is picked up because of NOTIFY
 * alone, also after the listening connection was killed and re-established.
 */
@SpringBootTest(classes = DispatcherApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NotificationWakeUpTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	static final RecordingHttpServer upstream = RecordingHttpServer.start();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.routes.notified.upstream", () -> upstream.baseUrl());
		registry.add("hookway.dispatcher.poll-interval", () -> "1h");
		upstream.respondWith((request) -> Response.json(200, "{}"));
	}

	@AfterAll
	static void stop() {
		upstream.close();
	}

	@Test
	void notificationWakesTheExecutorAndListeningResumesAfterTheConnectionIsKilled() {
		UUID first = insertTaskAndNotify();
		await().atMost(Duration.ofSeconds(10)).until(() -> received(first));

		ROWS.execute("select pg_terminate_backend(pid) from pg_stat_activity "
				+ "where query like 'LISTEN hookway%' and pid <> pg_backend_pid()");
		UUID second = insertTaskAndNotify();
		// the listener reconnects with backoff and then wakes the workers once by itself
		await().atMost(Duration.ofSeconds(20)).until(() -> received(second));
	}

	private static boolean received(UUID task) {
		String id = IdKind.TASK.format(task);
		return upstream.requests().stream().anyMatch((r) -> id.equals(r.header("Hookway-Task-Id")));
	}

	private static UUID insertTaskAndNotify() {
		UUID id = IdKind.newUuid();
		ROWS.execute(
				"insert into tasks (id, application_id, route, method, path, request_headers, request_body, "
						+ "status, next_attempt_at) values (?, ?, 'notified', 'POST', '/', '{}', ?, 'ACCEPTED', now())",
				id, IdKind.newUuid(), "{}".getBytes(StandardCharsets.UTF_8));
		ROWS.execute("select pg_notify('hookway_tasks', '')");
		return id;
	}

}
