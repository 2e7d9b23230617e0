package io.hookway.bench;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CPU time of every party to a measured window, read from /proc at its start and end, so
 * that a figure can be read per unit of work even on a busy machine: each service
 * process, the PostgreSQL server (postmaster, backends and the children it reaped), this
 * benchmark's own JVM (receiver, upstream and callers), and the load tools it started
 * (wrk, pgbench). What the machine spent beyond all of them is reported as others.
 */
final class CpuMeter {

	/** This JVM's own threads: the webhook receiver, the upstream and the callers. */
	static final String BENCHMARK = "benchmark";

	static final String POSTGRESQL = "postgresql";

	static final String LOAD_TOOLS = "load tools";

	private final Map<String, List<Long>> services;

	private final long postmasterPid;

	private final long[] machineAtStart;

	private final long startNanos;

	private final Map<String, Long> ticksAtStart;

	private CpuMeter(Map<String, List<Long>> services, long postmasterPid) {
		this.services = services;
		this.postmasterPid = postmasterPid;
		this.startNanos = System.nanoTime();
		this.machineAtStart = ProcFs.machineTicks();
		this.ticksAtStart = partyTicks();
	}

	/**
	 * Starts a window over the named service processes and the PostgreSQL server whose
	 * postmaster has the pid (0 when it cannot be seen from here).
	 */
	static CpuMeter start(Map<String, List<Long>> services, long postmasterPid) {
		return new CpuMeter(new LinkedHashMap<>(services), postmasterPid);
	}

	/** CPU seconds of every party, and the machine's busy and unattributed shares. */
	CpuUse stop() {
		long[] machine = ProcFs.machineTicks();
		Map<String, Long> ticks = partyTicks();
		double wall = (System.nanoTime() - this.startNanos) / 1e9;
		double total = Math.max(1, machine[1] - this.machineAtStart[1]);
		long busy = machine[0] - this.machineAtStart[0];
		long attributed = 0;
		Map<String, Double> seconds = new LinkedHashMap<>();
		for (Map.Entry<String, Long> party : ticks.entrySet()) {
			long used = Math.max(0, party.getValue() - this.ticksAtStart.getOrDefault(party.getKey(), 0L));
			attributed += used;
			seconds.put(party.getKey(), round((double) used / ProcFs.ticksPerSecond(), 100));
		}
		long others = Math.max(0, busy - attributed);
		return new CpuUse(round(wall, 100), round(100 * busy / total, 10), round(100 * others / total, 10), seconds);
	}

	private Map<String, Long> partyTicks() {
		Map<String, Long> ticks = new LinkedHashMap<>();
		Set<Long> servicePids = new HashSet<>();
		this.services.forEach((name, pids) -> {
			servicePids.addAll(pids);
			ticks.put(name, pids.stream().mapToLong(ProcFs::cpuTicks).sum());
		});
		if (this.postmasterPid > 0) {
			// a backend that ended moves its time into the postmaster's reaped children
			long postgres = ProcFs.cpuTicks(this.postmasterPid) + ProcessHandle.of(this.postmasterPid)
				.map((postmaster) -> postmaster.descendants().mapToLong((child) -> ProcFs.cpuTicks(child.pid())).sum())
				.orElse(0L);
			ticks.put(POSTGRESQL, postgres);
		}
		long self = ProcessHandle.current().pid();
		ticks.put(BENCHMARK, ProcFs.ownCpuTicks(self));
		// wrk and pgbench end inside a window: their time is then in this JVM's reaped
		// children
		long tools = ProcFs.reapedChildrenCpuTicks(self) + ProcessHandle.current()
			.children()
			.filter((child) -> !servicePids.contains(child.pid()))
			.mapToLong((child) -> ProcFs.cpuTicks(child.pid()))
			.sum();
		ticks.put(LOAD_TOOLS, tools);
		return ticks;
	}

	private static double round(double value, int scale) {
		return Math.round(value * scale) / (double) scale;
	}

	/**
	 * @param seconds length of the window
	 * @param busyPercent share of all cores that was busy
	 * @param otherPercent share of all cores used by none of the parties (other tenants
	 * of the machine, the kernel's own threads)
	 * @param cpuSeconds CPU time of each party over the window
	 */
	record CpuUse(double seconds, double busyPercent, double otherPercent, Map<String, Double> cpuSeconds) {

		static final CpuUse NONE = new CpuUse(0, 0, 0, Map.of());

		/** Microseconds of CPU of each party per unit of work done in the window. */
		Map<String, Double> microsPer(long units) {
			Map<String, Double> micros = new LinkedHashMap<>();
			if (units > 0) {
				this.cpuSeconds.forEach((party, used) -> micros.put(party, Math.round(used * 1e7 / units) / 10.0));
			}
			return micros;
		}

	}

}
