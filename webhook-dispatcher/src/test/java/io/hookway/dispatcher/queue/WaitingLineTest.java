package io.hookway.dispatcher.queue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WaitingLineTest {

	private final List<String> started = new ArrayList<>();

	@Test
	void ownersTakeTurnsWhateverTheOrderTheirWorkCameIn() {
		WaitingLine line = new WaitingLine(10);
		for (int i = 1; i <= 4; i++) {
			line.offer("flood", work("flood-" + i));
		}
		line.offer("quiet", work("quiet-1"));
		line.offer("flood", work("flood-5"));
		line.offer("quiet", work("quiet-2"));

		drain(line);

		assertThat(this.started).containsExactly("flood-1", "quiet-1", "flood-2", "quiet-2", "flood-3", "flood-4",
				"flood-5");
		assertThat(line.size()).isZero();
	}

	@Test
	void workThatLostTheRaceForASlotGoesFirstEvenWhenTheLineIsFull() {
		WaitingLine line = new WaitingLine(2);
		assertThat(line.offer("a", work("a-1"))).isTrue();
		assertThat(line.offer("b", work("b-1"))).isTrue();
		assertThat(line.offer("c", work("c-1"))).as("the line holds two").isFalse();

		line.offerFirst(work("lost-race"));

		assertThat(line.size()).isEqualTo(3);
		drain(line);
		assertThat(this.started).containsExactly("lost-race", "a-1", "b-1");
	}

	@Test
	void anEmptyLineGivesNothing() {
		assertThat(new WaitingLine(1).poll()).isNull();
	}

	private Runnable work(String name) {
		return () -> this.started.add(name);
	}

	private void drain(WaitingLine line) {
		Runnable next;
		while ((next = line.poll()) != null) {
			next.run();
		}
	}

}
