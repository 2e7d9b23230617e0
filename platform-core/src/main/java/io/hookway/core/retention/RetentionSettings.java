package io.hookway.core.retention;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long finished work is kept. The dispatcher purges what is older; the portal refuses
 * to recover deliveries of messages older, since they may be gone already. Both read this
 * one setting, so they cannot disagree within a process, and a deployment that sets it
 * for every service keeps them in step.
 *
 * @param retention how long finished tasks, webhook messages and their attempts are kept;
 * at least 24 hours, which is also how long idempotency keys are honoured
 */
@ConfigurationProperties("hookway.dispatcher")
public record RetentionSettings(@DefaultValue("7d") Duration retention) {

	public RetentionSettings {
		if (retention.compareTo(Duration.ofHours(24)) < 0) {
			throw new IllegalArgumentException(
					"hookway.dispatcher.retention must be at least 24h: idempotency keys are kept that long");
		}
	}

}
