package io.hookway.standalone.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The directory of the embedded database, taken by one process at a time: {@code data/}
 * (the cluster), {@code password}, {@code lock} (held while a process uses the
 * directory), {@code postgresql.log} and the unpacked {@code binaries/}.
 */
final class EmbeddedDataDirectory {

	private static final Log logger = LogFactory.getLog(EmbeddedDataDirectory.class);

	private final Path root;

	private final FileLock lock;

	private final String password;

	private EmbeddedDataDirectory(Path root, FileLock lock, String password) {
		this.root = root;
		this.lock = lock;
		this.password = password;
	}

	/**
	 * Creates the directory when missing and locks it; a server that a killed process
	 * left running on it is stopped.
	 */
	static EmbeddedDataDirectory take(Path root) {
		try {
			// its own user's only: it holds the password, the server log and the binaries
			Files.createDirectories(root, privateDirectory());
			Files.createDirectories(root.resolve("binaries"), privateDirectory());
		}
		catch (IOException ex) {
			throw new EmbeddedDatabaseException(
					"Cannot create the embedded database's directory " + root + ": " + ex.getMessage(),
					"Set hookway.embedded-database.directory to a directory this user may write, "
							+ "or configure a database with hookway.database.url.",
					ex);
		}
		FileLock lock = lock(root);
		try {
			stopLeftOverServer(root.resolve("data"));
			return new EmbeddedDataDirectory(root, lock, password(root));
		}
		catch (RuntimeException ex) {
			release(lock);
			throw ex;
		}
	}

	Path root() {
		return this.root;
	}

	Path data() {
		return this.root.resolve("data");
	}

	Path passwordFile() {
		return this.root.resolve("password");
	}

	Path log() {
		return this.root.resolve("postgresql.log");
	}

	Path binaries() {
		return this.root.resolve("binaries");
	}

	/** The superuser's password, generated before the first start. */
	String password() {
		return this.password;
	}

	void release() {
		release(this.lock);
	}

	private static FileLock lock(Path root) {
		try {
			FileChannel channel = FileChannel.open(root.resolve("lock"), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE);
			FileLock lock;
			try {
				lock = channel.tryLock();
			}
			catch (OverlappingFileLockException ex) {
				lock = null;
			}
			if (lock == null) {
				channel.close();
				throw new EmbeddedDatabaseException("Another process uses the embedded database in " + root,
						"Stop that process, or give this one a directory of its own with "
								+ "hookway.embedded-database.directory.");
			}
			return lock;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void release(FileLock lock) {
		try {
			lock.channel().close();
		}
		catch (IOException ex) {
			// closing the channel releases the lock, and the process is ending
		}
	}

	/**
	 * A killed process leaves its server running (PostgreSQL is a process of its own);
	 * with the directory's lock held, such a server is stale.
	 */
	private static void stopLeftOverServer(Path data) {
		Optional<ProcessHandle> server;
		try {
			Path pidFile = data.resolve("postmaster.pid");
			if (!Files.exists(pidFile)) {
				return;
			}
			String pid = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).get(0).trim();
			server = ProcessHandle.of(Long.parseLong(pid))
				.filter(ProcessHandle::isAlive)
				.filter((process) -> process.info()
					.command()
					.map((command) -> command.endsWith("postgres"))
					.orElse(false));
		}
		catch (IOException | RuntimeException ex) {
			// unreadable or half written: PostgreSQL judges the file itself
			return;
		}
		if (server.isEmpty()) {
			return;
		}
		long pid = server.get().pid();
		logger.warn("Stopping the PostgreSQL (pid " + pid + ") that an earlier process left running on " + data);
		server.get().destroy();
		try {
			server.get().onExit().get(1, TimeUnit.MINUTES);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new EmbeddedDatabaseException("The PostgreSQL (pid " + pid + ") running on " + data + " did not stop",
					"Stop it, then start again.");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static FileAttribute<?>[] privateDirectory() {
		if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
			return new FileAttribute<?>[0];
		}
		return new FileAttribute<?>[] {
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")) };
	}

	/** Read at every start but the first, when it is generated for initdb to read. */
	private static String password(Path root) {
		Path file = root.resolve("password");
		try {
			if (Files.exists(file)) {
				return Files.readString(file, StandardCharsets.US_ASCII).strip();
			}
			if (Files.exists(root.resolve("data").resolve("PG_VERSION"))) {
				throw new EmbeddedDatabaseException(
						"The embedded database in " + root + " has data but no password file",
						"Restore " + file + ", or move " + root + " away to start with an empty database.");
			}
			byte[] random = new byte[24];
			new SecureRandom().nextBytes(random);
			String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
			if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
				Files.createFile(file,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			}
			Files.writeString(file, password, StandardCharsets.US_ASCII);
			return password;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
