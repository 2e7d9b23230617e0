package io.hookway.standalone.database;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.sun.security.auth.module.UnixSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.hookway.standalone.database.StandaloneProcess.Privileges;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged standalone jar with no database configured and none at 127.0.0.1:5432
 * starts its embedded PostgreSQL, serves the README's walk-through, keeps its data across
 * a restart, and gives way to a configured URL; started as root it explains why it cannot
 * and exits non-zero.
 * <p>
 * Run as root (CI), every process gets a network namespace of its own, where the
 * machine's PostgreSQL is out of reach, and runs as {@code nobody}. Run as another user,
 * the test needs 127.0.0.1:5432 to be free.
 */
class EmbeddedDatabaseIT {

	private static final Pattern EMBEDDED_URL = Pattern
		.compile("starting an embedded PostgreSQL at postgresql://127\\.0\\.0\\.1:(\\d+)/hookway");

	private static final boolean ROOT = new UnixSystem().getUid() == 0;

	private Path work;

	private Path jar;

	@BeforeEach
	void copyJar() throws IOException {
		if (ROOT) {
			assumeTrue(Stream.of("unshare", "nsenter", "setpriv", "ip", "curl").allMatch(EmbeddedDatabaseIT::installed),
					"needs unshare, nsenter, setpriv, ip and curl to isolate the processes");
		}
		else {
			assumeTrue(!answers(EmbeddedDatabaseInitializer.DEFAULT_ADDRESS),
					"a server answers at 127.0.0.1:5432, so the standalone process would use it");
			assumeTrue(installed("curl"), "needs curl");
		}
		// readable by nobody, wherever the build directory is
		this.work = Files.createTempDirectory("hookway-embedded-it");
		Files.setPosixFilePermissions(this.work, PosixFilePermissions.fromString("rwxr-xr-x"));
		this.jar = Files.copy(Path.of("target/hookway-standalone.jar"), this.work.resolve("hookway-standalone.jar"),
				StandardCopyOption.REPLACE_EXISTING);
	}

	@AfterEach
	void deleteWork() throws IOException {
		if (this.work != null) {
			try (Stream<Path> files = Files.walk(this.work)) {
				files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
		}
	}

	@Test
	void walkthroughRunsOnTheEmbeddedDatabaseWhoseDataOutliveARestart() throws Exception {
		Path data = directoryOfNobody("postgres");
		String taskId;
		String clientId;
		String clientSecret;
		try (StandaloneProcess first = start("first", isolated(), data)) {
			first.awaitReady();
			Matcher embedded = EMBEDDED_URL.matcher(first.log());
			assertThat(embedded.find()).as("the embedded database's log line in:%n%s", first.log()).isTrue();
			assertThat(first.log()).contains("with its data in " + data);
			assertThat(data.resolve("data/PG_VERSION")).exists();

			Walkthrough walkthrough = new Walkthrough(first);
			taskId = walkthrough.run();
			clientId = walkthrough.clientId;
			clientSecret = walkthrough.clientSecret;

			// where embedding would be possible, a configured URL still wins
			Path unused = directoryOfNobody("unused");
			try (StandaloneProcess configured = start("configured", beside(first), unused,
					"--hookway.database.url=postgresql://127.0.0.1:" + embedded.group(1) + "/hookway",
					"--hookway.database.username=postgres",
					"--hookway.database.password=" + Files.readString(data.resolve("password")).strip())) {
				configured.awaitReady();
				assertThat(configured.log()).doesNotContain("starting an embedded PostgreSQL");
				assertThat(task(configured, walkthrough.token, taskId)).containsEntry("status", "SUCCEEDED");
				try (Stream<Path> files = Files.list(unused)) {
					assertThat(files).as("nothing written to the embedded database's directory").isEmpty();
				}
			}
			first.stop();
			assertThat(first.log()).contains("Stopped the embedded PostgreSQL in " + data);
			assertThat(data.resolve("data/postmaster.pid")).as("the server stopped with the process").doesNotExist();
		}

		try (StandaloneProcess second = start("second", isolated(), data)) {
			second.awaitReady();
			String token = Walkthrough.token(second, clientId, clientSecret);
			Map<String, Object> task = task(second, token, taskId);
			assertThat(task).containsEntry("taskId", taskId).containsEntry("status", "SUCCEEDED");
		}
	}

	@Test
	void rootWithoutADatabaseIsToldWhyAndWhatToDo() throws Exception {
		assumeTrue(ROOT, "runs as root only");
		Path data = this.work.resolve("never-created");
		try (StandaloneProcess root = start("root", Privileges.isolated("0"), data)) {
			assertThat(root.awaitExit()).isNotZero();
			assertThat(root.log()).contains("APPLICATION FAILED TO START")
				.contains("PostgreSQL refuses to run as root")
				.contains("Start Hookway as a normal user")
				.contains("--hookway.database.url=");
		}
		assertThat(data).doesNotExist();
	}

	private StandaloneProcess start(String name, Privileges privileges, Path directory, String... arguments)
			throws IOException {
		List<String> all = new java.util.ArrayList<>(List.of("--hookway.embedded-database.directory=" + directory));
		all.addAll(List.of(arguments));
		return StandaloneProcess.start(this.jar,
				Path.of("target/embedded-database-it/" + name + ".log").toAbsolutePath(), privileges, all);
	}

	private static Privileges isolated() {
		return ROOT ? Privileges.isolated(StandaloneProcess.NOBODY_ID) : Privileges.currentUser();
	}

	private static Privileges beside(StandaloneProcess other) {
		return ROOT ? Privileges.beside(other, StandaloneProcess.NOBODY_ID) : Privileges.currentUser();
	}

	/** A directory the standalone process may write: nobody's when the test is root. */
	private Path directoryOfNobody(String name) throws IOException {
		Path directory = Files.createDirectory(this.work.resolve(name));
		if (ROOT) {
			UserPrincipal nobody = directory.getFileSystem()
				.getUserPrincipalLookupService()
				.lookupPrincipalByName("nobody");
			Files.setOwner(directory, nobody);
		}
		return directory;
	}

	static Map<String, Object> task(StandaloneProcess process, String token, String taskId) throws Exception {
		return Walkthrough.object(process.curl("-H", "Authorization: Bearer " + token,
				"http://127.0.0.1:" + process.port() + "/v1/tasks/" + taskId));
	}

	private static boolean installed(String tool) {
		for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
			if (Files.isExecutable(Path.of(directory, tool))) {
				return true;
			}
		}
		return false;
	}

	private static boolean answers(InetSocketAddress address) {
		try (Socket socket = new Socket()) {
			socket.connect(address, 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
