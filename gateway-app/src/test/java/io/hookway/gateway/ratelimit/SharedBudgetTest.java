package io.hookway.gateway.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestRows;
import io.hookway.gateway.GatewayApplication;
import io.hookway.gateway.ratelimit.SharedBudget.Grant;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The budget's statement against PostgreSQL: leases never take a window past the quota of
 * 10, whatever the chunk asked for, how many ask at once or from how many gateways, and
 * each window has a quota of its own.
 */
@DirtiesContext
@SpringBootTest(classes = GatewayApplication.class)
class SharedBudgetTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	private static final Duration ANSWER = Duration.ofSeconds(30);

	@Autowired
	SharedBudget budget;

	@Autowired
	BudgetPurge purge;

	@Autowired
	DatabaseClient database;

	@Autowired
	RateLimitSettings settings;

	final UUID application = IdKind.newUuid();

	long window;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		// the shared test server has few connections to spare; let go of them afterwards
		registry.add("spring.r2dbc.pool.initial-size", () -> "1");
		registry.add("hookway.rate-limit.requests-per-second", () -> "10");
		// a database slowed by other tests must not fail a lease here
		registry.add("hookway.rate-limit.lease-timeout", () -> "20s");
	}

	@BeforeEach
	void setUp() {
		// not at construction: the context starts after that, and may take a while
		this.window = this.budget.windows().current();
	}

	@Test
	void chunkLargerThanWhatIsLeftGetsWhatIsLeftAndThenNothing() {
		lease(this.window, 4).expectNext(new Grant(4, 4)).verifyComplete();
		lease(this.window, 4).expectNext(new Grant(4, 8)).verifyComplete();
		lease(this.window, 4).expectNext(new Grant(2, 10)).verifyComplete();
		lease(this.window, 4).expectNext(new Grant(0, 10)).verifyComplete();
		assertThat(row(this.window)).containsExactly(10, 2);
	}

	@Test
	void chunkLargerThanTheWholeQuotaGetsTheQuota() {
		lease(this.window, 25).expectNext(new Grant(10, 10)).verifyComplete();
		lease(this.window, 1).expectNext(new Grant(0, 10)).verifyComplete();
	}

	@Test
	void newWindowHasAQuotaOfItsOwn() {
		lease(this.window, 10).expectNext(new Grant(10, 10)).verifyComplete();
		lease(this.window + 1, 3).expectNext(new Grant(3, 3)).verifyComplete();
		lease(this.window, 3).expectNext(new Grant(0, 10)).verifyComplete();
		assertThat(row(this.window)).containsExactly(10, 10);
		assertThat(row(this.window + 1)).containsExactly(3, 3);
	}

	@Test
	void leasesAtOnceFromTwoGatewaysTakeTheQuotaExactlyOnce() {
		// the second budget is another gateway: its own writers, the same rows; many
		// leases of one gateway for one row also share a statement
		SharedBudget other = new SharedBudget(this.database, this.settings, this.budget.windows());
		List<Grant> grants = Flux.range(0, 40)
			.flatMap((i) -> ((i % 2 == 0) ? this.budget : other).lease(this.application, this.window, 3), 40)
			.collectList()
			.block(ANSWER);
		assertThat(grants).hasSize(40);
		assertThat(grants.stream().mapToInt(Grant::leased).sum()).isEqualTo(10);
		assertThat(grants).allSatisfy((grant) -> assertThat(grant.leased()).isBetween(0, 3));
		assertThat(row(this.window).get(0)).isEqualTo(10);
	}

	@Test
	void purgeDeletesWindowsThatEndedAndKeepsTheCurrentOne() {
		long tenMinutesAgo = this.window - 600;
		lease(tenMinutesAgo, 1).expectNextCount(1).verifyComplete();
		lease(this.window, 1).expectNextCount(1).verifyComplete();
		StepVerifier.create(this.purge.purge()).expectNextMatches((deleted) -> deleted >= 1).verifyComplete();
		assertThat(row(tenMinutesAgo)).isEmpty();
		assertThat(row(this.window)).containsExactly(1, 1);
	}

	private StepVerifier.Step<Grant> lease(long window, int chunk) {
		return StepVerifier.create(this.budget.lease(this.application, window, chunk)).as("lease " + chunk);
	}

	/**
	 * granted and last_lease of the application's row for the window, if there is one.
	 */
	private List<Integer> row(long window) {
		return ROWS
			.rows("select granted, last_lease from rate_limit_budget where application_id = ? "
					+ "and window_start = to_timestamp(?)", this.application, window)
			.stream()
			.findFirst()
			.map((row) -> List.of((Integer) row.get("granted"), (Integer) row.get("last_lease")))
			.orElse(List.of());
	}

}
