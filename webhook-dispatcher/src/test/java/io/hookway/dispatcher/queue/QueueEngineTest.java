package io.hookway.dispatcher.queue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestRows;
import io.hookway.dispatcher.DispatcherSettings;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine on its own, over a queue table of its own in the test database: every row is
 * attempted once within its destination's slots, an open breaker and a line waited in for
 * half a lease hand rows back without counting their attempt, as does work put off, and
 * two engines on one table never attempt a row twice.
 */
class QueueEngineTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	private static final String TABLE = """
			create table if not exists engine_test_queue (
			    id uuid primary key,
			    run text not null,
			    destination text not null,
			    next_attempt_at timestamptz,
			    attempts integer not null default 0,
			    lease_id uuid,
			    outcome text,
			    worker text)""";

	private static ConnectionFactory connections;

	private final String run = "run-" + UUID.randomUUID();

	private final List<QueueEngine<?, ?>> engines = new ArrayList<>();

	@BeforeAll
	static void createTable() throws SQLException {
		ROWS.execute(TABLE);
		ROWS.execute("create index if not exists engine_test_queue_due on engine_test_queue (run, next_attempt_at)");
		connections = ConnectionFactories
			.get("r2dbc:pool:" + TestDatabase.url().replaceFirst("^postgres(ql)?:", "postgresql:")
					+ (TestDatabase.url().contains("?") ? "&" : "?") + "maxSize=6");
	}

	@AfterEach
	void stopEngines() {
		this.engines.forEach(QueueEngine::stop);
	}

	@Test
	void everyRowIsAttemptedOnceWithinItsDestinationsSlots() throws SQLException {
		insert(300, 5);
		Map<String, AtomicInteger> now = new ConcurrentHashMap<>();
		Map<String, AtomicInteger> peak = new ConcurrentHashMap<>();
		TestQueue queue = new TestQueue("solo", 3, (row) -> Mono.fromRunnable(() -> {
			int running = now.computeIfAbsent(row.destination(), (d) -> new AtomicInteger()).incrementAndGet();
			peak.computeIfAbsent(row.destination(), (d) -> new AtomicInteger()).accumulateAndGet(running, Math::max);
		}).then(Mono.delay(Duration.ofMillis(10))).then(Mono.fromCallable(() -> {
			now.get(row.destination()).decrementAndGet();
			return true;
		})));
		start(queue, Duration.ofSeconds(30));
		await().atMost(Duration.ofSeconds(60)).until(() -> count("outcome = 'done'") == 300);
		assertThat(queue.attempted.values()).hasSize(300).allMatch((times) -> times.get() == 1);
		assertThat(peak).hasSize(5).allSatisfy((destination, most) -> assertThat(most.get()).isBetween(1, 3));
		assertThat(count("attempts <> 1 or lease_id is not null")).isZero();
	}

	@Test
	void rowsRefusedByAnOpenBreakerAreHandedBackWithoutTheirAttemptCounted() throws SQLException {
		TestQueue queue = new TestQueue("solo", 10, (row) -> Mono.just(false));
		start(queue, Duration.ofSeconds(30));
		insert(10, 1);
		await().atMost(Duration.ofSeconds(30)).until(() -> count("outcome = 'failed'") == 10);
		List<UUID> refused = insert(5, 1);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> count("outcome is null and attempts = 0 and lease_id is null "
					+ "and next_attempt_at > now() + interval '20 seconds'") == 5);
		assertThat(refused).allMatch((id) -> queue.claimed.containsKey(id) && !queue.attempted.containsKey(id));
	}

	@Test
	void workPutOffIsDueAgainAfterItsDelayWithoutItsAttemptCountedOrItsBreakerTold() throws SQLException {
		Map<UUID, Long> putOffAt = new ConcurrentHashMap<>();
		Map<UUID, Long> doneAt = new ConcurrentHashMap<>();
		// more put-offs than the breaker needs to open, were they failures
		TestQueue queue = new TestQueue("solo", 20, (row) -> {
			if (putOffAt.putIfAbsent(row.id(), System.nanoTime()) == null) {
				return Mono.error(new NotYet(Duration.ofSeconds(1)));
			}
			doneAt.put(row.id(), System.nanoTime());
			return Mono.just(true);
		});
		start(queue, Duration.ofSeconds(30));
		insert(12, 1);
		await().atMost(Duration.ofSeconds(20)).until(() -> count("outcome = 'done'") == 12);
		assertThat(queue.attempted.values()).hasSize(12).allMatch((times) -> times.get() == 2);
		assertThat(count("attempts <> 1")).isZero();
		assertThat(putOffAt).allSatisfy((id, at) -> assertThat(Duration.ofNanos(doneAt.get(id) - at))
			.isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
	}

	@Test
	void rowWaitingForASlotPastHalfItsLeaseIsHandedBackUnsentAndRunLater() throws SQLException {
		Sinks.One<Boolean> hanging = Sinks.one();
		AtomicInteger calls = new AtomicInteger();
		TestQueue queue = new TestQueue("solo", 1,
				(row) -> (calls.incrementAndGet() == 1) ? hanging.asMono() : Mono.just(true));
		List<UUID> rows = insert(2, 1);
		start(queue, Duration.ofSeconds(2));
		await().atMost(Duration.ofSeconds(10)).until(() -> queue.claimed.size() == 2);
		UUID waiting = rows.stream().filter((id) -> !queue.attempted.containsKey(id)).findFirst().orElseThrow();
		Lease lease = queue.leases.get(waiting);
		await().atMost(Duration.ofSeconds(5)).until(() -> lease.halfGone(Duration.ofSeconds(2)));
		hanging.tryEmitValue(true);
		await().atMost(Duration.ofSeconds(20)).until(() -> count("outcome = 'done'") == 2);
		assertThat(queue.claimed.get(waiting).get()).as("claimed, handed back, claimed again").isEqualTo(2);
		assertThat(queue.attempted.get(waiting).get()).isEqualTo(1);
		assertThat(count("attempts <> 1")).isZero();
	}

	@Test
	void twoEnginesOnOneTableNeverAttemptARowTwiceAndBothDoWork() throws SQLException {
		insert(600, 30);
		TestQueue left = new TestQueue("left", 4, (row) -> Mono.delay(Duration.ofMillis(2)).thenReturn(true));
		TestQueue right = new TestQueue("right", 4, (row) -> Mono.delay(Duration.ofMillis(2)).thenReturn(true));
		start(left, Duration.ofSeconds(30));
		start(right, Duration.ofSeconds(30));
		await().atMost(Duration.ofSeconds(60)).until(() -> count("outcome = 'done'") == 600);
		assertThat(left.attempted.keySet()).doesNotContainAnyElementsOf(right.attempted.keySet());
		assertThat(left.attempted.size() + right.attempted.size()).isEqualTo(600);
		assertThat(left.attempted.values()).allMatch((times) -> times.get() == 1);
		assertThat(right.attempted.values()).allMatch((times) -> times.get() == 1);
		assertThat(count("worker = 'left'")).isPositive();
		assertThat(count("worker = 'right'")).isPositive();
	}

	private void start(TestQueue queue, Duration lease) {
		DispatcherSettings settings = new DispatcherSettings(lease, Duration.ofMillis(100), 32, queue.worker,
				DataSize.ofMegabytes(1), 64, Duration.ofSeconds(5), Duration.ofMinutes(10), 1000,
				DataSize.ofMegabytes(16), 1000);
		QueueEngine<Row, Boolean> engine = new QueueEngine<>("test queue", settings, queue);
		this.engines.add(engine);
		engine.start();
	}

	private List<UUID> insert(int rows, int destinations) throws SQLException {
		List<UUID> ids = new ArrayList<>();
		try (Connection connection = ROWS.connect();
				PreparedStatement insert = connection.prepareStatement("insert into engine_test_queue "
						+ "(id, run, destination, next_attempt_at) values (?, ?, ?, now())")) {
			for (int i = 0; i < rows; i++) {
				UUID id = UUID.randomUUID();
				insert.setObject(1, id);
				insert.setString(2, this.run);
				insert.setString(3, "destination-" + (i % destinations));
				insert.addBatch();
				ids.add(id);
			}
			insert.executeBatch();
		}
		return ids;
	}

	/** The rows of this run that meet the condition. */
	private long count(String condition) {
		return ROWS.count("select count(*) from engine_test_queue where run = ? and (" + condition + ")", this.run);
	}

	record Row(UUID id, String destination, Lease lease) implements Leased {

		@Override
		public UUID applicationId() {
			return UUID.nameUUIDFromBytes(this.destination.getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public long weight() {
			return 100;
		}

	}

	/** A queue over the test table; an outcome is true (done) or false (failed). */
	private final class TestQueue implements WorkQueue<Row, Boolean> {

		final String worker;

		final Map<UUID, AtomicInteger> claimed = new ConcurrentHashMap<>();

		final Map<UUID, AtomicInteger> attempted = new ConcurrentHashMap<>();

		final Map<UUID, Lease> leases = new ConcurrentHashMap<>();

		private final Function<Row, Mono<Boolean>> attempt;

		private final Destinations destinations;

		private final DatabaseClient database = DatabaseClient.create(connections);

		TestQueue(String worker, int slots, Function<Row, Mono<Boolean>> attempt) {
			this.worker = worker;
			this.attempt = attempt;
			this.destinations = Destinations.forgettingIdle(
					Breakers.openingFor(Duration.ofSeconds(30), "destination", (name) -> name,
							(outcome) -> Boolean.FALSE.equals(outcome)),
					slots, Duration.ofSeconds(30), 4, Duration.ofMinutes(1), 1000);
		}

		@Override
		public Mono<Long> promote() {
			return Mono.just(0L);
		}

		@Override
		public Mono<Claimed<Row>> claim(Claim claim) {
			return this.database.sql("""
					update engine_test_queue t
					set attempts = t.attempts + 1, next_attempt_at = now() + interval '1 minute', lease_id = :lease
					from (select id from engine_test_queue where run = :run and next_attempt_at <= now()
					      order by next_attempt_at limit :limit for update skip locked) due
					where t.id = due.id
					returning t.id, t.destination""")
				.bind("lease", claim.lease().id())
				.bind("run", QueueEngineTest.this.run)
				.bind("limit", claim.rows())
				.map((row, metadata) -> new Row(row.get("id", UUID.class), row.get("destination", String.class),
						claim.lease()))
				.all()
				.doOnNext((row) -> {
					this.claimed.computeIfAbsent(row.id(), (id) -> new AtomicInteger()).incrementAndGet();
					this.leases.put(row.id(), row.lease());
				})
				.collectList()
				.map((rows) -> new Claimed<>(rows, false));
		}

		@Override
		public @Nullable Destination destination(Row row) {
			return this.destinations.hold(row.destination());
		}

		@Override
		public Mono<Boolean> attempt(Row row) {
			this.attempted.computeIfAbsent(row.id(), (id) -> new AtomicInteger()).incrementAndGet();
			return this.attempt.apply(row);
		}

		@Override
		public Mono<Void> record(Row row, Boolean outcome) {
			return this.database.sql("""
					update engine_test_queue
					set outcome = :outcome, worker = :worker, lease_id = null,
					    next_attempt_at = case when :done then null else now() + interval '1 hour' end
					where id = :id and lease_id = :lease""")
				.bind("outcome", outcome ? "done" : "failed")
				.bind("done", outcome)
				.bind("worker", this.worker)
				.bind("id", row.id())
				.bind("lease", row.lease().id())
				.then();
		}

		@Override
		public Mono<Void> handBack(List<Row> rows, List<Duration> delays) {
			return this.database.sql("""
					update engine_test_queue t
					set next_attempt_at = now() + make_interval(secs => h.delay), attempts = t.attempts - 1,
					    lease_id = null
					from unnest(:ids, :leases, :delays) as h(id, lease_id, delay)
					where t.id = h.id and t.lease_id = h.lease_id""")
				.bind("ids", rows.stream().map(Row::id).toArray(UUID[]::new))
				.bind("leases", rows.stream().map((row) -> row.lease().id()).toArray(UUID[]::new))
				.bind("delays", delays.stream().map((delay) -> delay.toMillis() / 1000.0).toArray(Double[]::new))
				.then();
		}

	}

}
