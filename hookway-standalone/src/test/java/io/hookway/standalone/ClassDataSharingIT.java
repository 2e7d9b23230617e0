package io.hookway.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The class data sharing steps of {@code docker/Dockerfile}, on the standalone jar (which
 * holds the beans of all three services): the extracted layers, merged, run the training
 * with no database reachable and leave an archive that a JVM requiring it then uses.
 */
class ClassDataSharingIT {

	/** The training run's arguments, as in the Dockerfile. */
	private static final List<String> TRAINING = List.of("-Dspring.context.exit=onRefresh", "-jar", "application.jar",
			"--hookway.database.url=postgresql://127.0.0.1:1/training", "--spring.flyway.enabled=false",
			"--hookway.secrets.allow-development-key=true", "--server.port=0", "--management.server.port=0");

	@Test
	void trainingRunWithoutADatabaseLeavesAnArchiveTheNextStartUses(@TempDir Path work)
			throws IOException, InterruptedException {
		Path jar = Files.copy(Path.of("target/hookway-standalone.jar"), work.resolve("application.jar"));
		Path layers = work.resolve("layers");
		run(work, java("-Djarmode=tools", "-jar", jar.toString(), "extract", "--layers", "--destination",
				layers.toString()));
		Path app = Files.createDirectory(work.resolve("app"));
		for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
			merge(layers.resolve(layer), app);
		}

		List<String> training = java("-XX:ArchiveClassesAtExit=application.jsa");
		training.addAll(TRAINING);
		run(app, training);
		assertThat(app.resolve("application.jsa")).isRegularFile();

		// -Xshare:on: the JVM refuses to start unless it maps the archive
		List<String> withArchive = java("-Xshare:on", "-XX:SharedArchiveFile=application.jsa");
		withArchive.addAll(TRAINING);
		run(app, withArchive);
	}

	private static List<String> java(String... arguments) {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
		command.addAll(List.of(arguments));
		return command;
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
