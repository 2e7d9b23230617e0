package io.hookway.dispatcher;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.hookway.core.test.TestDatabase;

import org.springframework.boot.SpringApplication;

import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A call or a webhook attempt that may outlive its lease would be made twice: the
 * dispatcher refuses to start with such timeouts, saying which setting to change.
 */
class LeaseCheckTest {

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "--hookway.webhooks.timeout=45s | hookway.webhooks.timeout (PT45S)",
					"--hookway.webhooks.timeout=2m | hookway.webhooks.timeout (PT2M)",
					"--hookway.routes.slow.timeout=50s | hookway.routes.slow.timeout (PT50S)" })
	void timeoutsOfThreeQuartersOfTheLeaseOrMoreAreRefusedAtStartUp(String setting, String named) {
		SpringApplication application = new SpringApplication(DispatcherApplication.class);
		assertThatException()
			.isThrownBy(() -> application.run("--server.port=0", "--hookway.database.url=" + TestDatabase.url(),
					"--hookway.secrets.allow-development-key=true", "--hookway.routes.slow.upstream=http://127.0.0.1:9",
					"--hookway.dispatcher.lease=60s", setting))
			.havingRootCause()
			.withMessageContaining(named)
			.withMessageContaining("must be under three quarters of hookway.dispatcher.lease (PT1M)");
	}

}
