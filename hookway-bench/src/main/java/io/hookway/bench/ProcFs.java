package io.hookway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What Linux's /proc tells about memory and CPU use; zeros where it tells nothing. */
final class ProcFs {

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

	/**
	 * User plus system CPU time of one process and of its children it has waited for, in
	 * clock ticks: a child that ended is then still counted, in its parent.
	 */
	static long cpuTicks(long pid) {
		List<String> lines = lines(Path.of("/proc", Long.toString(pid), "stat"));
		if (lines.isEmpty()) {
			return 0;
		}
		// the command name may hold spaces: fields are counted after its closing
		// parenthesis
		String[] fields = lines.get(0).substring(lines.get(0).lastIndexOf(')') + 2).split(" ");
		long total = 0;
		for (int i = 11; i <= 14; i++) {
			total += Long.parseLong(fields[i]);
		}
		return total;
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

	/** Processes of the PostgreSQL server (its backends included). */
	static List<Long> postgresPids() {
		try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
			return entries.filter((entry) -> entry.getFileName().toString().chars().allMatch(Character::isDigit))
				.filter((entry) -> lines(entry.resolve("comm")).stream()
					.anyMatch((comm) -> comm.startsWith("postgres")))
				.map((entry) -> Long.parseLong(entry.getFileName().toString()))
				.toList();
		}
		catch (IOException ex) {
			return List.of();
		}
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
