package io.hookway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import io.hookway.bench.QuietBox.Load;
import io.hookway.bench.Services.Launch;

/**
 * Start-up of every process, measured as README "Start-up" describes: wall time from fork
 * until the readiness endpoint answers 200, the CPU time (user + system, all threads) the
 * process used until then, and its resident set at that moment. Each process starts from
 * its fat jar ({@code java -jar x.jar}) and from the jar extracted with a class cache
 * trained once (Spring Boot's training run): a CDS archive, or on JDK 25 and later an AOT
 * cache (JEP 483, 514, 515: classes loaded and linked, and method profiles), the two ways
 * alternating so that a change in the machine's load falls on both alike. Every start is
 * a fresh process, stopped before the next, on the benchmark's database, whose schema is
 * current by then: no start migrates, as in a restart.
 */
final class StartupPhase {

	private static final String READINESS = "/actuator/health/readiness";

	private StartupPhase() {
	}

	/**
	 * What a training run leaves for the starts of the extracted jar: the JVM option that
	 * writes it at exit and the one that starts from it.
	 *
	 * @param name what the report calls it
	 */
	record ClassCache(String name, String file, String trainOption, String startOption) {

		private static final ClassCache CDS = new ClassCache("CDS archive", "application.jsa",
				"-XX:ArchiveClassesAtExit=", "-XX:SharedArchiveFile=");

		private static final ClassCache AOT = new ClassCache("AOT cache", "application.aot", "-XX:AOTCacheOutput=",
				"-XX:AOTCache=");

		/** The best the JVM that starts the processes (this one) offers. */
		static ClassCache ofThisJvm() {
			return (Runtime.version().feature() >= 25) ? AOT : CDS;
		}

	}

	/**
	 * One start.
	 *
	 * @param readyMs wall time from fork until ready
	 * @param cpuMs CPU time of the process until then
	 * @param rssMb its resident set then
	 */
	record Start(long readyMs, long cpuMs, long rssMb) {
	}

	/**
	 * The starts of one way of launching a process.
	 *
	 * @param median each figure's median over the starts; null when there were none
	 */
	record Starts(List<Start> each, @Nullable Start median) {

		static final Starts NONE = new Starts(List.of(), null);

		static Starts of(List<Start> each) {
			return each.isEmpty() ? NONE : new Starts(List.copyOf(each),
					new Start(median(each, Start::readyMs), median(each, Start::cpuMs), median(each, Start::rssMb)));
		}

		private static long median(List<Start> starts, ToLongFunction<Start> figure) {
			long[] values = starts.stream().mapToLong(figure).sorted().toArray();
			return (values.length % 2 == 1) ? values[values.length / 2]
					: Math.round((values[values.length / 2 - 1] + values[values.length / 2]) / 2.0);
		}

	}

	/**
	 * @param process gateway, dispatcher, portal or standalone
	 * @param skipped why it was not started; null when it was
	 * @param load how busy the machine was before its starts
	 * @param fatJar starts of {@code java -jar x.jar}
	 * @param cds starts of the extracted jar with its class cache; none when the run does
	 * not train one
	 */
	record Startup(String process, @Nullable String skipped, @Nullable Load load, Starts fatJar, Starts cds) {

		static Startup notStarted(String process, String why) {
			return new Startup(process, why, null, Starts.NONE, Starts.NONE);
		}

	}

