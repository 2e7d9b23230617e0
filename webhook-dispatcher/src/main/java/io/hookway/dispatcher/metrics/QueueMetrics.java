package io.hookway.dispatcher.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.hookway.core.lifecycle.PeriodicJob;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * How far behind the queues are, as gauges read every few seconds with one query: rows
 * due now ({@code hookway.queue.ready}) and how long the oldest has waited
 * ({@code hookway.queue.oldest.age}, seconds), for tasks and deliveries; and unfinished
 * tasks by state ({@code hookway.tasks}). Finished tasks are not counted here: that would
 * read the whole table, and {@code hookway.task.attempts} counts their outcomes.
 */
@Component
class QueueMetrics extends PeriodicJob {

	private static final Duration INTERVAL = Duration.ofSeconds(10);

	/**
	 * Rows due now are the ready ones and the waiting ones whose time has come but are
	 * not promoted yet; each half read from its own partial index.
	 */
	private static final String QUERY = """
			select (select count(*) from tasks where next_attempt_at is not null and ready)
			     + (select count(*) from tasks where next_attempt_at is not null and not ready
			        and next_attempt_at <= now()) as ready_tasks,
			       (select coalesce(extract(epoch from now() - least(
			            (select min(next_attempt_at) from tasks where next_attempt_at is not null and ready),
			            (select min(next_attempt_at) from tasks where next_attempt_at is not null and not ready
			             and next_attempt_at <= now()))), 0)) as oldest_task,
			       (select count(*) from webhook_deliveries where status = 'PENDING' and ready)
			     + (select count(*) from webhook_deliveries where status = 'PENDING' and not ready
			        and next_attempt_at <= now()) as ready_deliveries,
			       (select coalesce(extract(epoch from now() - least(
			            (select min(next_attempt_at) from webhook_deliveries where status = 'PENDING' and ready),
			            (select min(next_attempt_at) from webhook_deliveries where status = 'PENDING' and not ready
			             and next_attempt_at <= now()))), 0)) as oldest_delivery,
			       t.accepted, t.running, t.retrying, t.awaiting_report
			from (select count(*) filter (where lease_id is null and status = 'ACCEPTED') as accepted,
			             count(*) filter (where lease_id is not null) as running,
			             count(*) filter (where lease_id is null and status <> 'ACCEPTED'
			                              and completion_deadline is null) as retrying,
			             count(*) filter (where lease_id is null and completion_deadline is not null) as awaiting_report
			      from (select lease_id, status, completion_deadline from tasks
			            where next_attempt_at is not null and ready
			            union all
			            select lease_id, status, completion_deadline from tasks
			            where next_attempt_at is not null and not ready) unfinished) t""";

	private final DatabaseClient database;

	private final AtomicReference<Map<String, Double>> latest = new AtomicReference<>(Map.of());

	QueueMetrics(DatabaseClient database, MeterRegistry meters) {
		super("Reading queue depth", Duration.ZERO, INTERVAL);
		this.database = database;
		register(meters, "hookway.queue.ready", "queue", "tasks", "ready_tasks", "rows due now");
		register(meters, "hookway.queue.oldest.age", "queue", "tasks", "oldest_task",
				"seconds the oldest due row has waited");
		register(meters, "hookway.queue.ready", "queue", "deliveries", "ready_deliveries", "rows due now");
		register(meters, "hookway.queue.oldest.age", "queue", "deliveries", "oldest_delivery",
				"seconds the oldest due row has waited");
		String tasks = "unfinished tasks by state";
		register(meters, "hookway.tasks", "state", "accepted", "accepted", tasks);
		register(meters, "hookway.tasks", "state", "running", "running", tasks);
		register(meters, "hookway.tasks", "state", "retrying", "retrying", tasks);
		register(meters, "hookway.tasks", "state", "awaiting_report", "awaiting_report", tasks);
	}

	private void register(MeterRegistry meters, String name, String tag, String value, String column,
			String description) {
		Gauge.builder(name, this.latest, (values) -> values.get().getOrDefault(column, 0.0))
			.tag(tag, value)
			.description(description)
			.register(meters);
	}

	@Override
	protected Mono<Void> runOnce() {
		return this.database.sql(QUERY).map((row, metadata) -> values(row)).one().doOnNext(this.latest::set).then();
	}

	private static Map<String, Double> values(Readable row) {
		return Map.of("ready_tasks", number(row.get("ready_tasks")), "oldest_task", number(row.get("oldest_task")),
				"ready_deliveries", number(row.get("ready_deliveries")), "oldest_delivery",
				number(row.get("oldest_delivery")), "accepted", number(row.get("accepted")), "running",
				number(row.get("running")), "retrying", number(row.get("retrying")), "awaiting_report",
				number(row.get("awaiting_report")));
	}

	private static double number(@Nullable Object value) {
		return (value instanceof Number number) ? number.doubleValue() : 0;
	}

}
