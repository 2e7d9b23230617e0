package io.hookway.core.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Groups concurrent writes into one statement: callers queue their items, and whenever
 * one of the writers is free it takes everything queued (up to the batch size) and writes
 * it at once. There is no timer: under light load a group is a single item, under heavy
 * load the statement's round trip and commit are shared by many. Each caller is answered
 * only after the statement holding its item has completed.
 *
 * @param <T> what is written
 * @param <R> what a caller gets back; an item missing from the write's result completes
 * empty
 */
public final class GroupedWriter<T, R> {

	private final int batchSize;

	private final int writers;

	private final Function<List<T>, Mono<Map<T, R>>> write;

	private final Queue<Pending<T, R>> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger activeWriters = new AtomicInteger();

	private final int maxQueued;

	private final AtomicInteger queued = new AtomicInteger();

	/**
	 * @param maxQueued items waiting at most; beyond it callers get a
	 * {@link QueueFullException} at once rather than piling up while the database is slow
	 */
	public GroupedWriter(int batchSize, int writers, int maxQueued, Function<List<T>, Mono<Map<T, R>>> write) {
		if (batchSize < 1 || writers < 1) {
			throw new IllegalArgumentException("batch size and writers must be positive");
		}
		this.batchSize = batchSize;
		this.writers = writers;
		this.maxQueued = maxQueued;
		this.write = write;
	}

	/**
	 * Queues the item; a caller that cancels (a timeout) before its item was taken takes
	 * the item out, so nothing is written behind the back of a caller that was told it
	 * failed.
	 */
	public Mono<R> submit(T item) {
		return Mono.<R>create((sink) -> {
			if (this.queued.incrementAndGet() > this.maxQueued) {
				this.queued.decrementAndGet();
				sink.error(new QueueFullException());
				return;
			}
			Pending<T, R> pending = new Pending<>(item, sink, new AtomicBoolean());
			sink.onCancel(() -> pending.cancelled().set(true));
			this.queue.offer(pending);
			drain();
		});
	}

	private void drain() {
		while (true) {
			int active = this.activeWriters.get();
			if (active >= this.writers || this.queue.isEmpty()) {
				return;
			}
			if (this.activeWriters.compareAndSet(active, active + 1)) {
				break;
			}
		}
		List<Pending<T, R>> batch = new ArrayList<>();
		for (Pending<T, R> next = this.queue.poll(); next != null; next = (batch.size() < this.batchSize)
				? this.queue.poll() : null) {
			this.queued.decrementAndGet();
			// taken once: after this a cancelled caller's item is written, and its
			// outcome unknown to it
			if (!next.cancelled().getAndSet(true)) {
				batch.add(next);
			}
		}
		if (batch.isEmpty()) {
			this.activeWriters.decrementAndGet();
			drain();
			return;
		}
		Mono.defer(() -> this.write.apply(batch.stream().map(Pending::item).toList())).doFinally((signal) -> {
			this.activeWriters.decrementAndGet();
			drain();
		}).subscribe((results) -> batch.forEach((pending) -> {
			R result = results.get(pending.item());
			if (result != null) {
				pending.sink().success(result);
			}
			else {
				pending.sink().success();
			}
		}), (error) -> batch.forEach((pending) -> pending.sink().error(error)));
	}

	private record Pending<T, R>(T item, MonoSink<R> sink, AtomicBoolean cancelled) {
	}

	/**
	 * More items are waiting than the writer accepts; the caller should answer "try
	 * later".
	 */
	public static final class QueueFullException extends RuntimeException {

		QueueFullException() {
			super("Too many writes waiting for the database", null, false, false);
		}

	}

}
