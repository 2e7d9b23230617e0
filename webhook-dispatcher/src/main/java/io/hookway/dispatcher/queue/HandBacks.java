package io.hookway.dispatcher.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import reactor.core.publisher.Mono;

import io.hookway.core.queue.GroupedWriter;

import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;

/**
 * Rows put back, each due again after its delay without its attempt counted, written in
 * groups: a claim that met an open breaker or full destinations hands many back at once,
 * and one statement takes them all.
 *
 * @param <W> a claimed row
 */
public final class HandBacks<W extends Leased> {

	private final WorkQueue<W, ?> queue;

	private final GroupedWriter<HandBack<W>, Boolean> writer;

	HandBacks(WorkQueue<W, ?> queue) {
		this.queue = queue;
		this.writer = new GroupedWriter<>(256, 2, Integer.MAX_VALUE, this::write);
	}

	/** Completes once the row is put back (or not, its lease having run out). */
	Mono<Boolean> handBack(W work, Duration delay) {
		return this.writer.submit(new HandBack<>(work, delay));
	}

	private Mono<Map<HandBack<W>, Boolean>> write(List<HandBack<W>> batch) {
		List<W> work = new ArrayList<>(batch.size());
		List<Duration> delays = new ArrayList<>(batch.size());
		for (HandBack<W> handBack : batch) {
			work.add(handBack.work());
			delays.add(handBack.delay());
		}
		return this.queue.handBack(work, delays).then(Mono.just(Map.of()));
	}

	/**
	 * The columns a queue's hand-back statement unnests, one element a row: the rows put
	 * back, each row's delay in seconds.
	 */
	public static Columns columns(List<? extends Leased> work, List<Duration> delays) {
		int size = work.size();
		UUID[] ids = new UUID[size];
		UUID[] leases = new UUID[size];
		Double[] seconds = new Double[size];
		for (int i = 0; i < size; i++) {
			ids[i] = work.get(i).id();
			leases[i] = work.get(i).lease().id();
			seconds[i] = delays.get(i).toMillis() / 1000.0;
		}
		return new Columns(ids, leases, seconds);
	}

	private record HandBack<W>(W work, Duration delay) {
	}

	/**
	 * Rows to put back as a hand-back statement binds them.
	 *
	 * @param ids the rows' ids
	 * @param leases the leases they are held under, which fence the update
	 * @param delays seconds until each is due again
	 */
	public record Columns(UUID[] ids, UUID[] leases, Double[] delays) {

		/** Binds {@code :ids}, {@code :leases} and {@code :delays}. */
		public GenericExecuteSpec bindTo(GenericExecuteSpec statement) {
			return statement.bind("ids", this.ids).bind("leases", this.leases).bind("delays", this.delays);
		}

	}

}
