package io.hookway.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.bench.CpuMeter.CpuUse;
import io.hookway.bench.QuietBox.Load;
import io.hookway.bench.Run.Baseline;

/**
 * The baseline the delivery rates are judged against: graphile-worker, a general-purpose
 * PostgreSQL job queue for Node.js, pinned in
 * {@code bench/graphile-worker/package-lock.json} and installed by
 * {@code bench/install-tools}, draining jobs that each POST a webhook payload to the same
 * receiver on the same database server, in the same run. Its script {@code drain.js} says
 * how.
 */
final class GraphileWorker {

	static final String NAME = "graphile-worker";

	private static final Duration DEADLINE = Duration.ofMinutes(10);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private GraphileWorker() {
	}

	/** Why the baseline cannot run here, or nothing when it can. */
	static Optional<String> unavailable(Path projectDirectory) {
		try {
			if (new ProcessBuilder("node", "--version").start().waitFor() != 0) {
				return Optional.of("node does not run");
			}
		}
		catch (IOException ex) {
			return Optional.of("node is not installed");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.of("interrupted");
		}
		if (!Files.isDirectory(directory(projectDirectory).resolve("node_modules/graphile-worker"))) {
			return Optional.of("graphile-worker is not installed: run bench/install-tools (needs npm)");
		}
		return Optional.empty();
	}

	static Baseline run(Rig rig) throws Exception {
		BenchSettings settings = rig.settings();
		Optional<String> unavailable = unavailable(settings.projectDirectory());
		if (unavailable.isPresent()) {
			Rig.log("graphile-worker baseline skipped: " + unavailable.get());
			return Baseline.skipped(unavailable.get());
		}
		Load load = rig.quiet();
		ProcessBuilder builder = new ProcessBuilder("node", "drain.js")
			.directory(directory(settings.projectDirectory()).toFile())
			.redirectError(rig.work().resolve("graphile-worker.log").toFile());
		builder.environment()
			.putAll(Map.of("DATABASE_URL", rig.database().url(), "RECEIVER_URL", rig.receiver().url(), "WARMUP_JOBS",
					Integer.toString(settings.baselineWarmup()), "JOBS", Integer.toString(settings.baselineJobs())));
		Process node = builder.start();
		try {
			BlockingQueue<String> lines = lines(node);
			expect(lines, "READY", node);
			rig.receiver().reset();
			rig.database().checkpoint();
			// the idle portal is still running: its time is its own, not the load tools'
			Map<String, List<Long>> parties = new LinkedHashMap<>(Services.pidsByKind(rig.services().running()));
			parties.put(NAME, List.of(node.pid()));
			CpuMeter meter = CpuMeter.start(parties, rig.postmasterPid());
			OutputStream commands = node.getOutputStream();
			commands.write("go\n".getBytes(StandardCharsets.UTF_8));
			commands.flush();
			JsonNode done = JSON.readTree(expect(lines, "DONE ", node).substring(5));
			CpuUse cpu = meter.stop();
			long peakRssMb = ProcFs.peakRssBytes(node.pid()) / (1024 * 1024);
			commands.write("stop\n".getBytes(StandardCharsets.UTF_8));
			commands.flush();
			if (!node.waitFor(60, TimeUnit.SECONDS) || node.exitValue() != 0) {
				throw new IllegalStateException("graphile-worker did not stop cleanly; see " + log(rig));
			}
			int jobs = done.get("jobs").asInt();
			double seconds = done.get("seconds").asDouble();
			return new Baseline(null, done.get("software").asString(), jobs, Math.round(seconds * 100) / 100.0,
					Math.round(jobs / seconds), rig.receiver().distinctMessages(), peakRssMb, cpu, load);
		}
		finally {
			node.destroyForcibly();
		}
	}

	private static Path directory(Path projectDirectory) {
		return projectDirectory.resolve("bench").resolve("graphile-worker");
	}

	private static Path log(Rig rig) {
		return rig.work().resolve("graphile-worker.log").toAbsolutePath();
	}

	/** Lines of the process's output, read as they come. */
	private static BlockingQueue<String> lines(Process process) {
		BlockingQueue<String> lines = new LinkedBlockingQueue<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader output = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = output.readLine(); line != null; line = output.readLine()) {
					lines.add(line);
				}
			}
			catch (IOException ex) {
				// the process is gone; the caller sees no line
			}
		}, "graphile-worker-output");
		reader.setDaemon(true);
		reader.start();
		return lines;
	}

	private static String expect(BlockingQueue<String> lines, String prefix, Process node) throws InterruptedException {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (System.nanoTime() < deadline) {
			String line = lines.poll(1, TimeUnit.SECONDS);
			if (line != null && line.startsWith(prefix)) {
				return line;
			}
			if (line == null && !node.isAlive()) {
				throw new IllegalStateException("graphile-worker exited with " + node.exitValue() + " before "
						+ prefix.trim() + "; see its log in the work directory");
			}
		}
		throw new IllegalStateException("graphile-worker gave no " + prefix.trim() + " within " + DEADLINE);
	}

}
