package io.hookway.gateway.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import io.hookway.core.queue.GroupedWriter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * The deployment's rate-limit budget in PostgreSQL: one row per window and application
 * counting the permits all gateways have leased. A lease takes up to a chunk of what is
 * left of the quota, in an upsert that never takes the count past it. Leases of many
 * applications that wait for a free writer go together as one statement, as the task
 * inserts do.
 * <p>
 * A statement, once sent, is never cancelled (a cancelled statement would give its
 * connection back to the pool with the answer still to come); callers stop waiting for it
 * on their own deadline. Statements go through a circuit breaker: once half of the recent
 * ones failed or took longer than the lease timeout, leases fail at once for five
 * seconds, so calls fall back to each gateway's own share without each waiting out the
 * lease timeout first.
 */
@Component
class SharedBudget {

	private static final Log logger = LogFactory.getLog(SharedBudget.class);

	/**
	 * A new row takes the chunk (at most the quota); an existing one takes what is left
	 * up to the chunk, and is not touched when nothing is, so no row comes back. The
	 * update's right-hand sides read the row as it was: {@code last_lease} is what this
	 * statement took. Rows go in window and application order, the same in every gateway,
	 * so two statements never wait for each other's rows crosswise.
	 */
	private static final String LEASE = """
			insert into rate_limit_budget as budget (window_start, application_id, granted, last_lease)
			select timestamptz 'epoch' + t.start_micros * interval '1 microsecond', t.application_id,
			       least(t.chunk, :quota), least(t.chunk, :quota)
			from unnest(cast(:starts as bigint[]), cast(:applications as uuid[]), cast(:chunks as integer[]))
			     with ordinality as t(start_micros, application_id, chunk, position)
			order by t.position
			on conflict (window_start, application_id) do update
			set granted = budget.granted + least(excluded.granted, :quota - budget.granted),
			    last_lease = least(excluded.granted, :quota - budget.granted)
			where budget.granted < :quota
			returning window_start, application_id, granted, last_lease""";

	private static final int BATCH_SIZE = 256;

	private static final int WRITERS = 2;

	private final DatabaseClient database;

	private final Windows windows;

	private final int quota;

	private final Duration timeout;

	private final CircuitBreaker breaker;

	private final GroupedWriter<Request, Grant> writer;

	@Autowired
	SharedBudget(DatabaseClient database, RateLimitSettings settings, ObjectProvider<Clock> clock) {
		this(database, settings, new Windows(settings.windowNanos(), clock.getIfAvailable(Clock::systemUTC)));
	}

	SharedBudget(DatabaseClient database, RateLimitSettings settings, Windows windows) {
		this.database = database;
		this.windows = windows;
		this.quota = settings.quota();
		this.timeout = settings.leaseTimeout();
		this.breaker = CircuitBreaker.of("rate-limit-budget",
				CircuitBreakerConfig.custom()
					.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
					.slidingWindowSize(10)
					.minimumNumberOfCalls(5)
					.failureRateThreshold(50)
					.slowCallDurationThreshold(settings.leaseTimeout())
					.slowCallRateThreshold(50)
					.waitDurationInOpenState(Duration.ofSeconds(5))
					.permittedNumberOfCallsInHalfOpenState(1)
					.writableStackTraceEnabled(false)
					.build());
		this.breaker.getEventPublisher().onStateTransition((event) -> {
			if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
				logger.warn("The shared rate-limit budget does not answer; calls are decided by this gateway's "
						+ "hookway.rate-limit.fallback-share until it does");
			}
			else if (event.getStateTransition().getToState() == CircuitBreaker.State.CLOSED) {
				logger.info("The shared rate-limit budget answers again");
			}
		});
		this.writer = new GroupedWriter<>(BATCH_SIZE, WRITERS, settings.trackedApplications(), this::write);
	}

	/** The windows whose budgets this holds, on the clock of this gateway. */
	Windows windows() {
		return this.windows;
	}

	/**
	 * Leases up to {@code chunk} permits of the application's quota in the window; a
	 * grant of none means the window's quota is all leased. Fails when the statement
	 * failed, or was not sent within the lease timeout (all writers busy).
	 */
	Mono<Grant> lease(UUID application, long window, int chunk) {
		return this.writer.submit(new Request(new Row(this.windows.startMicros(window), application), chunk),
				this.timeout);
	}

	private Mono<Map<Request, Grant>> write(List<Request> requests) {
		// a statement may not update a row twice: requests for one row (a limiter
		// forgotten and made again while its lease waited) share it
		Map<Row, List<Request>> rows = new TreeMap<>();
		for (Request request : requests) {
			rows.computeIfAbsent(request.row, (row) -> new ArrayList<>(1)).add(request);
		}
		Long[] starts = new Long[rows.size()];
		UUID[] applications = new UUID[rows.size()];
		Integer[] chunks = new Integer[rows.size()];
		int i = 0;
		for (Map.Entry<Row, List<Request>> row : rows.entrySet()) {
			starts[i] = row.getKey().startMicros();
			applications[i] = row.getKey().application();
			chunks[i] = (int) Math.min(this.quota, row.getValue().stream().mapToLong((request) -> request.chunk).sum());
			i++;
		}
		return this.database.sql(LEASE)
			.bind("starts", starts)
			.bind("applications", applications)
			.bind("chunks", chunks)
			.bind("quota", this.quota)
			.map((row, metadata) -> new Leased(
					new Row(micros(row.get("window_start", Instant.class)), row.get("application_id", UUID.class)),
					row.get("granted", Integer.class), row.get("last_lease", Integer.class)))
			.all()
			.collectMap(Leased::row)
			.transformDeferred(CircuitBreakerOperator.of(this.breaker))
			.map((leased) -> shares(rows, leased));
	}

	private Map<Request, Grant> shares(Map<Row, List<Request>> rows, Map<Row, Leased> leased) {
		Map<Request, Grant> grants = new HashMap<>();
		rows.forEach((row, requests) -> {
			Leased answer = leased.get(row);
			int left = (answer != null) ? answer.lease() : 0;
			int granted = (answer != null) ? answer.granted() : this.quota;
			for (Request request : requests) {
				int share = Math.min(request.chunk, left);
				left -= share;
				grants.put(request, new Grant(share, granted));
			}
		});
		return grants;
	}

	private static long micros(Instant instant) {
		return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000L;
	}

	/**
	 * What a lease got.
	 *
	 * @param leased permits this gateway may now spend
	 * @param granted permits of the window leased by all gateways so far, this lease
	 * included
	 */
	record Grant(int leased, int granted) {

	}

	private record Row(long startMicros, UUID application) implements Comparable<Row> {

		@Override
		public int compareTo(Row other) {
			int byWindow = Long.compare(this.startMicros, other.startMicros);
			return (byWindow != 0) ? byWindow : this.application.compareTo(other.application);
		}

	}

	private record Leased(Row row, int granted, int lease) {

	}

	/**
	 * One lease asked for; equal only to itself, as two asks for one row may wait
	 * together.
	 */
	private static final class Request {

		final Row row;

		final int chunk;

		Request(Row row, int chunk) {
			this.row = row;
			this.chunk = chunk;
		}

	}

}
