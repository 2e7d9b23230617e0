package io.hookway.core.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

/**
 * Groups concurrent writes into one statement: callers queue their items, and whenever
 * one of the writers is free it takes what is queued (up to the batch size and the batch
 * byte limit) and writes it at once. There is no timer: under light load a group is a
 * single item, under heavy load the statement's round trip and commit are shared by many.
 * Each caller is answered only after the statement holding its item has completed.
 * <p>
 * An item is the caller's to take back until the write {@linkplain Batch#start() starts}
 * it: a caller whose deadline passes (or who cancels) before then is answered "not
 * written" and its item is dropped. Once started, the caller waits for the statement's
 * outcome, whatever its deadline: answering "failed" for an item that is then committed
 * would make a retrying client do the work twice.
 *
 * @param <T> what is written
 * @param <R> what a caller gets back; an item missing from the write's result completes
 * empty
 */
public final class GroupedWriter<T, R> {

	private static final int WAITING = 0;

	private static final int STARTED = 1;

	private static final int GIVEN_UP = 2;

	private final int batchSize;

	private final long batchBytes;

	private final ToLongFunction<T> weigher;

	private final int writers;

	private final Function<Batch<T>, Mono<Map<T, R>>> write;

	private final Deque<Pending<T, R>> queue = new ConcurrentLinkedDeque<>();

	private final AtomicInteger activeWriters = new AtomicInteger();

	private final int maxQueued;

	private final AtomicInteger queued = new AtomicInteger();

	/**
	 * A writer of whole batches, each started as soon as it is taken.
	 * @param maxQueued items waiting at most; beyond it callers get a
	 * {@link QueueFullException} at once rather than piling up while the database is slow
	 */
	public GroupedWriter(int batchSize, int writers, int maxQueued, Function<List<T>, Mono<Map<T, R>>> write) {
		this(batchSize, Long.MAX_VALUE, (item) -> 0, writers, maxQueued, (batch) -> write.apply(batch.start()));
	}

	private GroupedWriter(int batchSize, long batchBytes, ToLongFunction<T> weigher, int writers, int maxQueued,
			Function<Batch<T>, Mono<Map<T, R>>> write) {
		if (batchSize < 1 || writers < 1 || batchBytes < 1) {
			throw new IllegalArgumentException("batch size, batch bytes and writers must be positive");
		}
		this.batchSize = batchSize;
		this.batchBytes = batchBytes;
		this.weigher = weigher;
		this.writers = writers;
		this.maxQueued = maxQueued;
		this.write = write;
	}

	/**
	 * A writer whose batches are cut by count and by summed weight (a batch holds at
	 * least one item), and whose write decides when its items are started: items of a
	 * batch that are not yet started can still be given up by their callers.
	 */
	public static <T, R> GroupedWriter<T, R> startingLate(int batchSize, long batchBytes, ToLongFunction<T> weigher,
			int writers, int maxQueued, Function<Batch<T>, Mono<Map<T, R>>> write) {
		return new GroupedWriter<>(batchSize, batchBytes, weigher, writers, maxQueued, write);
	}

	/** Queues the item with no deadline; a caller that cancels in time takes it back. */
	public Mono<R> submit(T item) {
		return submit(item, null);
	}

	/**
	 * Queues the item; when {@code deadline} passes before the item is started, or the
	 * caller cancels by then, the item is taken out, never written, and the caller gets a
	 * {@link TimeoutException}.
	 */
	public Mono<R> submit(T item, @Nullable Duration deadline) {
		return Mono.<R>create((sink) -> {
			if (this.queued.incrementAndGet() > this.maxQueued) {
				this.queued.decrementAndGet();
				sink.error(new QueueFullException());
				return;
			}
			long deadlineNanos = (deadline != null) ? System.nanoTime() + deadline.toNanos() : Long.MAX_VALUE;
			Pending<T, R> pending = new Pending<>(item, sink, deadlineNanos);
			if (deadline != null) {
				Disposable timer = Schedulers.parallel()
					.schedule(
							() -> giveUp(pending,
									new TimeoutException("No database statement took the write within "
											+ deadline.toMillis() + " ms; it was not written")),
							deadline.toNanos(), TimeUnit.NANOSECONDS);
				sink.onDispose(timer);
			}
			sink.onCancel(() -> giveUp(pending, null));
			this.queue.offer(pending);
			drain();
		});
	}

