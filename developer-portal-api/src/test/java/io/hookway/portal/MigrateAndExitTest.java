package io.hookway.portal;

import java.io.File;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestRows;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the Helm chart's migration hook runs: the service migrates an empty database and
 * exits.
 */
class MigrateAndExitTest {

	@Test
	void serviceMigratesAndExitsWithZero() throws Exception {
		String database = TestDatabase.fresh("hookway_migrate");
		try {
			Process process = new ProcessBuilder(
					System.getProperty("java.home") + File.separator + "bin" + File.separator + "java", "-cp",
					System.getProperty("java.class.path"), PortalApplication.class.getName(),
					"--spring.main.web-application-type=none", "--hookway.migrate-and-exit=true",
					"--hookway.database.url=" + database, "--hookway.secrets.allow-development-key=true")
				.redirectErrorStream(true)
				.redirectOutput(new File("target/migrate-and-exit.log"))
				.start();
			assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("exited").isTrue();
			assertThat(process.exitValue()).isZero();
			assertThat(TestRows.of(database).count("select count(*) from flyway_schema_history where success"))
				.isGreaterThanOrEqualTo(3);
		}
		finally {
			TestDatabase.drop(database);
		}
	}

}
