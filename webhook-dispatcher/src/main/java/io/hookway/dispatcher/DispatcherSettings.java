package io.hookway.dispatcher;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The dispatcher's queue workers.
 *
 * @param lease how long a claimed row is held before another worker may take it
 * @param pollInterval how often an idle worker looks for due rows
 * @param batchSize rows claimed per query
 * @param workerId names this process in {@code locked_by}; defaults to the JVM's name and
 * a random suffix
 * @param maxResponseSize the largest upstream response body kept as a task's result
 * @param maxInFlight tasks, and separately deliveries, one process works on at once
 * @param shutdownGrace how long a stopping process waits for work in flight before it
 * leaves the rest to the leases
 * @param retentionInterval how often finished rows are purged (the retention period
 * itself is {@link io.hookway.core.retention.RetentionSettings}, which the portal reads
 * too)
 * @param retentionBatchSize rows deleted per statement
 * @param maxInFlightBytes bytes of request bodies (tasks), and separately of webhook
 * payloads (deliveries), one process holds at once: claims stop short of it. Defaults to
 * an eighth of the maximum heap
 * @param trackedEndpoints endpoints whose state (circuit breaker, slots, waiting line,
 * decrypted secrets) a process keeps at most; beyond it the longest unused are forgotten
 * first
 */
@ConfigurationProperties("hookway.dispatcher")
public record DispatcherSettings(@DefaultValue("60s") Duration lease, @DefaultValue("1s") Duration pollInterval,
		@DefaultValue("32") int batchSize, @Nullable String workerId, @DefaultValue("1MB") DataSize maxResponseSize,
		@DefaultValue("256") int maxInFlight, @DefaultValue("20s") Duration shutdownGrace,
		@DefaultValue("10m") Duration retentionInterval, @DefaultValue("1000") int retentionBatchSize,
		@Nullable DataSize maxInFlightBytes, @DefaultValue("10000") int trackedEndpoints) {

	public DispatcherSettings {
		if (workerId == null || workerId.isBlank()) {
			workerId = ManagementFactory.getRuntimeMXBean().getName() + "-"
					+ UUID.randomUUID().toString().substring(0, 8);
		}
		if (maxInFlightBytes == null) {
			maxInFlightBytes = DataSize.ofBytes(Runtime.getRuntime().maxMemory() / 8);
		}
		if (maxInFlightBytes.toBytes() < 1) {
			throw new IllegalArgumentException("hookway.dispatcher.max-in-flight-bytes must be positive");
		}
		if (trackedEndpoints < 1) {
			throw new IllegalArgumentException("hookway.dispatcher.tracked-endpoints must be at least 1");
		}
		if (batchSize < 1) {
			throw new IllegalArgumentException("hookway.dispatcher.batch-size must be at least 1");
		}
	}

	public double leaseSeconds() {
		return this.lease.toMillis() / 1000.0;
	}

}
