package io.hookway.bench;

import java.time.Duration;

/**
 * Waits, before a measured phase, until the machine has been quiet for a few seconds in a
 * row, so that another tenant's load does not land in the window; and notes how busy it
 * was, whether or not it got quiet in time.
 */
final class QuietBox {

	/** Busy share of all cores under which a second counts as quiet. */
	static final double QUIET_PERCENT = 12;

	private static final int QUIET_SECONDS = 3;

	private QuietBox() {
	}

	/**
	 * Samples the machine second by second until {@value #QUIET_SECONDS} quiet seconds in
	 * a row or {@code maxWait}; with a zero wait takes one short sample and returns.
	 */
	static Load await(Duration maxWait) throws InterruptedException {
		long start = System.nanoTime();
		if (maxWait.isZero()) {
			double busy = busyPercent(Duration.ofMillis(200));
			return new Load(busy, ProcFs.loadAverages()[0], 0, busy < QUIET_PERCENT);
		}
		long deadline = start + maxWait.toNanos();
		int quiet = 0;
		double busy;
		do {
			busy = busyPercent(Duration.ofSeconds(1));
			quiet = (busy < QUIET_PERCENT) ? quiet + 1 : 0;
		}
		while (quiet < QUIET_SECONDS && System.nanoTime() < deadline);
		long waited = Math.round((System.nanoTime() - start) / 1e9);
		return new Load(busy, ProcFs.loadAverages()[0], waited, quiet >= QUIET_SECONDS);
	}

	private static double busyPercent(Duration sample) throws InterruptedException {
		long[] before = ProcFs.machineTicks();
		Thread.sleep(sample.toMillis());
		long[] after = ProcFs.machineTicks();
		return Math.round(1000.0 * (after[0] - before[0]) / Math.max(1, after[1] - before[1])) / 10.0;
	}

	/**
	 * @param busyPercent busy share of all cores in the last sampled second
	 * @param loadAverage the one-minute load average then
	 * @param waitedSeconds how long the wait took
	 * @param quiet whether the machine was quiet for long enough before the phase
	 */
	record Load(double busyPercent, double loadAverage, long waitedSeconds, boolean quiet) {
	}

}
