package io.hookway.gateway.store;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.R2dbcException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import io.hookway.core.queue.WriteNotStoredException;
import io.hookway.core.queue.WriteOutcomeUnknownException;

/**
 * A write answered within a time budget, whose failure means "not done": it runs in a
 * transaction whose {@code statement_timeout} ends a grace before the budget does, so
 * PostgreSQL rolls it back rather than commit it late. A database that does not answer
 * the statement by the end of the budget gets it abandoned (never committed) and the
 * caller a {@link WriteNotStoredException}; only a commit still unanswered then leaves
 * the outcome unknown ({@link WriteOutcomeUnknownException}). So the caller has its
 * answer within the budget, plus scheduling delays.
 * <p>
 * The transaction runs on its own subscription: a caller that stops waiting never cancels
 * it half-way (a connection returned to the pool in the middle of a transaction could
 * have it committed by its next user).
 */
public final class BoundedTransaction {

	/** The shortest statement timeout a transaction is given, however close its end. */
	private static final Duration MIN_STATEMENT_TIMEOUT = Duration.ofMillis(200);

	/**
	 * How long past its statement timeout a statement may stay unanswered: PostgreSQL
	 * cancels it at the timeout, so only a database or network that stopped answering
	 * gets here. It is also what a commit has at least.
	 */
	private static final Duration MAX_GRACE = Duration.ofSeconds(1);

	private static final int RUNNING = 0;

	private static final int COMMITTING = 1;

	private static final int ABANDONED = 2;

	private BoundedTransaction() {
	}

	/** The grace a transaction of this budget keeps for an unanswered statement. */
	public static Duration grace(Duration budget) {
		Duration quarter = budget.dividedBy(4);
		return (quarter.compareTo(MAX_GRACE) < 0) ? quarter : MAX_GRACE;
	}

	private static Duration minStatementTimeout(Duration budget) {
		Duration quarter = budget.dividedBy(4);
		return (quarter.compareTo(MIN_STATEMENT_TIMEOUT) < 0) ? quarter : MIN_STATEMENT_TIMEOUT;
	}

	/**
	 * How long a write of this budget may wait before its transaction begins and still
	 * have its shortest statement timeout and its grace before the budget ends.
	 */
	public static Duration beginWithin(Duration budget) {
		return budget.minus(grace(budget)).minus(minStatementTimeout(budget));
	}

	/**
	 * Runs {@code statement} in a transaction on a connection of its own.
	 * @param budget the whole time the caller may wait, the wait for a connection
	 * included
	 * @param acquireWithin how long to wait for a connection at most; null to wait as
	 * long as the pool makes it
	 * @param begin called once a connection is held: the time left until the answer is
	 * due, or empty when there is nothing to write (the result is then empty)
	 * @param statement what runs in the transaction; its failure rolls it back
	 * @param committed called with the result once the commit succeeded
	 */
	public static <R> Mono<R> run(ConnectionFactory connections, Duration budget, @Nullable Duration acquireWithin,
			Supplier<Optional<Duration>> begin, Function<Connection, Mono<R>> statement, Consumer<R> committed) {
		AtomicInteger phase = new AtomicInteger(RUNNING);
		Sinks.One<Duration> started = Sinks.one();
		Mono<Connection> connection = Mono.from(connections.create());
		if (acquireWithin != null) {
			connection = connection.timeout(acquireWithin);
		}
		Mono<R> transaction = Mono
			.usingWhen(connection.onErrorMap((ex) -> new WriteNotStoredException("No database connection", ex)),
					(held) -> transaction(held, budget, begin, statement, phase, started), Connection::close,
					(held, error) -> held.close(), Connection::close)
			.doOnNext(committed)
			.cache();
		transaction.subscribe((result) -> {
		}, (error) -> {
		});
		Mono<R> unanswered = started.asMono().delayUntil(Mono::delay).then(Mono.defer(() -> {
			if (phase.compareAndSet(RUNNING, ABANDONED)) {
				return Mono.error(new WriteNotStoredException(
						"The database did not answer in time; the write is rolled back instead of committed",
						new TimeoutException()));
			}
			return Mono.error(new WriteOutcomeUnknownException("The database did not answer the commit in time",
					new TimeoutException()));
		}));
		return Mono.firstWithSignal(transaction, unanswered);
	}

	private static <R> Mono<R> transaction(Connection connection, Duration budget, Supplier<Optional<Duration>> begin,
			Function<Connection, Mono<R>> statement, AtomicInteger phase, Sinks.One<Duration> started) {
		Optional<Duration> left = begin.get();
		if (left.isEmpty()) {
			return Mono.empty();
		}
		Duration grace = grace(budget);
		Duration timeout = left.get().minus(grace);
		Duration floor = minStatementTimeout(budget);
		if (timeout.compareTo(floor) < 0) {
			timeout = floor;
		}
		started.tryEmitValue(timeout.plus(grace));
		Mono<Optional<R>> done = run(connection, "begin; set local statement_timeout = " + timeout.toMillis())
			.then(statement.apply(connection))
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.onErrorMap((ex) -> new WriteNotStoredException("The write failed before its commit", ex));
		return done.flatMap((result) -> {
			if (!phase.compareAndSet(RUNNING, COMMITTING)) {
				return Mono.error(new WriteNotStoredException("Abandoned before its commit", null));
			}
			return run(connection, "commit").onErrorMap(BoundedTransaction::commitFailure).thenReturn(result);
		})
			.onErrorResume(WriteNotStoredException.class,
					(ex) -> run(connection, "rollback").onErrorResume((rollback) -> Mono.empty()).then(Mono.error(ex)))
			.flatMap(Mono::justOrEmpty);
	}

	/**
	 * An error the server answered means the commit was refused and rolled back; no
	 * answer (the connection broke) leaves it unknown.
	 */
	private static Throwable commitFailure(Throwable ex) {
		if (ex instanceof R2dbcException r2dbc && r2dbc.getSqlState() != null) {
			return new WriteNotStoredException("The commit was refused", ex);
		}
		return new WriteOutcomeUnknownException("The commit got no answer", ex);
	}

	private static Mono<Void> run(Connection connection, String sql) {
		return Flux.from(connection.createStatement(sql).execute())
			.concatMap((result) -> Flux.from(result.getRowsUpdated()))
			.then();
	}

}
