package io.hookway.core.crypto;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

@AutoConfiguration
@EnableConfigurationProperties(SecretsSettings.class)
public class SecretsConfiguration {

	private static final Log logger = LogFactory.getLog(SecretsConfiguration.class);

	@Bean
	SecretCipher secretCipher(SecretsSettings settings) {
		if (settings.usesDevelopmentKey()) {
			logger.warn("hookway.secrets.encryption-key is the published development key: "
					+ "set HOOKWAY_SECRETS_ENCRYPTION_KEY before storing real secrets");
		}
		return new SecretCipher(settings.key());
	}

}
