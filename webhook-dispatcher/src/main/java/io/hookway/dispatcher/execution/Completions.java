package io.hookway.dispatcher.execution;

import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.hookway.core.event.FanOut;
import io.hookway.core.queue.GroupedWriter;
import io.hookway.core.task.TaskStatus;
import io.hookway.dispatcher.DispatcherSettings;
import io.hookway.dispatcher.delivery.LeasedDeliveries;
import io.hookway.dispatcher.queue.Lease;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Writes finished tasks in groups. For every task of a group, in one statement and so one
 * transaction: the task's final state (fenced by its lease), its webhook message, and one
 * delivery per enabled endpoint of its application subscribed to the event — the
 * transactional outbox, batched with array parameters. The deliveries are inserted leased
 * to this process for their first attempt, so that its deliverer sends them without
 * claiming them; should it not, their lease runs out and any deliverer claims them.
 */
final class Completions {

	private static final String COMPLETE = """
			with c as (
			    select * from unnest(:ids, :leases, :statuses, :resultStatuses, :resultHeaders, :resultBodies,
			                         :errorCodes, :errorMessages, :messageIds, :eventTypes, :payloads)
			        as c(id, lease_id, status, result_status, result_headers, result_body,
			             error_code, error_message, message_id, event_type, payload)
			), done as (
			    update tasks t
			    set status = c.status, next_attempt_at = null, locked_by = null, lease_id = null,
			        result_status = c.result_status, result_headers = cast(c.result_headers as jsonb),
			        result_body = decode(c.result_body, 'base64'),
			        error_code = c.error_code, error_message = c.error_message,
			        completed_at = now(), updated_at = now()
			    from c where t.id = c.id and t.lease_id = c.lease_id
			    returning t.id, t.application_id, t.trace_parent
			), message as (
			    insert into webhook_messages (id, application_id, event_type, task_id, payload, trace_parent)
			    select c.message_id, done.application_id, c.event_type, done.id, c.payload, done.trace_parent
			    from done join c on c.id = done.id
			    returning id, application_id, event_type
			)
			insert into webhook_deliveries (message_id, endpoint_id, application_id, event_type, next_attempt_at, ready,
			                                attempt_count, locked_by, lease_id)
			select m.id, e.id, m.application_id, m.event_type, now() + make_interval(secs => :lease), false,
			       1, :worker, :deliveryLease
			from message m
			join webhook_endpoints e on %s
			returning message_id, id""".formatted(FanOut.SUBSCRIBED_ENDPOINTS);

	private static final Base64.Encoder BASE64 = Base64.getEncoder();

	/**
	 * Results and payloads are up to the response limit each: a statement carries at most
	 * this many of their bytes (and at least one completion), not a batch of the largest.
	 */
	private static final long BATCH_BYTES = 8L * 1024 * 1024;

	private final DatabaseClient database;

	private final GroupedWriter<Completion, LeasedDeliveries> writer;

	private final DispatcherSettings settings;

	Completions(DatabaseClient database, DispatcherSettings settings, int writers) {
		this.database = database;
		this.settings = settings;
		int batchSize = settings.batchSize();
		this.writer = GroupedWriter.startingLate(batchSize, BATCH_BYTES, Completion::weight, writers, Integer.MAX_VALUE,
				(batch) -> write(batch.start()));
	}

	/** Emits the deliveries the completion created, once it is committed. */
	Mono<LeasedDeliveries> complete(Completion completion) {
		return this.writer.submit(completion).defaultIfEmpty(LeasedDeliveries.NONE);
	}

	private Mono<Map<Completion, LeasedDeliveries>> write(List<Completion> batch) {
		Lease lease = Lease.take();
		int size = batch.size();
		UUID[] ids = new UUID[size];
		UUID[] leases = new UUID[size];
		String[] statuses = new String[size];
		Integer[] resultStatuses = new Integer[size];
		String[] resultHeaders = new String[size];
		String[] resultBodies = new String[size];
		String[] errorCodes = new String[size];
		String[] errorMessages = new String[size];
		UUID[] messageIds = new UUID[size];
		String[] eventTypes = new String[size];
		String[] payloads = new String[size];
		for (int i = 0; i < size; i++) {
			Completion completion = batch.get(i);
			ids[i] = completion.taskId();
			leases[i] = completion.leaseId();
			statuses[i] = completion.status().name();
			resultStatuses[i] = completion.resultStatus();
			resultHeaders[i] = completion.resultHeadersJson();
			resultBodies[i] = (completion.resultBody() != null) ? BASE64.encodeToString(completion.resultBody()) : null;
			errorCodes[i] = completion.errorCode();
			errorMessages[i] = completion.errorMessage();
			messageIds[i] = completion.messageId();
			eventTypes[i] = completion.eventType();
			payloads[i] = completion.payload();
		}
		return this.database.sql(COMPLETE)
			.bind("ids", ids)
			.bind("leases", leases)
			.bind("statuses", statuses)
			.bind("resultStatuses", resultStatuses)
			.bind("resultHeaders", resultHeaders)
			.bind("resultBodies", resultBodies)
			.bind("errorCodes", errorCodes)
			.bind("errorMessages", errorMessages)
			.bind("messageIds", messageIds)
			.bind("eventTypes", eventTypes)
			.bind("payloads", payloads)
			.bind("lease", this.settings.leaseSeconds())
			.bind("worker", this.settings.workerId())
			.bind("deliveryLease", lease.id())
			.map((row, metadata) -> Map.entry(row.get("message_id", UUID.class), row.get("id", UUID.class)))
			.all()
			.collectMultimap(Map.Entry::getKey, Map.Entry::getValue)
			.map((deliveries) -> {
				Map<Completion, LeasedDeliveries> results = new HashMap<>(size * 2);
				for (Completion completion : batch) {
					Collection<UUID> created = deliveries.get(completion.messageId());
					if (created != null) {
						results.put(completion, new LeasedDeliveries(List.copyOf(created), lease));
					}
				}
				return results;
			});
	}

	/** A task's final state and the message announcing it. */
	record Completion(UUID taskId, UUID leaseId, TaskStatus status, @Nullable Integer resultStatus,
			@Nullable String resultHeadersJson, byte @Nullable [] resultBody, @Nullable String errorCode,
			@Nullable String errorMessage, UUID messageId, String eventType, String payload) {

		long weight() {
			return ((this.resultBody != null) ? this.resultBody.length : 0) + this.payload.length();
		}

	}

}
