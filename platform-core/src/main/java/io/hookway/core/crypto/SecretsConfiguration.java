package io.hookway.core.crypto;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

@AutoConfiguration
@EnableConfigurationProperties(SecretsSettings.class)
public class SecretsConfiguration {

	private static final Log logger = LogFactory.getLog(SecretsConfiguration.class);

	@Bean
	SecretCipher secretCipher(SecretsSettings settings, Environment environment) {
		if (settings.usesDevelopmentKey()) {
			if (!settings.allowDevelopmentKey() && !environment.acceptsProfiles(Profiles.of("demo"))) {
				// anyone can read the key, so secrets stored under it are as good as
				// public
				throw new IllegalStateException("hookway.secrets.encryption-key is not set: set it "
						+ "(HOOKWAY_SECRETS_ENCRYPTION_KEY, base64 of 32 random bytes: openssl rand -base64 32); "
						+ "the published development key is used only in the demo profile or with "
						+ "hookway.secrets.allow-development-key=true");
			}
			logger.warn("hookway.secrets.encryption-key is the published development key: "
					+ "set HOOKWAY_SECRETS_ENCRYPTION_KEY before storing real secrets");
		}
		return new SecretCipher(settings.key());
	}

}