	static List<Startup> run(BenchSettings settings, Services services, Path work)
			throws IOException, InterruptedException {
		List<Startup> startups = new ArrayList<>();
		for (Launch launch : services.launches()) {
			Path jar = launch.jar();
			if (jar == null) {
				startups.add(Startup.notStarted(launch.name(), "not built: " + Services.STANDALONE_JAR));
				continue;
			}
			Path extracted = null;
			if (settings.startupCds()) {
				Rig.log("start-up: extracting " + launch.name() + " and training its " + ClassCache.ofThisJvm().name());
				extracted = trainedCopy(settings, launch, jar, work.resolve("cds-" + launch.name()));
			}
			Load load = QuietBox.await(settings.quietWait());
			Rig.log("start-up: " + launch.name() + ", " + settings.startupRuns() + " start(s) each way");
			List<Start> fatJar = new ArrayList<>();
			List<Start> cds = new ArrayList<>();
			for (int start = 1; start <= settings.startupRuns(); start++) {
				fatJar.add(start(launch.name() + "-fat-jar-" + start, settings.serviceJvmOptions(),
						JavaService.jar(jar), launch.arguments(), work));
				if (extracted != null) {
					List<String> options = new ArrayList<>(settings.serviceJvmOptions());
					options.add(ClassCache.ofThisJvm().startOption()
							+ extracted.resolveSibling(ClassCache.ofThisJvm().file()));
					cds.add(start(launch.name() + "-cds-" + start, options, JavaService.jar(extracted),
							launch.arguments(), work));
				}
			}
			startups.add(new Startup(launch.name(), null, load, Starts.of(fatJar), Starts.of(cds)));
			if (extracted != null) {
				// 130-230 MB each, of no use once measured; the logs stay
				delete(extracted.getParent());
			}
		}
		return startups;
	}

	/** Starts a process, takes its figures the moment it is ready, and stops it. */
	private static Start start(String name, List<String> jvmOptions, List<String> launch, List<String> arguments,
			Path work) throws IOException, InterruptedException {
		long forked = System.nanoTime();
		JavaService service = JavaService.start(name, jvmOptions, launch, arguments, READINESS, work);
		long readyMs = (System.nanoTime() - forked) / 1_000_000;
		long cpuMs = ProcFs.ownCpuTicks(service.pid()) * 1000 / ProcFs.ticksPerSecond();
		long rssMb = ProcFs.rssBytes(service.pid()) / (1024 * 1024);
		service.close();
		return new Start(readyMs, cpuMs, rssMb);
	}

	/**
	 * Extracts the jar into the directory and runs the training there, with the arguments
	 * of the measured starts (the same database: the training refreshes the context,
	 * which reads the schema's state); the cache lies beside the extracted jar, which the
	 * starts then run from the same absolute path.
	 */
	private static Path trainedCopy(BenchSettings settings, Launch launch, Path jar, Path directory)
			throws IOException, InterruptedException {
		run(directory.resolveSibling(launch.name() + "-extract.log"), JavaService.javaCommand(), "-Djarmode=tools",
				"-jar", jar.toAbsolutePath().toString(), "extract", "--destination", directory.toString());
		Path extracted = directory.resolve(jar.getFileName().toString());
		List<String> training = new ArrayList<>(List.of(JavaService.javaCommand()));
		training.addAll(settings.serviceJvmOptions());
		ClassCache cache = ClassCache.ofThisJvm();
		training.addAll(List.of(cache.trainOption() + directory.resolve(cache.file()),
				"-Dspring.context.exit=onRefresh", "-jar", extracted.toString()));
		training.addAll(launch.arguments());
		training.addAll(List.of("--server.port=0", "--management.server.port=0"));
		run(directory.resolveSibling(launch.name() + "-training.log"), training.toArray(String[]::new));
		if (!Files.isRegularFile(directory.resolve(cache.file()))) {
			throw new IllegalStateException("The training run of " + launch.name() + " left no "
					+ directory.resolve(cache.file()) + "; see its log in " + directory.getParent());
		}
		return extracted;
	}

	private static void delete(Path directory) throws IOException {
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(file);
			}
		}
	}

	private static void run(Path log, String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		if (!process.waitFor(10, TimeUnit.MINUTES)) {
			process.destroyForcibly().waitFor();
			throw new IllegalStateException("Did not end within 10 minutes: " + Arrays.toString(command));
		}
		if (process.exitValue() != 0) {
			throw new IllegalStateException("Exited with " + process.exitValue() + ": " + Arrays.toString(command)
					+ "; see " + log.toAbsolutePath());
		}
	}

}
