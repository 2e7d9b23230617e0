package io.hookway.standalone;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lints {@code docs/openapi.yaml} with Redocly CLI, pinned in {@code docs/lint}'s
 * package-lock, through the machine's npm: zero errors allowed. Skipped, saying so, where
 * npm is not on the PATH.
 */
class OpenApiLintTest {

	private static final Path LINT = Path.of("..", "docs", "lint");

	@Test
	void committedDocumentHasNoLintErrors() throws IOException, InterruptedException {
		Assumptions.assumeTrue(onPath("npm"), "npm is not on the PATH: docs/openapi.yaml not linted");
		if (!Files.isDirectory(LINT.resolve("node_modules"))) {
			assertThat(run(List.of("npm", "ci", "--no-audit", "--no-fund")).exitCode()).isZero();
		}
		Result lint = run(List.of("npx", "--no-install", "redocly", "lint", "../openapi.yaml", "--config",
				"redocly.yaml", "--format=stylish"));
		assertThat(lint.exitCode()).as(lint.output()).isZero();
	}

	private static Result run(List<String> command) throws IOException, InterruptedException {
		Path log = Files.createTempFile("openapi-lint", ".log");
		try {
			Process process = new ProcessBuilder(command).directory(LINT.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			if (!process.waitFor(5, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new IllegalStateException(command + " did not finish within 5 minutes");
			}
			return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
		}
		finally {
			Files.deleteIfExists(log);
		}
	}

	private static boolean onPath(String program) {
		String path = System.getenv("PATH");
		return path != null && List.of(path.split(File.pathSeparator))
			.stream()
			.anyMatch((directory) -> Files.isExecutable(Path.of(directory, program)));
	}

	private record Result(int exitCode, String output) {
	}

}
