package io.hookway.portal.endpoint;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.id.IdKind;
import io.hookway.core.outbound.OutboundUrlGuard;
import io.hookway.core.security.Caller;
import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.Page;
import io.hookway.core.webhook.WebhookSecret;
import io.hookway.portal.PortalLimits;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application's webhook endpoints (API.md §5). Every query names the caller's
 * application, so another application's endpoint is indistinguishable from one that does
 * not exist.
 */
@RestController
@RequestMapping("/v1/webhook-endpoints")
class WebhookEndpointController {

	private static final String COLUMNS = "id, url, event_types, description, enabled, disabled_reason, created_at";

	private final DatabaseClient database;

	private final SecretCipher cipher;

	private final OutboundUrlGuard guard;

	private final TransactionalOperator transaction;

	private final PortalLimits limits;

	WebhookEndpointController(DatabaseClient database, SecretCipher cipher, OutboundUrlGuard guard,
			TransactionalOperator transaction, PortalLimits limits) {
		this.database = database;
		this.cipher = cipher;
		this.guard = guard;
		this.transaction = transaction;
		this.limits = limits;
	}

	/**
	 * Creates the endpoint unless the application has its maximum already. The
	 * application's row is locked first, so that concurrent creations count each other.
	 */
	@PostMapping
	Mono<ResponseEntity<EndpointView>> create(@AuthenticationPrincipal Jwt jwt,
			@Valid @RequestBody CreateEndpoint request) {
		UUID applicationId = Caller.of(jwt).requireApplication();
		List<String> eventTypes = validEventTypes(request.eventTypes());
		WebhookSecret secret = WebhookSecret.generate();
		UUID id = IdKind.newUuid();
		Mono<EndpointView> insert = this.database
			.sql("select id from applications where id = :applicationId for no key update")
			.bind("applicationId", applicationId)
			.then()
			.then(this.database
				.sql("insert into webhook_endpoints (id, application_id, url, description, event_types, "
						+ "secret_encrypted) select :id, :applicationId, :url, :description, :eventTypes, :secret "
						+ "where (select count(*) from webhook_endpoints where application_id = :applicationId "
						+ "and deleted_at is null) < :max returning " + COLUMNS)
				.bind("id", id)
				.bind("applicationId", applicationId)
				.bind("url", request.url())
				.bind("description", (request.description() != null) ? request.description() : "")
				.bind("eventTypes", eventTypes.toArray(String[]::new))
				.bind("secret", this.cipher.encrypt(WebhookSecret.CIPHER_PURPOSE, secret.key()))
				.bind("max", this.limits.maxEndpointsPerApplication())
				.map((row, metadata) -> view(row, secret.encoded()))
				.one())
			.as(this.transaction::transactional);
		return validUrl(request.url()).then(insert)
			.switchIfEmpty(Mono.error(this.limits::endpointLimitReached))
			.map((created) -> ResponseEntity.created(URI.create("/v1/webhook-endpoints/" + created.id()))
				.body(created));
	}

	@GetMapping
	Mono<Page<EndpointView>> list(@AuthenticationPrincipal Jwt jwt,
			@RequestParam(required = false) @Nullable String limit,
			@RequestParam(required = false) @Nullable String cursor) {
		UUID applicationId = Caller.of(jwt).requireApplication();
		int size = Page.limit(limit);
		Page.Position after = Page.after(cursor);
		return this.database
			.sql("select " + COLUMNS + " from webhook_endpoints where application_id = :applicationId "
					+ "and deleted_at is null and (created_at, id) < (:createdAt, :id) "
					+ "order by created_at desc, id desc limit :limit")
			.bind("applicationId", applicationId)
			.bind("createdAt", after.createdAt())
			.bind("id", after.id())
			.bind("limit", size + 1)
			.map((row, metadata) -> view(row, null))
			.all()
			.collectList()
			.map((rows) -> Page.of(rows, size, EndpointView::position, (view) -> view));
	}

	@GetMapping("/{id}")
	Mono<EndpointView> get(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
		return this.database
			.sql("select " + COLUMNS + " from webhook_endpoints where id = :id and application_id = :applicationId "
					+ "and deleted_at is null")
			.bind("id", parse(id))
			.bind("applicationId", Caller.of(jwt).requireApplication())
			.map((row, metadata) -> view(row, null))
			.one()
			.switchIfEmpty(Mono.error(() -> notFound(id)));
	}

	@GetMapping("/{id}/secret")
	Mono<Map<String, String>> secret(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
		return this.database
			.sql("select secret_encrypted from webhook_endpoints where id = :id and application_id = :applicationId "
					+ "and deleted_at is null")
			.bind("id", parse(id))
			.bind("applicationId", Caller.of(jwt).requireApplication())
			.map((row, metadata) -> row.get("secret_encrypted", byte[].class))
			.one()
			.map((sealed) -> Map.of("secret",
					WebhookSecret.ofKey(this.cipher.decrypt(WebhookSecret.CIPHER_PURPOSE, sealed)).encoded()))
			.switchIfEmpty(Mono.error(() -> notFound(id)));
	}

	/**
	 * Deletes the endpoint; its pending deliveries end as failed and nothing more is
	 * sent.
	 */
	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	Mono<Void> delete(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
		return this.database
			.sql("update webhook_endpoints set deleted_at = now(), enabled = false, updated_at = now() "
					+ "where id = :id and application_id = :applicationId and deleted_at is null")
			.bind("id", parse(id))
			.bind("applicationId", Caller.of(jwt).requireApplication())
			.fetch()
			.rowsUpdated()
			.flatMap((count) -> (count == 0) ? Mono.error(notFound(id)) : Mono.empty());
	}

