package io.hookway.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The partners' side on loopback: answers every webhook with 204 and notes when the first
 * copy of each message arrived and for which task. Under {@code /slow/} it stands for a
 * partner whose endpoint takes {@code slowAnswer} to answer; those webhooks are only
 * counted, apart from the others.
 */
final class WebhookReceiver implements AutoCloseable {

	private static final String SLOW = "/slow/";

	private final Map<String, Long> firstArrivalByTask = new ConcurrentHashMap<>();

	private final Map<String, Boolean> messages = new ConcurrentHashMap<>();

	private final AtomicLong received = new AtomicLong();

	private final AtomicLong slowReceived = new AtomicLong();

	private final AtomicInteger slowInFlight = new AtomicInteger();

	private final AtomicLong lastSlowArrival = new AtomicLong(System.nanoTime());

	private final DisposableServer server;

	WebhookReceiver(Duration slowAnswer) {
		this.server = HttpServer.create().host("127.0.0.1").port(0).handle((request, response) -> {
			if (request.uri().startsWith(SLOW)) {
				this.slowReceived.incrementAndGet();
				this.slowInFlight.incrementAndGet();
				this.lastSlowArrival.set(System.nanoTime());
				return request.receive()
					.then(Mono.delay(slowAnswer))
					.then(Mono.defer(() -> Mono.from(response.status(204).send())))
					.doFinally((signal) -> this.slowInFlight.decrementAndGet());
			}
			return request.receive().aggregate().asString().defaultIfEmpty("").flatMap((body) -> {
				long now = System.nanoTime();
				this.received.incrementAndGet();
				String messageId = request.requestHeaders().get("webhook-id");
				if (messageId != null) {
					this.messages.putIfAbsent(messageId, Boolean.TRUE);
				}
				String taskId = TaskIds.find(body);
				if (taskId != null) {
					this.firstArrivalByTask.putIfAbsent(taskId, now);
				}
				return Mono.from(response.status(204).send());
			});
		}).bindNow();
	}

	private String base() {
		return "http://127.0.0.1:" + this.server.port();
	}

	/** The endpoint of the benchmark's main tenant. */
	String url() {
		return base() + "/webhooks";
	}

	/**
	 * One of many endpoints, all under {@link #url()}{@code /spread/}, which answer as
	 * fast as {@link #url()}.
	 */
	String spreadUrl(int application, int endpoint) {
		return url() + "/spread/a%03d/e%03d".formatted(application, endpoint);
	}

	/** An endpoint that answers after the slow delay. */
	String slowUrl(String name) {
		return base() + SLOW + name;
	}

	/** {@link System#nanoTime()} when the first webhook about the task arrived. */
	Long arrival(String taskId) {
		return this.firstArrivalByTask.get(taskId);
	}

	/** Webhook requests received, duplicates included (slow ones apart). */
	long received() {
		return this.received.get();
	}

	/** Distinct {@code webhook-id}s received (slow ones apart). */
	long distinctMessages() {
		return this.messages.size();
	}

	/** Requests to slow endpoints so far. */
	long slowReceived() {
		return this.slowReceived.get();
	}

	/** Requests to slow endpoints not answered yet. */
	int slowInFlight() {
		return this.slowInFlight.get();
	}

	/** Nanoseconds since a slow endpoint last got a request. */
	long nanosSinceSlowArrival() {
		return System.nanoTime() - this.lastSlowArrival.get();
	}

	void reset() {
		this.firstArrivalByTask.clear();
		this.messages.clear();
		this.received.set(0);
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

}
