package io.hookway.core.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import reactor.core.publisher.Mono;

/**
 * Non-blocking name look-ups with a deadline, for webhook endpoints. A name server that
 * never answers costs one pending query until the deadline, not a thread: look-ups of
 * other endpoints go on meanwhile. Queries run on one event loop of their own.
 */
public final class HostLookup implements AutoCloseable {

	private static final class Shared {

		static final HostLookup INSTANCE = new HostLookup(DnsSettings.defaults());

	}

	private final EventLoopGroup group;

	private final EventLoop loop;

	private final DnsNameResolver resolver;

	private final Duration timeout;

	public HostLookup(DnsSettings settings) {
		this.timeout = settings.timeout();
		this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("hookway-dns", true),
				NioIoHandler.newFactory());
		this.loop = this.group.next();
		this.resolver = new DnsNameResolverBuilder(this.loop).datagramChannelType(NioDatagramChannel.class)
			.queryTimeoutMillis(settings.timeout().toMillis())
			.nameServerProvider(settings.servers().isEmpty() ? DnsServerAddressStreamProviders.platformDefault()
					: new SequentialDnsServerAddressStreamProvider(settings.serverAddresses()))
			// both families: every address a connection might use is checked
			.resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
			.build();
	}

	/** With the system's name servers and a 5 s deadline, shared by the process. */
	static HostLookup shared() {
		return Shared.INSTANCE;
	}

	/**
	 * Every address of the host (a literal is its own address); fails with
	 * {@link UnknownHostException} when it has none, with {@link LookupTimeoutException}
	 * when the deadline passes first.
	 */
	public Future<List<InetAddress>> resolveAll(String host) {
		Promise<List<InetAddress>> promise = this.loop.newPromise();
		Future<List<InetAddress>> lookup = this.resolver.resolveAll(host);
		ScheduledFuture<?> deadline = this.loop.schedule(() -> {
			if (promise.tryFailure(new LookupTimeoutException(host, this.timeout))) {
				lookup.cancel(false);
			}
		}, this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		lookup.addListener((done) -> {
			deadline.cancel(false);
			if (done.isSuccess()) {
				promise.trySuccess(lookup.getNow());
			}
			else if (done.cause() instanceof UnknownHostException unknown) {
				promise.tryFailure(unknown);
			}
			else if (done.cause() != null) {
				UnknownHostException failure = new UnknownHostException(host + " did not resolve");
				failure.initCause(done.cause());
				promise.tryFailure(failure);
			}
		});
		return promise;
	}

	/** {@link #resolveAll(String)} as a Mono. */
	public Mono<List<InetAddress>> addresses(String host) {
		return Mono.create((sink) -> {
			Future<List<InetAddress>> future = resolveAll(host);
			future.addListener((done) -> {
				if (done.isSuccess()) {
					sink.success(future.getNow());
				}
				else {
					sink.error(done.cause());
				}
			});
			sink.onCancel(() -> future.cancel(false));
		});
	}

	@Override
	public void close() {
		this.resolver.close();
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
	}

	/** The name servers did not answer within the deadline. */
	public static final class LookupTimeoutException extends UnknownHostException {

		LookupTimeoutException(String host, Duration timeout) {
			super(host + " did not resolve within " + timeout.toMillis() + " ms");
		}

	}

}
