package io.hookway.portal.endpoint;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.id.IdKind;
import io.hookway.core.openapi.Refuses;
import io.hookway.core.outbound.OutboundUrlGuard;
import io.hookway.core.security.Caller;
import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.Page;
import io.hookway.core.web.ProblemCode;
import io.hookway.core.webhook.EndpointHeaders;
import io.hookway.core.webhook.WebhookSecret;
import io.hookway.portal.endpoint.EndpointRequests.CreateEndpoint;
import io.hookway.portal.endpoint.EndpointRequests.UpdateEndpoint;
import io.hookway.portal.eventtype.Subscriptions;
import io.hookway.portal.limits.PortalLimits;

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
 * An application's webhook endpoints (API.md §5, §10). Every query names the caller's
 * application, so another application's endpoint is indistinguishable from one that does
 * not exist.
 */
@RestController
@Tag(name = "webhook-endpoints")
@RequestMapping("/v1/webhook-endpoints")
public class WebhookEndpointController {

	private static final String COLUMNS = EndpointView.COLUMNS;

	/** A single endpoint's view: with its headers. */
	private static final String ONE = COLUMNS + ", headers_encrypted";

	private final DatabaseClient database;

	private final SecretCipher cipher;

	private final OutboundUrlGuard guard;

	private final TransactionalOperator transaction;

	private final PortalLimits limits;

	private final Subscriptions subscriptions;

	WebhookEndpointController(DatabaseClient database, SecretCipher cipher, OutboundUrlGuard guard,
			TransactionalOperator transaction, PortalLimits limits, Subscriptions subscriptions) {
		this.database = database;
		this.cipher = cipher;
		this.guard = guard;
		this.transaction = transaction;
		this.limits = limits;
		this.subscriptions = subscriptions;
	}

	/** Creates the endpoint unless the application has its maximum already. */
	@Operation(operationId = "createEndpoint", summary = "Register a webhook endpoint")
	@Refuses({ ProblemCode.ENDPOINT_LIMIT_REACHED, ProblemCode.DNS_TIMEOUT })
	@ResponseStatus(HttpStatus.CREATED)
	@PostMapping
	public Mono<ResponseEntity<EndpointView>> create(@AuthenticationPrincipal Jwt jwt,
			@Valid @RequestBody CreateEndpoint request) {
		UUID applicationId = Caller.of(jwt).requireApplication();
		Map<String, String> headers = (request.headers() != null) ? request.headers() : Map.of();
		DeliverySettings.check(headers, request.rateLimit());
		return this.subscriptions.check(request.eventTypes())
			.flatMap((eventTypes) -> validUrl(request.url()).then(insert(applicationId, request, eventTypes, headers)))
			.switchIfEmpty(Mono.error(this.limits::endpointLimitReached))
			.map((created) -> ResponseEntity.created(URI.create("/v1/webhook-endpoints/" + created.id()))
				.body(created));
	}

	/**
	 * Empty when the application has its maximum of endpoints. The application's row is
	 * locked first, so that concurrent creations count each other.
	 */
	private Mono<EndpointView> insert(UUID applicationId, CreateEndpoint request, List<String> eventTypes,
			Map<String, String> headers) {
		WebhookSecret secret = WebhookSecret.generate();
		DatabaseClient.GenericExecuteSpec insert = this.database
			.sql("insert into webhook_endpoints (id, application_id, url, description, event_types, secret_encrypted, "
					+ "headers_encrypted, rate_limit) select :id, :applicationId, :url, :description, :eventTypes, "
					+ ":secret, :headers, :rateLimit where (select count(*) from webhook_endpoints "
					+ "where application_id = :applicationId and deleted_at is null) < :max returning " + COLUMNS)
			.bind("id", IdKind.newUuid())
			.bind("applicationId", applicationId)
			.bind("url", request.url())
			.bind("description", (request.description() != null) ? request.description() : "")
			.bind("eventTypes", eventTypes.toArray(String[]::new))
			.bind("secret", this.cipher.encrypt(WebhookSecret.CIPHER_PURPOSE, secret.key()))
			.bind("max", this.limits.maxEndpointsPerApplication());
		return this.database.sql("select id from applications where id = :applicationId for no key update")
			.bind("applicationId", applicationId)
			.then()
			.then(bindNullable(insert, headers, request.rateLimit())
				.map((row) -> EndpointView.of(row, secret.encoded(), headers))
				.one())
			.as(this.transaction::transactional);
	}

	@Operation(operationId = "listEndpoints", summary = "List the application's webhook endpoints")
	@GetMapping
	public Mono<Page<EndpointView>> list(@AuthenticationPrincipal Jwt jwt,
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
			.map((row) -> EndpointView.of(row, null, null))
			.all()
			.collectList()
			.map((rows) -> Page.of(rows, size, EndpointView::position, (view) -> view));
	}

