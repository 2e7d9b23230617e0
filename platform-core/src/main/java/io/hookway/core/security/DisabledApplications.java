package io.hookway.core.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Which applications are disabled, kept in memory and refreshed every few seconds, so
 * that their still-unexpired tokens are refused within seconds without a query per
 * request. Each refresh reads only the applications changed since the last one (with an
 * overlap that covers transactions committing out of order).
 */
final class DisabledApplications implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(DisabledApplications.class);

	private static final Duration OVERLAP = Duration.ofSeconds(30);

	private final DatabaseClient database;

	private final Duration interval;

	private final Set<UUID> disabled = ConcurrentHashMap.newKeySet();

	private volatile Instant watermark = Instant.EPOCH;

	private volatile @Nullable Disposable polling;

	DisabledApplications(DatabaseClient database, Duration interval) {
		this.database = database;
		this.interval = interval;
	}

	boolean isDisabled(UUID application) {
		return this.disabled.contains(application);
	}

	Mono<Void> refresh() {
		Instant since = this.watermark.minus(OVERLAP);
		return this.database
			.sql("select id, status, updated_at from applications where updated_at > :since order by updated_at")
			.bind("since", since)
			.map((row, metadata) -> new Change(row.get("id", UUID.class), row.get("status", String.class),
					row.get("updated_at", Instant.class)))
			.all()
			.doOnNext((change) -> {
				if ("DISABLED".equals(change.status())) {
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

	@Override
	public void start() {
		this.polling = Flux.interval(Duration.ZERO, this.interval)
			.onBackpressureDrop()
			.concatMap((tick) -> refresh().onErrorResume((ex) -> {
				logger.warn("Could not refresh disabled applications; keeping the last known set: " + ex);
				return Mono.empty();
			}))
			.subscribe();
	}

	@Override
	public void stop() {
		Disposable current = this.polling;
		if (current != null) {
			current.dispose();
		}
		this.polling = null;
	}

	@Override
	public boolean isRunning() {
		return this.polling != null;
	}

	private record Change(UUID id, String status, Instant updatedAt) {
	}

}
