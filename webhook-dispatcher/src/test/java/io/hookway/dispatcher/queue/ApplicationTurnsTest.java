package io.hookway.dispatcher.queue;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.hookway.core.id.IdKind;

import static org.assertj.core.api.Assertions.assertThat;

class ApplicationTurnsTest {

	private final ApplicationTurns turns = new ApplicationTurns();

	private final UUID first = UUID.fromString("019ad6a0-0000-7000-8000-000000000001");

	private final UUID second = UUID.fromString("019ad6a0-0000-7000-8000-000000000002");

	private final UUID third = UUID.fromString("019ad6a0-0001-7000-8000-000000000000");

	@Test
	void theNextRoundBeginsPastTheLastApplicationServed() {
		UUID from = new UUID(0, 0);
		this.turns.served(from, rows(this.second, this.first));
		assertThat(this.turns.start()).isEqualTo(this.second);
	}

	@Test
	void aRoundThatWrappedEndsWithTheHighestIdAtOrBeforeItsStart() {
		this.turns.served(this.second, rows(this.third, this.first, this.second));
		assertThat(this.turns.start()).as("third, then round to first and second").isEqualTo(this.second);

		this.turns.served(this.second, rows(this.first, this.third));
		assertThat(this.turns.start()).isEqualTo(this.first);
	}

	@Test
	void aClaimThatBroughtNothingKeepsTheStart() {
		this.turns.served(new UUID(0, 0), rows(this.first));
		this.turns.served(this.first, List.of());
		assertThat(this.turns.start()).isEqualTo(this.first);
	}

	@Test
	void idsCompareAsPostgresqlComparesThem() {
		UUID high = new UUID(0x8000000000000000L, 0);
		UUID low = new UUID(0x7000000000000000L, 0);
		assertThat(ApplicationTurns.compare(high, low)).as("unsigned, byte by byte").isPositive();
		assertThat(high.compareTo(low)).as("not as UUID.compareTo does").isNegative();
	}

	private static List<Leased> rows(UUID... applications) {
		return Arrays.stream(applications).map(ApplicationTurnsTest::row).toList();
	}

	private static Leased row(UUID application) {
		Lease lease = Lease.take();
		return new Leased() {

			@Override
			public UUID id() {
				return IdKind.newUuid();
			}

			@Override
			public Lease lease() {
				return lease;
			}

			@Override
			public UUID applicationId() {
				return application;
			}

			@Override
			public long weight() {
				return 0;
			}

		};
	}

}
