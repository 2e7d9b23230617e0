package io.hookway.portal.token;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.hookway.core.security.Scopes;
import io.hookway.portal.limits.PortalLimits;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Checks a client's id and secret: the operator's against configuration, an application's
 * against its stored hash. Before any secret is looked at, the token request rate and
 * recent failures of the client id at the caller's address, and the recent failures of
 * that address, are checked; a refusal is a {@link TokenRefusal}, a wrong or empty secret
 * an empty result. Keyed by address as well, a stranger who knows a client id can only
 * lock it out for their own address.
 */
@Component
class ClientAuthenticator {

	/**
	 * Client ids are generated ({@code cli_…}) or configured: anything longer is none.
	 */
	private static final int MAX_CLIENT_ID_LENGTH = 200;

	/**
	 * Generated secrets have 46 characters and the operator's at most this many: a longer
	 * one is wrong without hashing it.
	 */
	static final int MAX_SECRET_LENGTH = 512;

	private final DatabaseClient database;

	private final OperatorClient operator;

	private final SecretHasher hasher;

	private final PortalLimits limits;

	private final FailedAuthentications failures;

	ClientAuthenticator(DatabaseClient database, OperatorClient operator, SecretHasher hasher, PortalLimits limits,
			FailedAuthentications failures) {
		this.database = database;
		this.operator = operator;
		this.hasher = hasher;
		this.limits = limits;
		this.failures = failures;
	}

	/**
	 * @param address where the request came from, see {@link ClientAddress#of}
	 */
	Mono<AuthenticatedClient> authenticate(ClientCredentials credentials, String address) {
		String clientId = credentials.clientId();
		String secret = credentials.clientSecret();
		if (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID_LENGTH || secret.isEmpty()
				|| secret.length() > MAX_SECRET_LENGTH) {
			return Mono.empty();
		}
		ClientAddress caller = new ClientAddress(clientId, address);
		return Mono.defer(() -> {
			this.limits.tokenRequest(clientId, address).ifPresent((wait) -> {
				throw TokenRefusal.slowDown("Too many token requests for this client; retry after the time in "
						+ "Retry-After, and reuse tokens until they expire.", wait);
			});
			this.failures.lockedFor(caller).ifPresent((wait) -> {
				throw TokenRefusal.slowDown(
						"Too many failed authentications for this client; retry after the time in Retry-After.", wait);
			});
			this.failures.addressLockedFor(address).ifPresent((wait) -> {
				throw TokenRefusal.slowDown(
						"Too many failed authentications from this address; retry after the time in Retry-After.",
						wait);
			});
			return check(credentials, caller);
		})
			.onErrorMap(SecretHasher.Busy.class,
					(busy) -> busy.keyLimit() ? TokenRefusal
						.slowDown("Too many token requests for this client at once.", busy.retryAfter())
							: TokenRefusal.unavailable(busy.retryAfter()))
			.switchIfEmpty(Mono.defer(() -> {
				this.failures.failed(caller);
				return Mono.empty();
			}));
	}

	private Mono<AuthenticatedClient> check(ClientCredentials credentials, ClientAddress caller) {
		if (this.operator.isOperator(credentials.clientId())) {
			return this.operator.matches(credentials.clientSecret())
					? Mono.just(
							new AuthenticatedClient(this.operator.clientId(), null, Set.of(Scopes.APPLICATIONS_MANAGE)))
					: Mono.empty();
		}
		return this.database.sql(
				"select id, client_secret_hash, scopes from applications where client_id = :clientId and status = 'ACTIVE'")
			.bind("clientId", credentials.clientId())
			.map((row, metadata) -> new StoredClient(row.get("id", UUID.class),
					row.get("client_secret_hash", String.class), row.get("scopes", String[].class)))
			.one()
			.flatMap((stored) -> this.hasher
				.run(caller, () -> ClientSecrets.matches(credentials.clientSecret(), stored.secretHash()))
				.filter(Boolean::booleanValue)
				.map((matches) -> new AuthenticatedClient(credentials.clientId(), stored.applicationId(),
						new LinkedHashSet<>(List.of(stored.scopes())))));
	}

	private record StoredClient(UUID applicationId, String secretHash, String[] scopes) {
	}

	record AuthenticatedClient(String clientId, @Nullable UUID applicationId, Set<String> scopes) {
	}

}
