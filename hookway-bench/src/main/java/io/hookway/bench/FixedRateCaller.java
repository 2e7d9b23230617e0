package io.hookway.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Open-loop load: calls go out at a fixed rate whatever the answers do, and every latency
 * is measured from the moment the call was meant to be sent, so a stall in the system (or
 * in this generator) shows in the figures instead of silently lowering the rate.
 */
final class FixedRateCaller {

	private static final Pattern TASK_ID = Pattern.compile("\"taskId\":\"(tsk_[0-9A-Za-z]+)\"");

	private final HttpClient client;

	private final ExecutorService executor = Executors.newFixedThreadPool(2);

	FixedRateCaller() {
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.executor(this.executor)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	/**
	 * Sends {@code rate} calls per second for the duration and waits for their answers.
	 */
	Calls run(String url, String token, int rate, Duration duration) throws InterruptedException {
		long count = rate * duration.toSeconds();
		long interval = 1_000_000_000L / rate;
		Calls calls = new Calls();
		HttpRequest request = HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + token)
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(Wrk.BODY))
			.build();
		long start = System.nanoTime();
		for (long i = 0; i < count; i++) {
			long intended = start + i * interval;
			long wait = intended - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			calls.sent.incrementAndGet();
			this.client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
				long answered = System.nanoTime();
				calls.completed.incrementAndGet();
				if (error == null && response.statusCode() == 202) {
					Matcher task = TASK_ID.matcher(response.body());
					if (task.find()) {
						calls.intendedByTask.put(task.group(1), intended);
						calls.acceptLatencies.add(answered - intended);
					}
				}
				else {
					calls.refused.incrementAndGet();
				}
			});
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (calls.completed.get() < count && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		return calls;
	}

	void close() {
		this.executor.shutdownNow();
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