	@Operation(operationId = "getEndpoint", summary = "Get a webhook endpoint")
	@GetMapping("/{id}")
	public Mono<EndpointView> get(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
		return this.database
			.sql("select " + ONE + " from webhook_endpoints where id = :id and application_id = :applicationId "
					+ "and deleted_at is null")
			.bind("id", parse(id))
			.bind("applicationId", Caller.of(jwt).requireApplication())
			.map(this::withHeaders)
			.one()
			.switchIfEmpty(Mono.error(() -> notFound(id)));
	}

	/**
	 * Deletes the endpoint; its pending deliveries end as failed and nothing more is
	 * sent.
	 */
	@Operation(operationId = "deleteEndpoint", summary = "Delete a webhook endpoint")
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

	/**
	 * Changes what is given; re-enabling also clears the reason and the failure run.
	 * {@code "headers": {}} removes the headers, {@code "rateLimit": null} the limit.
	 */
	@Operation(operationId = "updateEndpoint", summary = "Change a webhook endpoint")
	@Refuses({ ProblemCode.DNS_TIMEOUT })
	@PatchMapping("/{id}")
	public Mono<EndpointView> update(@AuthenticationPrincipal Jwt jwt, @PathVariable String id,
			@Valid @RequestBody UpdateEndpoint request) {
		UUID endpointId = parse(id);
		UUID applicationId = Caller.of(jwt).requireApplication();
		Integer rateLimit = (request.rateLimit() != null) ? request.rateLimit().value() : null;
		DeliverySettings.check(request.headers(), rateLimit);
		Mono<Optional<List<String>>> eventTypes = (request.eventTypes() != null)
				? this.subscriptions.check(request.eventTypes()).map(Optional::of) : Mono.just(Optional.empty());
		Mono<Void> urlCheck = (request.url() != null) ? validUrl(request.url()) : Mono.empty();
		return eventTypes.flatMap((types) -> urlCheck.then(Mono.defer(() -> {
			DatabaseClient.GenericExecuteSpec update = this.database.sql("""
					update webhook_endpoints
					set url = coalesce(:url, url), event_types = coalesce(:eventTypes, event_types),
					    description = coalesce(:description, description), enabled = coalesce(:enabled, enabled),
					    disabled_reason = case when :enabled is null then disabled_reason
					                           when :enabled then null else 'Disabled by its owner.' end,
					    failing_since = case when :enabled then null else failing_since end,
					    headers_encrypted = case when :setHeaders then :headers else headers_encrypted end,
					    rate_limit = case when :setRateLimit then :rateLimit else rate_limit end,
					    updated_at = now()
					where id = :id and application_id = :applicationId and deleted_at is null
					""" + "returning " + ONE)
				.bind("id", endpointId)
				.bind("applicationId", applicationId)
				.bind("setHeaders", request.headers() != null)
				.bind("setRateLimit", request.rateLimit() != null);
			update = (request.url() != null) ? update.bind("url", request.url()) : update.bindNull("url", String.class);
			update = types.isPresent() ? update.bind("eventTypes", types.get().toArray(String[]::new))
					: update.bindNull("eventTypes", String[].class);
			update = (request.description() != null) ? update.bind("description", request.description())
					: update.bindNull("description", String.class);
			update = (request.enabled() != null) ? update.bind("enabled", request.enabled())
					: update.bindNull("enabled", Boolean.class);
			Map<String, String> headers = (request.headers() != null) ? request.headers() : Map.of();
			return bindNullable(update, headers, rateLimit).map(this::withHeaders).one();
		}))).switchIfEmpty(Mono.error(() -> notFound(id)));
	}

	private Mono<Void> validUrl(String url) {
		return this.guard.violation(url).flatMap((reason) -> Mono.error(ApiProblem.invalid("url", reason)));
	}

	/** Binds {@code :headers} (sealed; null for none) and {@code :rateLimit}. */
	private DatabaseClient.GenericExecuteSpec bindNullable(DatabaseClient.GenericExecuteSpec statement,
			Map<String, String> headers, @Nullable Integer rateLimit) {
		byte[] sealed = EndpointHeaders.seal(this.cipher, headers);
		statement = (sealed != null) ? statement.bind("headers", sealed) : statement.bindNull("headers", byte[].class);
		return (rateLimit != null) ? statement.bind("rateLimit", rateLimit)
				: statement.bindNull("rateLimit", Integer.class);
	}

	private EndpointView withHeaders(io.r2dbc.spi.Readable row) {
		return EndpointView.of(row, null,
				EndpointHeaders.open(this.cipher, row.get("headers_encrypted", byte[].class)));
	}

	static UUID parse(String id) {
		return IdKind.ENDPOINT.parse(id).orElseThrow(() -> notFound(id));
	}

	static ApiProblem notFound(String id) {
		return ApiProblem.notFound("There is no webhook endpoint " + id + ".");
	}

}
