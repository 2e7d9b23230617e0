package io.hookway.core.ratelimit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.hookway.core.ratelimit.KeyedRateLimiter.Decision;

import static org.assertj.core.api.Assertions.assertThat;

class KeyedRateLimiterTest {

	final AtomicLong now = new AtomicLong(1_000_000_000L);

	@Test
	void keyGetsItsQuotaPerWindowAndIsToldWhenItComesBack() {
		KeyedRateLimiter<String> limiter = new KeyedRateLimiter<>(3, Duration.ofSeconds(10), 10, this.now::get);
		assertThat(limiter.acquire("a")).isEqualTo(new Decision(true, 2, Duration.ofSeconds(10)));
		this.now.addAndGet(Duration.ofSeconds(4).toNanos());
		assertThat(limiter.acquire("a")).isEqualTo(new Decision(true, 1, Duration.ofSeconds(6)));
		assertThat(limiter.acquire("a")).isEqualTo(new Decision(true, 0, Duration.ofSeconds(6)));
		assertThat(limiter.acquire("a")).isEqualTo(new Decision(false, 0, Duration.ofSeconds(6)));
		assertThat(limiter.acquire("b").permitted()).as("another key has its own quota").isTrue();

		this.now.addAndGet(Duration.ofSeconds(6).toNanos());
		assertThat(limiter.acquire("a")).as("a new window starts with the first call after the last one ended")
			.isEqualTo(new Decision(true, 2, Duration.ofSeconds(10)));
	}

	@Test
	void zeroQuotaRefusesEverything() {
		KeyedRateLimiter<String> limiter = new KeyedRateLimiter<>(0, Duration.ofSeconds(1), 10, this.now::get);
		assertThat(limiter.acquire("a")).isEqualTo(new Decision(false, 0, Duration.ofSeconds(1)));
	}

	@Test
	void keysAreBoundedAndForgottenWhenIdleForAWindow() {
		KeyedRateLimiter<Integer> limiter = new KeyedRateLimiter<>(1, Duration.ofSeconds(10), 5, this.now::get);
		for (int key = 0; key < 50; key++) {
			limiter.acquire(key);
		}
		assertThat(limiter.trackedKeys()).isLessThanOrEqualTo(5);
		this.now.addAndGet(Duration.ofSeconds(11).toNanos());
		assertThat(limiter.trackedKeys()).isZero();
	}

	@Test
	void secondsAreRoundedUpAndAtLeastOne() {
		assertThat(KeyedRateLimiter.seconds(Duration.ZERO)).isEqualTo(1);
		assertThat(KeyedRateLimiter.seconds(Duration.ofMillis(1))).isEqualTo(1);
		assertThat(KeyedRateLimiter.seconds(Duration.ofMillis(1001))).isEqualTo(2);
		assertThat(KeyedRateLimiter.seconds(Duration.ofSeconds(60))).isEqualTo(60);
	}

}
