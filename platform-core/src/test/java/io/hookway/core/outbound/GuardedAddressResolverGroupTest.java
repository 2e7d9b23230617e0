package io.hookway.core.outbound;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.resolver.AddressResolver;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The check made at connect time, on the address the connection will actually use. */
class GuardedAddressResolverGroupTest {

	private final DefaultEventExecutor executor = new DefaultEventExecutor();

	@AfterEach
	void shutDown() {
		this.executor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
	}

	@Test
	void nameResolvingToLoopbackIsRefusedAtConnectTime() throws Exception {
		AddressResolver<InetSocketAddress> resolver = new GuardedAddressResolverGroup(guard(false))
			.getResolver(this.executor);
		Future<InetSocketAddress> resolved = resolver.resolve(InetSocketAddress.createUnresolved("localhost", 443));
		assertThat(resolved.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(resolved.isSuccess()).isFalse();
		assertThat(resolved.cause()).isInstanceOf(GuardedAddressResolverGroup.ForbiddenAddressException.class);
		Future<InetSocketAddress> literal = resolver.resolve(new InetSocketAddress("169.254.169.254", 80));
		assertThat(literal.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(literal.isSuccess()).isFalse();
	}

	@Test
	void publicAndAllowedAddressesResolveToTheCheckedAddress() throws Exception {
		AddressResolver<InetSocketAddress> strict = new GuardedAddressResolverGroup(guard(false))
			.getResolver(this.executor);
		Future<InetSocketAddress> resolved = strict.resolve(InetSocketAddress.createUnresolved("93.184.216.34", 443));
		assertThat(resolved.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(resolved.getNow().getAddress().getHostAddress()).isEqualTo("93.184.216.34");
		assertThat(resolved.getNow().getPort()).isEqualTo(443);
		AddressResolver<InetSocketAddress> relaxed = new GuardedAddressResolverGroup(guard(true))
			.getResolver(this.executor);
		Future<InetSocketAddress> loopback = relaxed.resolve(InetSocketAddress.createUnresolved("localhost", 8080));
		assertThat(loopback.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(loopback.getNow().getAddress().isLoopbackAddress()).isTrue();
	}

	private static OutboundUrlGuard guard(boolean allowPrivate) {
		return new OutboundUrlGuard(new WebhookSettings(Duration.ofSeconds(15), List.of(Duration.ofSeconds(5)),
				Duration.ofDays(5), allowPrivate, false, 10));
	}

}
