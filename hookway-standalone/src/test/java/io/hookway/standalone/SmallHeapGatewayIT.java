package io.hookway.standalone;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestIssuer;
import io.hookway.core.test.TestRows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged gateway in its own JVM with a 256 MiB heap takes 200 concurrent calls of 1
 * MB each: memory is bounded by body bytes, not by counts, so every answer is a 202 or a
 * 503 with Retry-After, the process never runs out of memory and stays up, and every 202
 * names a stored task.
 */
class SmallHeapGatewayIT {

	private static final int CALLS = 200;

	private static final Pattern TASK_ID = Pattern.compile("\"taskId\"\\s*:\\s*\"(tsk_[0-9a-z]+)\"");

	private Process gateway;

	private final Path log = Path.of("target/small-heap-gateway.log").toAbsolutePath();

	@AfterEach
	void stop() throws InterruptedException {
		if (this.gateway != null) {
			this.gateway.destroyForcibly().waitFor();
		}
	}

	@Test
	void twoHundredConcurrentMegabyteCallsGet202Or503AndNeverAnOutOfMemoryError() throws Exception {
		int port = freePort();
		int managementPort = freePort();
		Files.createDirectories(this.log.getParent());
		this.gateway = new ProcessBuilder(java(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar",
				gatewayJar().toString(), "--server.port=" + port, "--management.server.port=" + managementPort,
				"--hookway.secrets.allow-development-key=true", "--hookway.database.url=" + TestDatabase.url(),
				"--hookway.routes.bulk.upstream=http://127.0.0.1:9", "--hookway.rate-limit.requests-per-second=100000")
			.redirectErrorStream(true)
			.directory(Path.of("target").toFile())
			.redirectOutput(this.log.toFile())
			.start();
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		String base = "http://127.0.0.1:" + port;
		String management = "http://127.0.0.1:" + managementPort;
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
			assertThat(this.gateway.isAlive()).as("gateway running, see " + this.log).isTrue();
			return status(client, management + "/actuator/health/readiness") == 200;
		});
		UUID application = IdKind.newUuid();
		String token = TestIssuer.shared().applicationToken(application, "tasks:write");

		byte[] body = new byte[1_000_000];
		Arrays.fill(body, (byte) 'x');
		List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
		for (int i = 0; i < CALLS; i++) {
			calls.add(
					client
						.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/bulk/items/" + i))
							.header("Authorization", "Bearer " + token)
							.header("Content-Type", "application/octet-stream")
							.timeout(Duration.ofSeconds(60))
							.POST(HttpRequest.BodyPublishers.ofByteArray(body))
							.build(), HttpResponse.BodyHandlers.ofString())
						.exceptionally((ex) -> null));
		}
		CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();

		List<String> accepted = new ArrayList<>();
		int unavailable = 0;
		for (CompletableFuture<HttpResponse<String>> call : calls) {
			HttpResponse<String> response = call.join();
			assertThat(response).as("every call is answered").isNotNull();
			assertThat(response.statusCode()).as(response.body()).isIn(202, 503);
			if (response.statusCode() == 202) {
				Matcher id = TASK_ID.matcher(response.body());
				assertThat(id.find()).isTrue();
				accepted.add(id.group(1));
			}
			else {
				unavailable++;
				assertThat(response.headers().firstValue("Retry-After")).isPresent();
				assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			}
		}
		System.out.printf("Small heap gateway: %d of %d calls accepted, %d refused with 503%n", accepted.size(), CALLS,
				unavailable);
		assertThat(this.gateway.isAlive()).as("gateway still running").isTrue();
		assertThat(status(client, management + "/actuator/health/liveness")).isEqualTo(200);
		assertThat(Files.readString(this.log, StandardCharsets.UTF_8)).doesNotContain("OutOfMemoryError");
		assertThat(accepted).as("some calls got through (%d refused)", unavailable).isNotEmpty();
		UUID[] stored = accepted.stream().map((id) -> IdKind.TASK.parse(id).orElseThrow()).toArray(UUID[]::new);
		assertThat(TestRows.testDatabase()
			.count("select count(*) from tasks where id = any(?) and application_id = ? "
					+ "and octet_length(request_body) = 1000000", stored, application))
			.as("every 202 names a stored task")
			.isEqualTo(accepted.size());
	}

	private static int status(HttpClient client, String url) {
		try {
			return client
				.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
						HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	private static Path gatewayJar() throws IOException {
		Path target = Path.of("").toAbsolutePath().getParent().resolve("gateway-app/target");
		try (Stream<Path> files = Files.list(target)) {
			return files.filter((file) -> file.getFileName().toString().endsWith("-exec.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("package gateway-app first"));
		}
	}

	private static String java() {
		return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