	/** Changes what is given; re-enabling also clears the reason and the failure run. */
	@PatchMapping("/{id}")
	Mono<EndpointView> update(@AuthenticationPrincipal Jwt jwt, @PathVariable String id,
			@Valid @RequestBody UpdateEndpoint request) {
		UUID endpointId = parse(id);
		UUID applicationId = Caller.of(jwt).requireApplication();
		List<String> eventTypes = (request.eventTypes() != null) ? validEventTypes(request.eventTypes()) : null;
		Mono<Void> urlCheck = (request.url() != null) ? validUrl(request.url()) : Mono.empty();
		return urlCheck.then(Mono.defer(() -> {
			DatabaseClient.GenericExecuteSpec update = this.database.sql("""
					update webhook_endpoints
					set url = coalesce(:url, url), event_types = coalesce(:eventTypes, event_types),
					    description = coalesce(:description, description), enabled = coalesce(:enabled, enabled),
					    disabled_reason = case when :enabled is null then disabled_reason
					                           when :enabled then null else 'Disabled by its owner.' end,
					    failing_since = case when :enabled then null else failing_since end,
					    updated_at = now()
					where id = :id and application_id = :applicationId and deleted_at is null
					""" + "returning " + COLUMNS).bind("id", endpointId).bind("applicationId", applicationId);
			update = (request.url() != null) ? update.bind("url", request.url()) : update.bindNull("url", String.class);
			update = (eventTypes != null) ? update.bind("eventTypes", eventTypes.toArray(String[]::new))
					: update.bindNull("eventTypes", String[].class);
			update = (request.description() != null) ? update.bind("description", request.description())
					: update.bindNull("description", String.class);
			update = (request.enabled() != null) ? update.bind("enabled", request.enabled())
					: update.bindNull("enabled", Boolean.class);
			return update.map((row, metadata) -> view(row, null)).one();
		})).switchIfEmpty(Mono.error(() -> notFound(id)));
	}

	/** A new secret; the previous one keeps signing, next to it, for 24 hours. */
	@PostMapping("/{id}/rotate-secret")
	Mono<Map<String, String>> rotateSecret(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
		WebhookSecret secret = WebhookSecret.generate();
		return this.database.sql("""
				update webhook_endpoints
				set previous_secret_encrypted = secret_encrypted,
				    previous_secret_expires_at = now() + interval '24 hours',
				    secret_encrypted = :secret, updated_at = now()
				where id = :id and application_id = :applicationId and deleted_at is null
				returning id""")
			.bind("secret", this.cipher.encrypt(WebhookSecret.CIPHER_PURPOSE, secret.key()))
			.bind("id", parse(id))
			.bind("applicationId", Caller.of(jwt).requireApplication())
			.map((row, metadata) -> Map.of("secret", secret.encoded()))
			.one()
			.switchIfEmpty(Mono.error(() -> notFound(id)));
	}

	private Mono<Void> validUrl(String url) {
		return this.guard.violation(url).flatMap((reason) -> Mono.error(ApiProblem.invalid("url", reason)));
	}

	private static List<String> validEventTypes(List<String> requested) {
		List<ApiProblem.FieldError> errors = new ArrayList<>();
		if (requested.isEmpty()) {
			errors.add(new ApiProblem.FieldError("eventTypes", "must name at least one event type"));
		}
		for (int i = 0; i < requested.size(); i++) {
			if (!EventTypes.ALL.contains(requested.get(i))) {
				errors.add(new ApiProblem.FieldError("eventTypes[" + i + "]",
						"must be one of " + String.join(", ", EventTypes.ALL)));
			}
		}
		if (!errors.isEmpty()) {
			throw ApiProblem.invalid(errors);
		}
		return List.copyOf(new LinkedHashSet<>(requested));
	}

	static UUID parse(String id) {
		return IdKind.ENDPOINT.parse(id).orElseThrow(() -> notFound(id));
	}

	static ApiProblem notFound(String id) {
		return ApiProblem.notFound("There is no webhook endpoint " + id + ".");
	}

	private static EndpointView view(io.r2dbc.spi.Readable row, @Nullable String secret) {
		return new EndpointView(IdKind.ENDPOINT.format(row.get("id", UUID.class)), row.get("url", String.class),
				List.of(row.get("event_types", String[].class)), row.get("description", String.class),
				Boolean.TRUE.equals(row.get("enabled", Boolean.class)), row.get("disabled_reason", String.class),
				secret, row.get("created_at", Instant.class));
	}

	record UpdateEndpoint(@Nullable @Size(max = OutboundUrlGuard.MAX_URL_LENGTH) String url,
			@Nullable List<String> eventTypes, @Nullable @Size(max = 500) String description,
			@Nullable Boolean enabled) {
	}

	record CreateEndpoint(@NotNull @Size(max = OutboundUrlGuard.MAX_URL_LENGTH) String url,
			@NotNull List<String> eventTypes, @Nullable @Size(max = 500) String description) {
	}

	record EndpointView(String id, String url, List<String> eventTypes, @Nullable String description, boolean enabled,
			@Nullable String disabledReason, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String secret,
			Instant createdAt) {

		Page.Position position() {
			return new Page.Position(this.createdAt, IdKind.ENDPOINT.parse(this.id).orElseThrow());
		}

	}

}
