package io.hookway.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks that a measurement had the machine to itself: the CPU used during a window by
 * anything other than this benchmark, its children (services, wrk, pgbench) and
 * PostgreSQL is reported as {@code otherPercent}.
 */
final class CpuMeter {

	private final long[] machineAtStart;

	private final long ownAtStart;

	private CpuMeter(long[] machineAtStart, long ownAtStart) {
		this.machineAtStart = machineAtStart;
		this.ownAtStart = ownAtStart;
	}

	static CpuMeter start() {
		return new CpuMeter(ProcFs.machineTicks(), ownTicks());
	}

	/**
	 * Share of all CPUs that was busy, and the share used by others, over the window.
	 */
	CpuUse stop() {
		long[] machine = ProcFs.machineTicks();
		long own = ownTicks();
		double total = Math.max(1, machine[1] - this.machineAtStart[1]);
		long busy = machine[0] - this.machineAtStart[0];
		long others = Math.max(0, busy - (own - this.ownAtStart));
		return new CpuUse(Math.round(1000 * busy / total) / 10.0, Math.round(1000 * others / total) / 10.0);
	}

	/** Ticks of this JVM, its descendants and PostgreSQL, ended children included. */
	private static long ownTicks() {
		List<Long> pids = new ArrayList<>();
		pids.add(ProcessHandle.current().pid());
		ProcessHandle.current().descendants().forEach((process) -> pids.add(process.pid()));
		pids.addAll(ProcFs.postgresPids());
		return pids.stream().distinct().mapToLong(ProcFs::cpuTicks).sum();
	}

	record CpuUse(double busyPercent, double otherPercent) {
	}

}
