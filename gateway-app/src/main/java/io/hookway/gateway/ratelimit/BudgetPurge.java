package io.hookway.gateway.ratelimit;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import io.hookway.core.lifecycle.PeriodicJob;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Deletes the budget rows of ended windows, a batch at a time. A row is kept a minute
 * past its window's end, for gateways whose clocks run a little behind; rows another
 * gateway is deleting are skipped, so every gateway can run this.
 */
@Component
class BudgetPurge extends PeriodicJob {

	private static final Log logger = LogFactory.getLog(BudgetPurge.class);

	private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

	private static final int BATCH_SIZE = 5000;

	private static final String PURGE = """
			delete from rate_limit_budget where (window_start, application_id) in (
			    select window_start, application_id from rate_limit_budget
			    where window_start < now() - make_interval(secs => :age)
			    order by window_start
			    limit :limit
			    for update skip locked)""";

	private final DatabaseClient database;

	private final double ageSeconds;

	BudgetPurge(DatabaseClient database, RateLimitSettings settings) {
		super("Rate-limit budget purge", settings.purgeInterval(), settings.purgeInterval());
		this.database = database;
		this.ageSeconds = Duration.ofNanos(settings.windowNanos()).plus(CLOCK_SKEW).toNanos() / 1e9;
	}

	@Override
	protected Mono<Long> runOnce() {
		return purge().doOnNext((deleted) -> {
			if (logger.isDebugEnabled() && deleted > 0) {
				logger.debug("Purged " + deleted + " rate-limit budget rows of ended windows");
			}
		});
	}

	/** Deletes batches until one is not full; emits how many rows went. */
	Mono<Long> purge() {
		return purgeBatch().expand((deleted) -> (deleted == BATCH_SIZE) ? purgeBatch() : Mono.empty())
			.reduce(0L, Long::sum);
	}

	private Mono<Long> purgeBatch() {
		return this.database.sql(PURGE).bind("age", this.ageSeconds).bind("limit", BATCH_SIZE).fetch().rowsUpdated();
	}

}
