package io.hookway.gateway;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

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
 * @param insertBatchBytes the most body bytes written by one statement (a statement holds
 * at least one call)
 * @param maxBodiesInFlight the most body bytes of route calls held at once, from the
 * moment a call's body starts to arrive until its row is written; a call that would go
 * over gets a 503 at once. Defaults to an eighth of the maximum heap
 * @param listPageBytes the most result bytes one page of {@code GET /v1/tasks} carries; a
 * page that would exceed it is cut short (with a next cursor), though it always shows at
 * least one task
 */
@ConfigurationProperties("hookway.gateway")
public record GatewaySettings(@DefaultValue("1MB") DataSize maxBodySize, @DefaultValue("1") int pollAfterSeconds,
		@DefaultValue("256") int insertBatchSize, @DefaultValue("4") int insertWriters,
		@DefaultValue("5s") Duration databaseTimeout, @DefaultValue("4MB") DataSize insertBatchBytes,
		@Nullable DataSize maxBodiesInFlight, @DefaultValue("2MB") DataSize listPageBytes) {

	public GatewaySettings {
		if (insertBatchSize < 1 || insertWriters < 1) {
			throw new IllegalArgumentException("hookway.gateway.insert-batch-size and insert-writers must be positive");
		}
		if (insertBatchBytes.toBytes() < 1 || listPageBytes.toBytes() < 1) {
			throw new IllegalArgumentException(
					"hookway.gateway.insert-batch-bytes and list-page-bytes must be positive");
		}
		if (maxBodiesInFlight == null) {
			maxBodiesInFlight = DataSize.ofBytes(Runtime.getRuntime().maxMemory() / 8);
		}
		if (maxBodiesInFlight.toBytes() < maxBodySize.toBytes()) {
			throw new IllegalArgumentException(
					"hookway.gateway.max-bodies-in-flight must be at least hookway.gateway.max-body-size");
		}
	}

}
