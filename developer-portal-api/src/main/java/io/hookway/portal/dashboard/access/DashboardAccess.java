package io.hookway.portal.dashboard.access;

import java.time.Instant;
import java.util.UUID;

import reactor.core.publisher.Mono;

import io.hookway.core.security.AuthSettings;
import io.hookway.portal.dashboard.DashboardSettings;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * One-time links and the sessions they start, both kept in PostgreSQL as hashes: a
 * session opened on one portal replica is known to every other, and outlives a restart.
 */
@Component
class DashboardAccess {

	private final DatabaseClient database;

	private final DashboardSettings settings;

	private final String base;

	DashboardAccess(DatabaseClient database, DashboardSettings settings, AuthSettings auth) {
		this.database = database;
		this.settings = settings;
		this.base = settings.base(auth.issuer());
	}

	String base() {
		return this.base;
	}

	/**
	 * A new link for an active application; empty when there is none. Expired links and
	 * sessions are deleted on the way, so that neither table grows without bound.
	 */
	Mono<Link> newLink(UUID applicationId) {
		String secret = Secrets.generate();
		Instant expiresAt = Instant.now().plus(this.settings.linkLifetime());
		Mono<Void> purge = this.database.sql("delete from dashboard_links where expires_at < now()")
			.then()
			.then(this.database.sql("delete from dashboard_sessions where expires_at < now()").then());
		return purge.then(this.database.sql("""
				insert into dashboard_links (secret_hash, application_id, expires_at)
				select :hash, id, :expiresAt from applications where id = :applicationId and status = 'ACTIVE'
				returning expires_at""")
			.bind("hash", Secrets.sha256(secret))
			.bind("applicationId", applicationId)
			.bind("expiresAt", expiresAt)
			.map((row, metadata) -> new Link(this.base + "/dashboard/login#" + secret, expiresAt))
			.one());
	}

	/**
	 * Trades an unused, unexpired link for a new session token; empty when the link is
	 * unknown, used or expired. The single conditional update is what makes the link work
	 * once, however many browsers race with it.
	 */
	Mono<String> exchange(String secret) {
		if (!Secrets.wellFormed(secret)) {
			return Mono.empty();
		}
		String token = Secrets.generate();
		return this.database.sql("""
				with link as (
				    update dashboard_links set used_at = now()
				    where secret_hash = :hash and used_at is null and expires_at > now()
				    returning application_id
				)
				insert into dashboard_sessions (token_hash, application_id, expires_at)
				select :token, l.application_id, now() + make_interval(secs => :lifetime)
				from link l join applications a on a.id = l.application_id and a.status = 'ACTIVE'
				returning application_id""")
			.bind("hash", Secrets.sha256(secret))
			.bind("token", Secrets.sha256(token))
			.bind("lifetime", (double) this.settings.sessionLifetime().toSeconds())
			.map((row, metadata) -> token)
			.one();
	}

	/** The live session of a cookie value, of an application still active. */
	Mono<DashboardSession> session(String token) {
		if (!Secrets.wellFormed(token)) {
			return Mono.empty();
		}
		return this.database.sql("""
				select s.application_id, a.name from dashboard_sessions s join applications a on a.id = s.application_id
				where s.token_hash = :hash and s.expires_at > now() and a.status = 'ACTIVE'""")
			.bind("hash", Secrets.sha256(token))
			.map((row, metadata) -> new DashboardSession(row.get("application_id", UUID.class),
					row.get("name", String.class)))
			.one();
	}

	Mono<Void> end(String token) {
		return this.database.sql("delete from dashboard_sessions where token_hash = :hash")
			.bind("hash", Secrets.sha256(token))
			.then();
	}

	record Link(String url, Instant expiresAt) {
	}

}