	private void giveUp(Pending<T, R> pending, @Nullable Throwable error) {
		if (pending.state.compareAndSet(WAITING, GIVEN_UP)) {
			if (this.queue.remove(pending)) {
				this.queued.decrementAndGet();
			}
			if (error != null) {
				pending.sink.error(error);
			}
		}
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
		List<Pending<T, R>> taken = new ArrayList<>();
		long bytes = 0;
		while (taken.size() < this.batchSize) {
			Pending<T, R> next = this.queue.poll();
			if (next == null) {
				break;
			}
			this.queued.decrementAndGet();
			if (next.state.get() != WAITING) {
				continue;
			}
			long weight = this.weigher.applyAsLong(next.item);
			if (!taken.isEmpty() && bytes + weight > this.batchBytes) {
				this.queued.incrementAndGet();
				this.queue.offerFirst(next);
				break;
			}
			bytes += weight;
			taken.add(next);
		}
		if (taken.isEmpty()) {
			this.activeWriters.decrementAndGet();
			drain();
			return;
		}
		Batch<T> batch = new Batch<>(taken);
		Mono.defer(() -> this.write.apply(batch)).doFinally((signal) -> {
			this.activeWriters.decrementAndGet();
			drain();
		}).subscribe((results) -> answer(batch, results, null), (error) -> answer(batch, null, error));
	}

	@SuppressWarnings("unchecked")
	private void answer(Batch<T> batch, @Nullable Map<T, R> results, @Nullable Throwable error) {
		for (Pending<?, ?> candidate : batch.candidates) {
			Pending<T, R> pending = (Pending<T, R>) candidate;
			// never started: never in a statement, so "not written" is the truth
			if (pending.state.compareAndSet(WAITING, GIVEN_UP)) {
				pending.sink.error((error != null) ? error : new IllegalStateException("The write skipped an item"));
				continue;
			}
			if (pending.state.get() != STARTED) {
				continue;
			}
			if (error != null) {
				pending.sink.error(error);
				continue;
			}
			R result = (results != null) ? results.get(pending.item) : null;
			if (result != null) {
				pending.sink.success(result);
			}
			else {
				pending.sink.success();
			}
		}
	}

	private static final class Pending<T, R> {

		final T item;

		final MonoSink<R> sink;

		final long deadlineNanos;

		final AtomicInteger state = new AtomicInteger(WAITING);

		Pending(T item, MonoSink<R> sink, long deadlineNanos) {
			this.item = item;
			this.sink = sink;
			this.deadlineNanos = deadlineNanos;
		}

	}

	/**
	 * The items taken for one statement. Until {@link #start()} their callers may still
	 * give them up; what {@code start} returns is what the statement must write, and
	 * those callers wait for its outcome.
	 *
	 * @param <T> what is written
	 */
	public static final class Batch<T> {

		private final List<? extends Pending<T, ?>> candidates;

		private @Nullable List<T> started;

		private long earliestDeadline = Long.MAX_VALUE;

		Batch(List<? extends Pending<T, ?>> candidates) {
			this.candidates = candidates;
		}

		/**
		 * Takes every item whose caller is still waiting; call it right before the
		 * statement is sent. Later calls return the same items.
		 */
		public synchronized List<T> start() {
			if (this.started == null) {
				List<T> items = new ArrayList<>(this.candidates.size());
				for (Pending<T, ?> pending : this.candidates) {
					if (pending.state.compareAndSet(WAITING, STARTED)) {
						items.add(pending.item);
						this.earliestDeadline = Math.min(this.earliestDeadline, pending.deadlineNanos);
					}
				}
				this.started = items;
			}
			return this.started;
		}

		/**
		 * Time left until the earliest deadline among the started items; null when none
		 * has one.
		 */
		public synchronized @Nullable Duration timeLeft() {
			return (this.earliestDeadline == Long.MAX_VALUE) ? null
					: Duration.ofNanos(this.earliestDeadline - System.nanoTime());
		}

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
