package io.hookway.core.security;

import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.jwk.JWK;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The public keys of the embedded issuer, read from the shared database. Services verify
 * tokens without a call to the portal. Keys are cached; an unknown key id refreshes the
 * cache, at most once per {@link #MIN_REFRESH_INTERVAL}, so a freshly rotated key is
 * picked up quickly while forged key ids cannot turn into a query per request.
 */
final class SigningKeyDirectory {

	private static final Duration TTL = Duration.ofMinutes(5);

	private static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(5);

	private final DatabaseClient database;

	private final AtomicReference<Mono<List<JWK>>> loading = new AtomicReference<>();

	private volatile Snapshot snapshot = new Snapshot(List.of(), System.nanoTime() - TTL.toNanos() - 1);

	SigningKeyDirectory(DatabaseClient database) {
		this.database = database;
	}

	Flux<JWK> keys(String keyId) {
		Snapshot current = this.snapshot;
		long now = System.nanoTime();
		boolean stale = now - current.loadedAt() > TTL.toNanos();
		boolean unknown = keyId != null && current.keys().stream().noneMatch((key) -> keyId.equals(key.getKeyID()));
		boolean mayRefresh = now - current.loadedAt() > MIN_REFRESH_INTERVAL.toNanos();
		if (stale || (unknown && mayRefresh)) {
			return refresh().flatMapMany(Flux::fromIterable);
		}
		return Flux.fromIterable(current.keys());
	}

	/**
	 * One load at a time, shared by every request that needs it. A failed load keeps the
	 * keys known so far and counts as a load, so a database outage does not turn into a
	 * query per request.
	 */
	private Mono<List<JWK>> refresh() {
		Mono<List<JWK>> inFlight = this.loading.get();
		if (inFlight != null) {
			return inFlight;
		}
		Mono<List<JWK>> load = load()
			.doOnError((ex) -> this.snapshot = new Snapshot(this.snapshot.keys(),
					System.nanoTime() - TTL.toNanos() + MIN_REFRESH_INTERVAL.toNanos()))
			.doFinally((signal) -> this.loading.set(null))
			.cache();
		return this.loading.compareAndSet(null, load) ? load : refresh();
	}

	private Mono<List<JWK>> load() {
		return this.database.sql("select public_jwk from signing_keys where expires_at is null or expires_at > now()")
			.map((row, metadata) -> row.get("public_jwk", String.class))
			.all()
			.collectList()
			.map((documents) -> {
				List<JWK> keys = new ArrayList<>();
				for (String document : documents) {
					try {
						keys.add(JWK.parse(document));
					}
					catch (ParseException ex) {
						throw new IllegalStateException("A stored signing key is not a JWK", ex);
					}
				}
				this.snapshot = new Snapshot(List.copyOf(keys), System.nanoTime());
				return keys;
			});
	}

	private record Snapshot(List<JWK> keys, long loadedAt) {
	}

}
