package io.hookway.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The partner's side on loopback: answers every webhook with 204 and notes when the first
 * copy of each message arrived and for which task.
 */
final class WebhookReceiver implements AutoCloseable {

	private final Map<String, Long> firstArrivalByTask = new ConcurrentHashMap<>();

	private final Map<String, Boolean> messages = new ConcurrentHashMap<>();

	private final AtomicLong received = new AtomicLong();

	private final DisposableServer server;

	WebhookReceiver() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request,
					response) -> request.receive().aggregate().asString().defaultIfEmpty("").flatMap((body) -> {
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
					}))
			.bindNow();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.port() + "/webhooks";
	}

	/** {@link System#nanoTime()} when the first webhook about the task arrived. */
	Long arrival(String taskId) {
		return this.firstArrivalByTask.get(taskId);
	}

	/** Webhook requests received, duplicates included. */
	long received() {
		return this.received.get();
	}

	/** Distinct {@code webhook-id}s received. */
	long distinctMessages() {
		return this.messages.size();
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
