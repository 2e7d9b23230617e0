package io.hookway.portal.token;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import io.hookway.portal.PortalSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The secret hashing pool says no at once, or at its deadline, instead of letting work
 * wait behind a saturated pool.
 */
class SecretHasherTest {

	private final SecretHasher hasher = new SecretHasher(
			new PortalSettings.SecretHashing(1, 1, 1, Duration.ofSeconds(1)));

	private final CountDownLatch started = new CountDownLatch(1);

	private final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void tearDown() {
		this.release.countDown();
		this.hasher.destroy();
	}

	@Test
	void refusesBeyondTheKeysShareTheQueueAndTheDeadlineThenRecovers() throws InterruptedException {
		CompletableFuture<String> running = this.hasher.run("a", () -> {
			this.started.countDown();
			this.release.await(10, TimeUnit.SECONDS);
			return "a";
		}).toFuture();
		assertThat(this.started.await(5, TimeUnit.SECONDS)).isTrue();

		StepVerifier.create(this.hasher.run("a", () -> "again"))
			.expectErrorMatches((ex) -> ex instanceof SecretHasher.Busy busy && busy.keyLimit())
			.verify(Duration.ofMillis(200));

		CompletableFuture<String> queued = this.hasher.run("b", () -> "b").toFuture();
		StepVerifier.create(this.hasher.run("c", () -> "c"))
			.expectErrorMatches((ex) -> ex instanceof SecretHasher.Busy busy && !busy.keyLimit())
			.verify(Duration.ofMillis(200));
		StepVerifier.create(reactor.core.publisher.Mono.fromFuture(queued))
			.expectErrorMatches((ex) -> ex instanceof SecretHasher.Busy busy && !busy.keyLimit())
			.verify(Duration.ofSeconds(3));

		// the deadline also gives up on work already running: its caller is answered
		StepVerifier.create(reactor.core.publisher.Mono.fromFuture(running))
			.expectErrorMatches((ex) -> ex instanceof SecretHasher.Busy)
			.verify(Duration.ofSeconds(3));
		this.release.countDown();
		StepVerifier.create(this.hasher.run("b", () -> "b"))
			.expectNext("b")
			.expectComplete()
			.verify(Duration.ofSeconds(3));
		StepVerifier.create(this.hasher.run("a", () -> "a"))
			.expectNext("a")
			.expectComplete()
			.verify(Duration.ofSeconds(3));
	}

	@Test
	void aClientsShareIsPerAddressSoOneAddressCannotTakeAnothersShare() throws InterruptedException {
		SecretHasher roomy = new SecretHasher(new PortalSettings.SecretHashing(1, 4, 1, Duration.ofSeconds(5)));
		try {
			CompletableFuture<String> running = roomy.run(new ClientAddress("cli_1", "127.0.0.2"), () -> {
				this.started.countDown();
				this.release.await(10, TimeUnit.SECONDS);
				return "attacker";
			}).toFuture();
			assertThat(this.started.await(5, TimeUnit.SECONDS)).isTrue();
			StepVerifier.create(roomy.run(new ClientAddress("cli_1", "127.0.0.2"), () -> "again"))
				.expectErrorMatches((ex) -> ex instanceof SecretHasher.Busy busy && busy.keyLimit())
				.verify(Duration.ofMillis(200));
			CompletableFuture<String> elsewhere = roomy.run(new ClientAddress("cli_1", "127.0.0.1"), () -> "client")
				.toFuture();
			this.release.countDown();
			StepVerifier.create(reactor.core.publisher.Mono.fromFuture(elsewhere))
				.expectNext("client")
				.expectComplete()
				.verify(Duration.ofSeconds(3));
			assertThat(running.join()).isEqualTo("attacker");
		}
		finally {
			roomy.destroy();
		}
	}

}
