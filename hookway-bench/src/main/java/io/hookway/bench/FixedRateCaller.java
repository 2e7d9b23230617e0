package io.hookway.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Open-loop load: calls go out at a fixed rate whatever the answers do, and every latency
 * is measured from the moment the call was meant to be sent, so a stall in the system (or
 * in this generator) shows in the figures instead of silently lowering the rate.
 */
final class FixedRateCaller {

	private final ConnectionProvider connections = ConnectionProvider.builder("fixed-rate")
		.maxConnections(512)
		.pendingAcquireMaxCount(-1)
		.build();

	private final HttpClient client = HttpClient.create(this.connections).responseTimeout(Duration.ofSeconds(30));

	/**
	 * Sends {@code rate} calls per second for the duration and waits for their answers.
	 */
	Calls run(String url, String token, int rate, Duration duration) throws InterruptedException {
		long count = rate * duration.toSeconds();
		long interval = 1_000_000_000L / rate;
		Calls calls = new Calls();
		HttpClient calling = this.client.headers(
				(headers) -> headers.set("Content-Type", "application/json").set("Authorization", "Bearer " + token));
		long start = System.nanoTime();
		for (long i = 0; i < count; i++) {
			long intended = start + i * interval;
			long wait = intended - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			calls.sent.incrementAndGet();
			calling.post()
				.uri(url)
				.send(ByteBufFlux.fromString(Mono.just(Wrk.BODY)))
				.responseSingle((response, body) -> body.asString()
					.defaultIfEmpty("")
					.map((text) -> (response.status().code() == 202) ? text : ""))
				.subscribe((text) -> {
					long answered = System.nanoTime();
					String taskId = TaskIds.find(text);
					if (taskId != null) {
						calls.intendedByTask.put(taskId, intended);
						calls.acceptLatencies.add(answered - intended);
					}
					else {
						calls.refused.incrementAndGet();
					}
					calls.completed.incrementAndGet();
				}, (error) -> {
					calls.refused.incrementAndGet();
					calls.completed.incrementAndGet();
				});
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (calls.completed.get() < count && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		return calls;
	}

	void close() {
		this.connections.disposeLater().subscribe();
	}

	/** What one run sent and what the gateway answered. */
	static final class Calls {

		final AtomicLong sent = new AtomicLong();

		final AtomicLong completed = new AtomicLong();

		final AtomicLong refused = new AtomicLong();

		/**
		 * Task id of every accepted call, with the {@link System#nanoTime()} it was due.
		 */
		final Map<String, Long> intendedByTask = new ConcurrentHashMap<>();

		/** Nanoseconds from intended send to the 202. */
		final ConcurrentLinkedQueue<Long> acceptLatencies = new ConcurrentLinkedQueue<>();

	}

}
