package io.hookway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What Linux's /proc tells about memory and CPU use; zeros where it tells nothing. */
final class ProcFs {

	private static final long TICKS_PER_SECOND = 100;

	private ProcFs() {
	}

	static long peakRssBytes(long pid) {
		for (String line : lines(Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith("VmHWM:")) {
				return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
			}
		}
		return 0;
	}

	/** The resident set now (VmRSS). */
	static long rssBytes(long pid) {
		for (String line : lines(Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
			}
		}
		return 0;
	}

	/**
	 * User plus system CPU time of one process and of its children it has waited for, in
	 * clock ticks: a child that ended is then still counted, in its parent.
	 */
	static long cpuTicks(long pid) {
		return ownCpuTicks(pid) + reapedChildrenCpuTicks(pid);
	}

	/**
	 * The fields of /proc/PID/stat after the command name, from the state on (field 3 of
	 * proc(5) is index 0); empty when the process is gone.
	 */
	private static String[] statFields(long pid) {
		List<String> lines = lines(Path.of("/proc", Long.toString(pid), "stat"));
		if (lines.isEmpty()) {
			return new String[0];
		}
		// the command name may hold spaces: fields are counted after its closing
		// parenthesis
		return lines.get(0).substring(lines.get(0).lastIndexOf(')') + 2).split(" ");
	}

	/** User plus system CPU time of the process's own threads, in clock ticks. */
	static long ownCpuTicks(long pid) {
		String[] fields = statFields(pid);
		return (fields.length < 13) ? 0 : Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	/**
	 * CPU time of the process's children that ended and were waited for, in clock ticks.
	 */
	static long reapedChildrenCpuTicks(long pid) {
		String[] fields = statFields(pid);
		return (fields.length < 15) ? 0 : Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
	}

	/** The parent of a process, or 0 when it is gone. */
	static long parentPid(long pid) {
		String[] fields = statFields(pid);
		return (fields.length < 2) ? 0 : Long.parseLong(fields[1]);
	}

	/** Clock ticks per second ({@code USER_HZ}), which is 100 on every common Linux. */
	static long ticksPerSecond() {
		return TICKS_PER_SECOND;
	}

	/** The 1, 5 and 15-minute load averages. */
	static double[] loadAverages() {
		List<String> lines = lines(Path.of("/proc/loadavg"));
		if (lines.isEmpty()) {
			return new double[3];
		}
		String[] fields = lines.get(0).trim().split("\\s+");
		return new double[] { Double.parseDouble(fields[0]), Double.parseDouble(fields[1]),
				Double.parseDouble(fields[2]) };
	}

	/** Busy and total ticks of all CPUs since boot: {busy, total}. */
	static long[] machineTicks() {
		List<String> lines = lines(Path.of("/proc/stat"));
		if (lines.isEmpty()) {
			return new long[] { 0, 0 };
		}
		String[] fields = lines.get(0).trim().split("\\s+");
		long total = 0;
		for (int i = 1; i < Math.min(fields.length, 9); i++) {
			total += Long.parseLong(fields[i]);
		}
		long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
		return new long[] { total - idle, total };
	}

	static String cpuModel() {
		return lines(Path.of("/proc/cpuinfo")).stream()
			.filter((line) -> line.startsWith("model name"))
			.map((line) -> line.substring(line.indexOf(':') + 1).trim())
			.findFirst()
			.orElse("unknown");
	}

	static long memoryBytes() {
		return lines(Path.of("/proc/meminfo")).stream()
			.filter((line) -> line.startsWith("MemTotal:"))
			.mapToLong((line) -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
			.findFirst()
			.orElse(0);
	}

	private static List<String> lines(Path path) {
		try {
			return Files.readAllLines(path);
		}
		catch (IOException | RuntimeException ex) {
			return List.of();
		}
	}

}
