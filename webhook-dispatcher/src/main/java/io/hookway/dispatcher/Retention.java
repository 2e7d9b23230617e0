package io.hookway.dispatcher;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Purges what is finished and older than the retention period, a batch at a time so no
 * statement holds many locks: finished tasks, and webhook messages with no delivery still
 * pending (their deliveries and attempts go with them). Rows other processes are purging
 * are skipped, so every dispatcher can run this.
 */
@Component
class Retention implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(Retention.class);

	private final DatabaseClient database;

	private final DispatcherSettings settings;

	private volatile @Nullable Disposable running;

	Retention(DatabaseClient database, DispatcherSettings settings) {
		this.database = database;
		this.settings = settings;
	}

	/** One pass: deletes batches until none is full; emits how many rows it deleted. */
	Mono<Long> purge() {
		return purgeTasks()
			.expand((deleted) -> (deleted == this.settings.retentionBatchSize()) ? purgeTasks() : Mono.empty())
			.concatWith(purgeMessages()
				.expand((deleted) -> (deleted == this.settings.retentionBatchSize()) ? purgeMessages() : Mono.empty()))
			.reduce(0L, Long::sum);
	}

	private Mono<Long> purgeTasks() {
		return this.database.sql("""
				delete from tasks where id in (
				    select id from tasks
				    where completed_at < now() - make_interval(secs => :retention)
				      and status in ('SUCCEEDED', 'FAILED', 'CANCELLED')
				    order by completed_at
				    limit :limit
				    for update skip locked)""")
			.bind("retention", (double) this.settings.retention().toSeconds())
			.bind("limit", this.settings.retentionBatchSize())
			.fetch()
			.rowsUpdated();
	}

	private Mono<Long> purgeMessages() {
		return this.database.sql("""
				delete from webhook_messages where id in (
				    select m.id from webhook_messages m
				    where m.created_at < now() - make_interval(secs => :retention)
				      and not exists (select 1 from webhook_deliveries d
				                      where d.message_id = m.id and d.status = 'PENDING')
				    order by m.created_at
				    limit :limit
				    for update skip locked)""")
			.bind("retention", (double) this.settings.retention().toSeconds())
			.bind("limit", this.settings.retentionBatchSize())
			.fetch()
			.rowsUpdated();
	}

	@Override
	public void start() {
		this.running = Flux.interval(Duration.ofSeconds(5), this.settings.retentionInterval())
			.onBackpressureDrop()
			.concatMap((tick) -> purge().onErrorResume((ex) -> {
				logger.warn("Retention purge failed; trying again at the next interval: " + ex);
				return Mono.empty();
			}))
			.subscribe((deleted) -> {
				if (deleted > 0) {
					logger.info("Retention purged " + deleted + " finished rows");
				}
			});
	}

	@Override
	public void stop() {
		Disposable current = this.running;
		if (current != null) {
			current.dispose();
		}
		this.running = null;
	}

	@Override
	public boolean isRunning() {
		return this.running != null;
	}

}
