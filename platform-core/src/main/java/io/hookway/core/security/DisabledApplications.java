package io.hookway.core.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

import io.hookway.core.lifecycle.PeriodicJob;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Which applications are disabled, kept in memory and refreshed every few seconds, so
 * that their still-unexpired tokens are refused within seconds without a query per
 * request. Each refresh reads only the applications changed since the last one (with an
 * overlap that covers transactions committing out of order).
 */
final class DisabledApplications extends PeriodicJob {

	private static final Duration OVERLAP = Duration.ofSeconds(30);

	private final DatabaseClient database;

	private final Set<UUID> disabled = ConcurrentHashMap.newKeySet();

	private volatile Instant watermark = Instant.EPOCH;

	DisabledApplications(DatabaseClient database, Duration interval) {
		super("Refreshing disabled applications (the last known set stays in use)", Duration.ZERO, interval);
		this.database = database;
	}

	boolean isDisabled(UUID application) {
		return this.disabled.contains(application);
	}

	@Override
	protected Mono<Void> runOnce() {
		Instant since = this.watermark.minus(OVERLAP);
		return this.database
			.sql("select id, status, updated_at from applications where updated_at > :since order by updated_at")
			.bind("since", since)
			.map((row, metadata) -> new Change(row.get("id", UUID.class), row.get("status", String.class),
					row.get("updated_at", Instant.class)))
			.all()
			.doOnNext((change) -> {
				if (ApplicationStatus.DISABLED.name().equals(change.status())) {
					this.disabled.add(change.id());
				}
				else {
					this.disabled.remove(change.id());
				}
				if (change.updatedAt().isAfter(this.watermark)) {
					this.watermark = change.updatedAt();
				}
			})
			.then();
	}

	private record Change(UUID id, String status, Instant updatedAt) {
	}

}
