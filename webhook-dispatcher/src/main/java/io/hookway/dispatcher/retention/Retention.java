package io.hookway.dispatcher.retention;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.hookway.core.lifecycle.PeriodicJob;
import io.hookway.core.retention.RetentionSettings;
import io.hookway.dispatcher.DispatcherSettings;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Purges what is finished and older than the retention period, a batch at a time so no
 * statement holds many locks: finished tasks, and webhook messages with no delivery still
 * pending (their deliveries and attempts go with them). Rows other processes are purging
 * are skipped, so every dispatcher can run this. Rate limits' past turns go too.
 */
@Component
public class Retention extends PeriodicJob {

	private static final Log logger = LogFactory.getLog(Retention.class);

	private static final String PURGE_TASKS = """
			delete from tasks where id in (
			    select id from tasks
			    where completed_at < now() - make_interval(secs => :retention)
			      and status in ('SUCCEEDED', 'FAILED', 'CANCELLED')
			    order by completed_at
			    limit :limit
			    for update skip locked)""";

	private static final String PURGE_MESSAGES = """
			delete from webhook_messages where id in (
			    select m.id from webhook_messages m
			    where m.created_at < now() - make_interval(secs => :retention)
			      and not exists (select 1 from webhook_deliveries d
			                      where d.message_id = m.id and d.status = 'PENDING')
			    order by m.created_at
			    limit :limit
			    for update skip locked)""";

	/**
	 * Rate-limited endpoints' reservations whose turns are long over (the latest is never
	 * more than seconds after its first): the same as no row. One per endpoint at most.
	 */
	private static final String PURGE_TURNS = "delete from endpoint_pace where first_at < now() - interval '1 minute'";

	private final DatabaseClient database;

	private final DispatcherSettings settings;

	private final Duration retention;

	Retention(DatabaseClient database, DispatcherSettings settings, RetentionSettings retention) {
		super("Retention purge", Duration.ofSeconds(5), settings.retentionInterval());
		this.database = database;
		this.settings = settings;
		this.retention = retention.retention();
	}

	@Override
	protected Mono<Long> runOnce() {
		return purge().doOnNext((deleted) -> {
			if (deleted > 0) {
				logger.info("Retention purged " + deleted + " finished rows");
			}
		});
	}

	/** One pass: deletes batches until none is full; emits how many rows it deleted. */
	public Mono<Long> purge() {
		return purgeAll(PURGE_TASKS).concatWith(purgeAll(PURGE_MESSAGES))
			.concatWith(this.database.sql(PURGE_TURNS).fetch().rowsUpdated())
			.reduce(0L, Long::sum);
	}

	/** Runs a purge statement batch after batch while batches come back full. */
	private Flux<Long> purgeAll(String statement) {
		return purgeBatch(statement).expand(
				(deleted) -> (deleted == this.settings.retentionBatchSize()) ? purgeBatch(statement) : Mono.empty());
	}

	private Mono<Long> purgeBatch(String statement) {
		return this.database.sql(statement)
			.bind("retention", (double) this.retention.toSeconds())
			.bind("limit", this.settings.retentionBatchSize())
			.fetch()
			.rowsUpdated();
	}

}
