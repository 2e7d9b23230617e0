package io.hookway.core.outbound;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.resolver.AddressResolver;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import io.hookway.core.test.SilentNameServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A name server that never answers costs each look-up its deadline, and nothing else:
 * other names resolve meanwhile, and nothing waits for ever.
 */
class HostLookupTest {

	private static final Duration DEADLINE = Duration.ofSeconds(1);

	private final SilentNameServer nameServer = new SilentNameServer();

	private HostLookup lookup;

	private final DefaultEventExecutor executor = new DefaultEventExecutor();

	@BeforeEach
	void start() {
		this.lookup = new HostLookup(new DnsSettings(DEADLINE, List.of("127.0.0.1:" + this.nameServer.port())));
	}

	@AfterEach
	void stop() {
		this.lookup.close();
		this.nameServer.close();
		this.executor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
	}

	@Test
	void aLookUpTheNameServerNeverAnswersFailsWithinTheDeadlineWhileOtherNamesResolve() throws Exception {
		long start = System.nanoTime();
		Future<List<InetAddress>> stuck = this.lookup.resolveAll("hooks.never-answers.test");
		// the hosts file and literals need no name server: they resolve at once
		Future<List<InetAddress>> local = this.lookup.resolveAll("localhost");
		Future<List<InetAddress>> literal = this.lookup.resolveAll("93.184.216.34");
		assertThat(local.await(500, TimeUnit.MILLISECONDS)).isTrue();
		assertThat(local.getNow()).isNotEmpty().allMatch(InetAddress::isLoopbackAddress);
		assertThat(literal.await(500, TimeUnit.MILLISECONDS)).isTrue();
		assertThat(literal.getNow()).extracting(InetAddress::getHostAddress).containsExactly("93.184.216.34");
		assertThat(stuck.isDone()).isFalse();

		assertThat(stuck.await(DEADLINE.multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		assertThat(stuck.cause()).isInstanceOf(HostLookup.LookupTimeoutException.class)
			.hasMessageContaining("hooks.never-answers.test");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(DEADLINE.minusMillis(50))
			.isLessThan(DEADLINE.multipliedBy(3));
		assertThat(this.nameServer.queries()).as("queries the silent server got").isPositive();
	}

	@Test
	void registrationCheckFailsWithTheTimeoutRatherThanCallingTheUrlBad() {
		OutboundUrlGuard guard = new OutboundUrlGuard(settings(), this.lookup);
		StepVerifier.create(guard.violation("https://hooks.never-answers.test/in"))
			.expectError(HostLookup.LookupTimeoutException.class)
			.verify(DEADLINE.multipliedBy(3));
		StepVerifier.create(guard.violation("https://localhost/in"))
			.expectNext("must not point to a loopback, private, link-local or otherwise internal address")
			.expectComplete()
			.verify(DEADLINE);
	}

	@Test
	void connectingToANameThatNeverResolvesFailsWithinTheDeadline() throws Exception {
		AddressResolver<InetSocketAddress> resolver = new GuardedAddressResolverGroup(
				new OutboundUrlGuard(settings(), this.lookup))
			.getResolver(this.executor);
		Future<InetSocketAddress> resolved = resolver
			.resolve(InetSocketAddress.createUnresolved("hooks.never-answers.test", 443));
		assertThat(resolved.await(DEADLINE.multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		assertThat(resolved.cause()).isInstanceOf(HostLookup.LookupTimeoutException.class);
	}

	private static WebhookSettings settings() {
		return new WebhookSettings(Duration.ofSeconds(15), List.of(Duration.ofSeconds(5)), Duration.ofDays(5), false,
				false, 10);
	}

}
