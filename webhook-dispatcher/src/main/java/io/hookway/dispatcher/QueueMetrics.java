package io.hookway.dispatcher;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.hookway.core.lifecycle.PeriodicJob;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * How far behind the queues are, as gauges read every few seconds: rows due now
 * ({@code hookway.queue.ready}) and how long the oldest has waited
 * ({@code hookway.queue.oldest.age}, seconds), for tasks and deliveries.
 */
@Component
class QueueMetrics extends PeriodicJob {

	private static final Duration INTERVAL = Duration.ofSeconds(10);

	private final DatabaseClient database;

	private final AtomicReference<double[]> latest = new AtomicReference<>(new double[4]);

	QueueMetrics(DatabaseClient database, MeterRegistry meters) {
		super("Reading queue depth", Duration.ZERO, INTERVAL);
		this.database = database;
		register(meters, "hookway.queue.ready", "tasks", 0, "rows due now");
		register(meters, "hookway.queue.oldest.age", "tasks", 1, "seconds the oldest due row has waited");
		register(meters, "hookway.queue.ready", "deliveries", 2, "rows due now");
		register(meters, "hookway.queue.oldest.age", "deliveries", 3, "seconds the oldest due row has waited");
	}

	private void register(MeterRegistry meters, String name, String queue, int index, String description) {
		Gauge.builder(name, this.latest, (values) -> values.get()[index])
			.tag("queue", queue)
			.description(description)
			.register(meters);
	}

	@Override
	protected Mono<Void> runOnce() {
		return this.database
			.sql("""
					select (select count(*) from tasks where next_attempt_at <= now()) as ready_tasks,
					       (select coalesce(extract(epoch from now() - min(next_attempt_at)), 0)
					        from tasks where next_attempt_at <= now()) as oldest_task,
					       (select count(*) from webhook_deliveries
					        where status = 'PENDING' and next_attempt_at <= now()) as ready_deliveries,
					       (select coalesce(extract(epoch from now() - min(next_attempt_at)), 0)
					        from webhook_deliveries where status = 'PENDING' and next_attempt_at <= now()) as oldest_delivery""")
			.map((row,
					metadata) -> new double[] { number(row.get("ready_tasks")), number(row.get("oldest_task")),
							number(row.get("ready_deliveries")), number(row.get("oldest_delivery")) })
			.one()
			.doOnNext(this.latest::set)
			.then();
	}

	private static double number(@Nullable Object value) {
		return (value instanceof Number number) ? number.doubleValue() : 0;
	}

}
