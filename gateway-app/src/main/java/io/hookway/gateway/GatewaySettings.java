package io.hookway.gateway;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The gateway's own settings.
 *
 * @param maxBodySize the largest request body a route call may carry, after decoding
 * @param pollAfterSeconds the {@code Retry-After} a client is given before it polls a
 * task
 * @param insertBatchSize the most accepted calls written by one statement
 * @param insertWriters how many such statements may run at once
 * @param databaseTimeout how long a call waits for the database before it gets a 503
 */
@ConfigurationProperties("hookway.gateway")
public record GatewaySettings(@DefaultValue("1MB") DataSize maxBodySize, @DefaultValue("1") int pollAfterSeconds,
		@DefaultValue("256") int insertBatchSize, @DefaultValue("4") int insertWriters,
		@DefaultValue("5s") Duration databaseTimeout) {

	public GatewaySettings {
		if (insertBatchSize < 1 || insertWriters < 1) {
			throw new IllegalArgumentException("hookway.gateway.insert-batch-size and insert-writers must be positive");
		}
	}

}
