package io.hookway.portal;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.TestRows;

/**
 * Messages and deliveries written straight into the test database at chosen times, in the
 * states the publishers and the dispatcher leave them in: the portal only reads and
 * re-queues them.
 */
final class StoredMessages {

	private static final TestRows ROWS = TestRows.testDatabase();

	private static final String STATE = "concat_ws('|', id, message_id, endpoint_id, status, attempt_count, "
			+ "next_attempt_at, ready, lease_id, updated_at)";

	private StoredMessages() {
	}

	/**
	 * A message created at {@code createdAt} whose signed envelope carries {@code data}
	 * (JSON text, kept as written).
	 */
	static UUID message(UUID applicationId, String type, Instant createdAt, String data) {
		UUID id = IdKind.newUuid();
		String payload = "{\"type\":\"" + type + "\",\"timestamp\":\"" + envelopeTime(createdAt) + "\",\"data\":" + data
				+ "}";
		ROWS.execute("insert into webhook_messages (id, application_id, event_type, payload, created_at) "
				+ "values (?, ?, ?, ?, ?)", id, applicationId, type, payload, Timestamp.from(createdAt));
		return id;
	}

	/**
	 * A delivery of the message to the endpoint: FAILED and SUCCEEDED as the last attempt
	 * leaves them, PENDING waiting for a retry an hour from now.
	 */
	static UUID delivery(UUID messageId, UUID endpointId, UUID applicationId, String status) {
		UUID id = IdKind.newUuid();
		ROWS.execute(
				"insert into webhook_deliveries (id, message_id, endpoint_id, application_id, event_type, status, "
						+ "attempt_count, next_attempt_at, ready) select ?, m.id, ?, ?, m.event_type, ?, 4, "
						+ "case when ? = 'PENDING' then now() + interval '1 hour' end, false "
						+ "from webhook_messages m where m.id = ?",
				id, endpointId, applicationId, status, status, messageId);
		return id;
	}

	/** How the envelope writes its time: RFC 3339 in UTC with milliseconds. */
	static String envelopeTime(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MILLIS).toString();
	}

	/**
	 * Everything the dispatcher reads of an application's deliveries, row by row: equal
	 * before and after a call that must change nothing.
	 */
	static String deliveriesOf(UUID applicationId) {
		return ROWS.single("select string_agg(" + STATE + ", ',' order by id) from webhook_deliveries "
				+ "where application_id = ?", applicationId);
	}

	/** The same of one delivery. */
	static String stateOf(UUID deliveryId) {
		return ROWS.single("select " + STATE + " from webhook_deliveries where id = ?", deliveryId);
	}

}
