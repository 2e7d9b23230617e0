package io.hookway.core.crypto;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published development key protects nothing: a process starts with it only in the
 * demo profile or when told to.
 */
class SecretsConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SecretsConfiguration.class));

	@Test
	void withoutAKeyOutsideTheDemoProfileTheProcessRefusesToStart() {
		this.runner.run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.rootCause()
			.hasMessageContaining("hookway.secrets.encryption-key is not set")
			.hasMessageContaining("hookway.secrets.allow-development-key=true"));
		this.runner.withPropertyValues("spring.profiles.active=prod").run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void theDemoProfileOrTheExplicitSwitchAllowTheDevelopmentKey() {
		this.runner.withPropertyValues("spring.profiles.active=demo")
			.withInitializer((context) -> context.getEnvironment().setActiveProfiles("demo"))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(SecretCipher.class));
		this.runner.withPropertyValues("hookway.secrets.allow-development-key=true")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(SecretCipher.class));
	}

	@Test
	void aKeyOfItsOwnNeedsNoSwitch() {
		this.runner.withPropertyValues("hookway.secrets.encryption-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(SecretCipher.class));
	}

}
