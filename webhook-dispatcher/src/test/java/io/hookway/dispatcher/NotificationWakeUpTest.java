package io.hookway.dispatcher;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.RecordingHttpServer;
import io.hookway.core.test.RecordingHttpServer.Response;
import io.hookway.core.test.TestDatabase;

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
	void notificationWakesTheExecutorAndListeningResumesAfterTheConnectionIsKilled() throws SQLException {
		UUID first = insertTaskAndNotify();
		await().atMost(Duration.ofSeconds(10)).until(() -> received(first));

		execute("select pg_terminate_backend(pid) from pg_stat_activity "
				+ "where query like 'LISTEN hookway%' and pid <> pg_backend_pid()");
		UUID second = insertTaskAndNotify();
		// the listener reconnects with backoff and then wakes the workers once by itself
		await().atMost(Duration.ofSeconds(20)).until(() -> received(second));
	}

	private static boolean received(UUID task) {
		String id = IdKind.TASK.format(task);
		return upstream.requests().stream().anyMatch((r) -> id.equals(r.header("Hookway-Task-Id")));
	}

	private static UUID insertTaskAndNotify() throws SQLException {
		UUID id = IdKind.newUuid();
		try (Connection connection = DriverManager.getConnection(TestDatabase.jdbcUrl());
				PreparedStatement insert = connection.prepareStatement(
						"insert into tasks (id, application_id, route, method, path, request_headers, request_body, "
								+ "status, next_attempt_at) values (?, ?, 'notified', 'POST', '/', '{}', ?, 'ACCEPTED', now())")) {
			insert.setObject(1, id);
			insert.setObject(2, IdKind.newUuid());
			insert.setBytes(3, "{}".getBytes(StandardCharsets.UTF_8));
			insert.executeUpdate();
		}
		execute("select pg_notify('hookway_tasks', '')");
		return id;
	}

	private static void execute(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(TestDatabase.jdbcUrl());
				PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.execute();
		}
	}

}
