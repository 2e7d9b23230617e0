package io.hookway.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A steady stream of route calls, as partners would send them: a fixed rate, a bounded
 * number in flight, one attempt each. Every call is recorded with its outcome; calls the
 * gateway never answered (refused connection, timeout) are recorded too.
 */
final class Load implements AutoCloseable {

	private static final Pattern TASK_ID = Pattern.compile("\"taskId\":\"(tsk_[0-9a-z]+)\"");

	/** Longer than any answer the gateway may take: a call running into it is a hang. */
	static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

	private final Semaphore inFlight;

	private final List<Call> calls = new CopyOnWriteArrayList<>();

	private final AtomicInteger sequence = new AtomicInteger();

	private final String url;

	private final String token;

	private final int concurrency;

	/**
	 * @param url the route to call, {@code …/api/<route>/<path>}; a sequence number is
	 * appended
	 */
	Load(String url, String token, int concurrency) {
		this.url = url;
		this.token = token;
		this.concurrency = concurrency;
		this.inFlight = new Semaphore(concurrency);
	}

	Load start(int callsPerSecond) {
		this.ticker.scheduleAtFixedRate(this::fire, 0, 1_000_000 / callsPerSecond, TimeUnit.MICROSECONDS);
		return this;
	}

	/** Stops sending and waits for every call in flight to be answered or to time out. */
	List<Call> stop() {
		this.ticker.shutdownNow();
		try {
			this.inFlight.tryAcquire(this.concurrency, CALL_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return calls();
	}

	List<Call> calls() {
		return List.copyOf(this.calls);
	}

	private void fire() {
		if (!this.inFlight.tryAcquire()) {
			// the gateway is slower than the rate: the call is not made, not lost
			return;
		}
		int seq = this.sequence.incrementAndGet();
		java.time.Instant startedAt = java.time.Instant.now();
		long started = System.nanoTime();
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.url + "/" + seq))
			.header("Authorization", "Bearer " + this.token)
			.header("Content-Type", "application/json")
			.timeout(CALL_TIMEOUT)
			.POST(HttpRequest.BodyPublishers.ofString("{\"seq\":" + seq + "}"))
			.build();
		CompletableFuture<HttpResponse<String>> response = this.http.sendAsync(request,
				HttpResponse.BodyHandlers.ofString());
		response.whenComplete((answer, failure) -> {
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			if (answer != null) {
				Matcher taskId = TASK_ID.matcher(answer.body());
				this.calls.add(new Call(seq, answer.statusCode(), (taskId.find() ? taskId.group(1) : null),
						answer.headers().firstValue("Retry-After").orElse(null),
						answer.headers().firstValue("Content-Type").orElse(null), startedAt, took, null));
			}
			else {
				this.calls.add(new Call(seq, 0, null, null, null, startedAt, took, describe(failure)));
			}
			this.inFlight.release();
		});
	}

	private static String describe(Throwable failure) {
		Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
		return (cause instanceof java.net.http.HttpTimeoutException) ? "timeout"
				: (cause instanceof IOException) ? "io" : cause.getClass().getSimpleName();
	}

	@Override
	public void close() {
		this.ticker.shutdownNow();
	}

	/** Calls by status, 0 standing for no answer at all. */
	static Map<Integer, Long> byStatus(List<Call> calls) {
		Map<Integer, Long> counts = new TreeMap<>();
		calls.forEach((call) -> counts.merge(call.status(), 1L, Long::sum));
		return counts;
	}

	/**
	 * @param status the HTTP status, 0 when there was no answer
	 * @param error why there was no answer ({@code timeout}, {@code io})
	 */
	record Call(int seq, int status, String taskId, String retryAfter, String contentType, java.time.Instant startedAt,
			Duration took, String error) {

		boolean acknowledged() {
			return this.status == 202 && this.taskId != null;
		}

	}

}
