package io.hookway.core.id;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdKindTest {

	@Test
	void formatThenParseGivesBackTheUuid() {
		for (int i = 0; i < 1000; i++) {
			UUID id = (i % 2 == 0) ? IdKind.newUuid() : UUID.randomUUID();
			String formatted = IdKind.TASK.format(id);
			assertThat(formatted).startsWith("tsk_").hasSize(4 + 26);
			assertThat(IdKind.TASK.parse(formatted)).contains(id);
		}
	}

	@Test
	void extremesRoundTrip() {
		UUID max = new UUID(-1L, -1L);
		assertThat(IdKind.APPLICATION.format(max)).isEqualTo("app_7zzzzzzzzzzzzzzzzzzzzzzzzz");
		assertThat(IdKind.APPLICATION.parse("app_7zzzzzzzzzzzzzzzzzzzzzzzzz")).contains(max);
		assertThat(IdKind.APPLICATION.parse("app_00000000000000000000000000")).contains(new UUID(0, 0));
	}

	@Test
	void idsOfAnotherKindOrMalformedAreRejected() {
		String task = IdKind.TASK.format(IdKind.newUuid());
		assertThat(IdKind.APPLICATION.parse(task)).isEmpty();
		assertThat(IdKind.TASK.parse(task.substring(0, task.length() - 1))).isEmpty();
		assertThat(IdKind.TASK.parse("tsk_8zzzzzzzzzzzzzzzzzzzzzzzzz")).as("more than 128 bits").isEmpty();
		assertThat(IdKind.TASK.parse("tsk_0000000000000000000000000u")).as("not in the alphabet").isEmpty();
		assertThat(IdKind.TASK.parse("")).isEmpty();
	}

	@Test
	void newIdsSortByCreationTime() throws InterruptedException {
		UUID earlier = IdKind.newUuid();
		long start = System.currentTimeMillis();
		while (System.currentTimeMillis() == start) {
			Thread.onSpinWait();
		}
		UUID later = IdKind.newUuid();
		assertThat(IdKind.TASK.format(earlier)).isLessThan(IdKind.TASK.format(later));
		assertThat(later.version()).isEqualTo(7);
		assertThat(later.variant()).isEqualTo(2);
	}

}
