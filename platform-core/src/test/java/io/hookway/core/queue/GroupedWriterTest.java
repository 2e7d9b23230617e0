package io.hookway.core.queue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class GroupedWriterTest {

	private final List<List<String>> written = new CopyOnWriteArrayList<>();

	private final Sinks.One<Boolean> firstWriteDone = Sinks.one();

	/**
	 * Writes every batch as soon as it is taken; the first one only when the test says
	 * so, which keeps the single writer busy while the test queues more.
	 */
	private Function<GroupedWriter.Batch<String>, Mono<Map<String, String>>> write(Duration statement) {
		return (batch) -> {
			List<String> items = batch.start();
			boolean first = this.written.isEmpty();
			this.written.add(items);
			Mono<Boolean> wait = first ? this.firstWriteDone.asMono() : Mono.just(true);
			return wait.delayElement(statement)
				.map((done) -> items.stream().collect(Collectors.toMap((item) -> item, (item) -> "stored " + item)));
		};
	}

	@Test
	void itemStillQueuedAtItsDeadlineIsTakenOutNeverWrittenAndAnsweredWithATimeout() {
		GroupedWriter<String, String> writer = GroupedWriter.startingLate(10, Long.MAX_VALUE, String::length, 1, 100,
				write(Duration.ZERO));
		Mono<String> first = writer.submit("first").cache();
		first.subscribe();
		StepVerifier.create(writer.submit("late", Duration.ofMillis(100)))
			.expectError(TimeoutException.class)
			.verify(Duration.ofSeconds(5));
		this.firstWriteDone.tryEmitValue(true);
		StepVerifier.create(first).expectNext("stored first").verifyComplete();
		StepVerifier.create(writer.submit("next")).expectNext("stored next").verifyComplete();
		assertThat(this.written).containsExactly(List.of("first"), List.of("next"));
	}

	@Test
	void itemInAStatementWaitsForItsOutcomePastItsDeadline() {
		GroupedWriter<String, String> writer = GroupedWriter.startingLate(10, Long.MAX_VALUE, String::length, 1, 100,
				write(Duration.ofMillis(500)));
		this.firstWriteDone.tryEmitValue(true);
		StepVerifier.create(writer.submit("slow", Duration.ofMillis(50))).expectNext("stored slow").verifyComplete();
	}

	@Test
	void batchesAreCutByCountAndByBytesWithAtLeastOneItemEach() {
		GroupedWriter<String, String> writer = GroupedWriter.startingLate(3, 10, String::length, 1, 100,
				write(Duration.ZERO));
		Mono<String> first = writer.submit("x").cache();
		first.subscribe();
		List<String> items = List.of("aaaa", "bbbb", "cccc", "over-ten-bytes", "d", "e", "f", "g");
		List<Mono<String>> answers = items.stream().map((item) -> writer.submit(item).cache()).toList();
		answers.forEach(Mono::subscribe);
		this.firstWriteDone.tryEmitValue(true);
		answers.forEach((answer) -> StepVerifier.create(answer).expectNextCount(1).verifyComplete());
		assertThat(this.written).containsExactly(List.of("x"), List.of("aaaa", "bbbb"), List.of("cccc"),
				List.of("over-ten-bytes"), List.of("d", "e", "f"), List.of("g"));
	}

}
