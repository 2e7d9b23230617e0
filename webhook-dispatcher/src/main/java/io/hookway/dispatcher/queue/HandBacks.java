package io.hookway.dispatcher.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import io.hookway.core.queue.GroupedWriter;

/**
 * Rows put back, each due again after its delay without its attempt counted, written in
 * groups: a claim that met an open breaker or full destinations hands many back at once,
 * and one statement takes them all.
 *
 * @param <W> a claimed row
 */
final class HandBacks<W extends Leased> {

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

	private record HandBack<W>(W work, Duration delay) {
	}

}
