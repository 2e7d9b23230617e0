package io.hookway.standalone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every service jar is layered the way {@code docker/Dockerfile} extracts it: run after
 * packaging, on the jars the reactor built.
 */
class LayeredJarsIT {

	private static final List<String> LAYERS = List.of("dependencies", "spring-boot-loader", "snapshot-dependencies",
			"application");

	@Test
	void eachServiceJarListsAndExtractsTheLayersTheImageIsBuiltFrom(@TempDir Path work)
			throws IOException, InterruptedException {
		List<Path> jars = jars();
		assertThat(jars).hasSize(4);
		for (Path jar : jars) {
			assertThat(tools(jar, "list-layers").lines().map(String::trim).filter((line) -> !line.isEmpty()))
				.as(jar.toString())
				.containsExactlyElementsOf(LAYERS);
			Path extracted = work.resolve(jar.getFileName().toString());
			tools(jar, "extract", "--layers", "--destination", extracted.toString());
			// a plain jar whose manifest names the libraries: what class data sharing
			// needs
			assertThat(extracted.resolve("application").resolve(jar.getFileName())).isRegularFile();
			assertThat(libraries(extracted, "dependencies")).anyMatch((name) -> name.startsWith("spring-webflux-"));
			// Hookway's own modules change with every release: they travel with its
			// classes in the small top layer
			assertThat(libraries(extracted, "application")).anyMatch((name) -> name.startsWith("platform-core-"))
				.anyMatch((name) -> name.startsWith("db-migrations-"));
		}
	}

	private static List<String> libraries(Path extracted, String layer) throws IOException {
		try (Stream<Path> files = Files.list(extracted.resolve(layer).resolve("lib"))) {
			return files.map((file) -> file.getFileName().toString()).toList();
		}
	}

	private static List<Path> jars() throws IOException {
		Path root = Path.of("").toAbsolutePath().getParent();
		List<Path> jars = new ArrayList<>();
		jars.add(root.resolve("hookway-standalone/target/hookway-standalone.jar"));
		for (String module : List.of("gateway-app", "webhook-dispatcher", "developer-portal-api")) {
			try (Stream<Path> files = Files.list(root.resolve(module).resolve("target"))) {
				files.filter((file) -> file.getFileName().toString().endsWith("-exec.jar")).forEach(jars::add);
			}
		}
		return jars;
	}

	private static String tools(Path jar, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djarmode=tools", "-jar",
						jar.toString()));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

}
