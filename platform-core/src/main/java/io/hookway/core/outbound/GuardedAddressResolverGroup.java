package io.hookway.core.outbound;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

/**
 * Name resolution for outbound HTTP that hands the connector only addresses the guard
 * permits. The address checked is the address connected to, so a name that resolves to a
 * public address when the endpoint is registered and to an internal one later (DNS
 * rebinding) is refused at connect time. Look-ups are non-blocking and have a deadline
 * ({@link HostLookup}).
 */
public final class GuardedAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {

	private final OutboundUrlGuard guard;

	public GuardedAddressResolverGroup(OutboundUrlGuard guard) {
		this.guard = guard;
	}

	@Override
	protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
		return new GuardedResolver(executor, this.guard);
	}

	/** Thrown into the connection attempt when every address of a name is forbidden. */
	public static final class ForbiddenAddressException extends UnknownHostException {

		ForbiddenAddressException(String host) {
			super(host + " resolves only to addresses webhooks may not reach");
		}

	}

	private static final class GuardedResolver extends AbstractAddressResolver<InetSocketAddress> {

		private final OutboundUrlGuard guard;

		GuardedResolver(EventExecutor executor, OutboundUrlGuard guard) {
			super(executor, InetSocketAddress.class);
			this.guard = guard;
		}

		@Override
		protected boolean doIsResolved(InetSocketAddress address) {
			// even a literal address goes through the check
			return false;
		}

		@Override
		protected void doResolve(InetSocketAddress unresolved, Promise<InetSocketAddress> promise) {
			resolveOffTheLoop(unresolved, promise, (permitted) -> permitted.get(0));
		}

		@Override
		protected void doResolveAll(InetSocketAddress unresolved, Promise<List<InetSocketAddress>> promise) {
			resolveOffTheLoop(unresolved, promise, (permitted) -> permitted);
		}

		private <R> void resolveOffTheLoop(InetSocketAddress unresolved, Promise<R> promise,
				Function<List<InetSocketAddress>, R> result) {
			if (unresolved.getAddress() != null) {
				complete(unresolved, List.of(unresolved.getAddress()), promise, result);
				return;
			}
			Future<List<InetAddress>> lookup = this.guard.lookup().resolveAll(unresolved.getHostString());
			lookup.addListener((done) -> {
				if (done.isSuccess()) {
					complete(unresolved, lookup.getNow(), promise, result);
				}
				else {
					promise.tryFailure(done.cause());
				}
			});
		}

		/**
		 * All resolved addresses must be permitted: a name mixing public and internal
		 * ones is refused.
		 */
		private <R> void complete(InetSocketAddress unresolved, List<InetAddress> addresses, Promise<R> promise,
				Function<List<InetSocketAddress>, R> result) {
			List<InetSocketAddress> permitted = new ArrayList<>();
			for (InetAddress address : addresses) {
				if (!this.guard.permits(address)) {
					promise.tryFailure(new ForbiddenAddressException(unresolved.getHostString()));
					return;
				}
				permitted.add(new InetSocketAddress(address, unresolved.getPort()));
			}
			promise.trySuccess(result.apply(permitted));
		}

	}

}
