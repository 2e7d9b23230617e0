package io.hookway.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The class cache steps of {@code docker/Dockerfile} and of README "Start-up", on the
 * standalone jar (which holds the beans of all three services): the extracted layers,
 * merged, run the training with no database reachable and leave a cache that a JVM
 * requiring it then uses. The image's JDK 25 makes an AOT cache; a JDK 17 to 24 a CDS
 * archive.
 */
class ClassCacheIT {

	/** The training run's arguments, as in the Dockerfile. */
	private static final List<String> TRAINING = List.of("-Dspring.context.exit=onRefresh", "-jar", "application.jar",
			"--hookway.database.url=postgresql://127.0.0.1:1/training", "--spring.flyway.enabled=false",
			"--hookway.secrets.allow-development-key=true", "--server.port=0", "--management.server.port=0");

	@Test
	void aotCacheOfJdk25(@TempDir Path work) throws IOException, InterruptedException {
		Path java = jdk25();
		Assumptions.assumeTrue(java != null, "no JDK 25 or later: set HOOKWAY_TEST_JDK25 to its java command");
		Path app = extractedApp(work);
		run(app, command(java, "-XX:AOTCacheOutput=application.aot"));
		assertThat(app.resolve("application.aot")).isRegularFile();

		// -XX:AOTMode=on: the JVM refuses to start unless it uses the cache
		run(app, command(java, "-XX:AOTMode=on", "-XX:AOTCache=application.aot"));
	}

	@Test
	void cdsArchiveOfThisJdk(@TempDir Path work) throws IOException, InterruptedException {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		Path app = extractedApp(work);
		run(app, command(java, "-XX:ArchiveClassesAtExit=application.jsa"));
		assertThat(app.resolve("application.jsa")).isRegularFile();

		// -Xshare:on: the JVM refuses to start unless it maps the archive
		run(app, command(java, "-Xshare:on", "-XX:SharedArchiveFile=application.jsa"));
	}

	private static Path extractedApp(Path work) throws IOException, InterruptedException {
		Path jar = Files.copy(Path.of("target/hookway-standalone.jar"), work.resolve("application.jar"));
		Path layers = work.resolve("layers");
		run(work, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djarmode=tools", "-jar",
				jar.toString(), "extract", "--layers", "--destination", layers.toString()));
		Path app = Files.createDirectory(work.resolve("app"));
		for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
			merge(layers.resolve(layer), app);
		}
		return app;
	}

	private static List<String> command(Path java, String... options) {
		List<String> command = new ArrayList<>(List.of(java.toString()));
		command.addAll(List.of(options));
		command.addAll(TRAINING);
		return command;
	}

	/**
	 * HOOKWAY_TEST_JDK25 (a java command), this JVM when it is one, or the newest JDK 25+
	 * under /usr/lib/jvm (where Debian and Temurin's packages install theirs).
	 */
	private static @Nullable Path jdk25() throws IOException {
		String configured = System.getenv("HOOKWAY_TEST_JDK25");
		if (configured != null && !configured.isBlank()) {
			return Path.of(configured);
		}
		if (Runtime.version().feature() >= 25) {
			return Path.of(System.getProperty("java.home"), "bin", "java");
		}
		Path installed = Path.of("/usr/lib/jvm");
		if (!Files.isDirectory(installed)) {
			return null;
		}
		try (Stream<Path> homes = Files.list(installed)) {
			return homes.filter((home) -> featureRelease(home) >= 25)
				.max(Comparator.comparingInt(ClassCacheIT::featureRelease))
				.map((home) -> home.resolve("bin/java"))
				.orElse(null);
		}
	}

	/** The feature release a JDK's {@code release} file names, 0 when it names none. */
	private static int featureRelease(Path home) {
		try {
			Matcher version = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)")
				.matcher(Files.readString(home.resolve("release")));
			return (version.find() && Files.isExecutable(home.resolve("bin/java"))) ? Integer.parseInt(version.group(1))
					: 0;
		}
		catch (IOException ex) {
			return 0;
		}
	}

	private static void run(Path directory, List<String> command) throws IOException, InterruptedException {
		Path log = Files.createTempFile(directory.getParent(), "run", ".log");
		Process process = new ProcessBuilder(command).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("%s ended", command).isTrue();
		assertThat(process.exitValue()).as("%s exited; its output:%n%s", command, Files.readString(log)).isZero();
	}

	private static void merge(Path layer, Path target) throws IOException {
		try (Stream<Path> files = Files.walk(layer)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				Path copy = target.resolve(layer.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(copy);
				}
				else {
					Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
	}

}
