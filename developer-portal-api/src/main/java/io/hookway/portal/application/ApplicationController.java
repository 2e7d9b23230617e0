package io.hookway.portal.application;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.hookway.core.crypto.SecureRandoms;
import io.hookway.core.id.IdKind;
import io.hookway.core.openapi.Refuses;
import io.hookway.core.security.Scopes;
import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.Page;
import io.hookway.core.web.ProblemCode;
import io.hookway.portal.token.ClientSecrets;
import io.hookway.portal.token.SecretHasher;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Applications (API.md §2), managed by the operator. A client secret is shown once, at
 * creation or rotation, and stored only as a slow hash.
 */
@RestController
@Tag(name = "applications")
@RequestMapping("/v1/applications")
class ApplicationController {

	private static final String COLUMNS = "id, name, client_id, scopes, status, created_at";

	private final DatabaseClient database;

	private final TransactionalOperator transaction;

	private final SecretHasher hasher;

	ApplicationController(DatabaseClient database, TransactionalOperator transaction, SecretHasher hasher) {
		this.database = database;
		this.transaction = transaction;
		this.hasher = hasher;
	}

	/**
	 * On the pool that checks secrets, whose bounds protect token issuance: when it is
	 * saturated the operator is asked to retry, as any client would be.
	 */
	private Mono<String> hash(String secret) {
		// a key of its own: only the pool's bounds apply to the operator
		return this.hasher.run("new-secret:" + SecureRandoms.randomUuid(), () -> ClientSecrets.hash(secret))
			.onErrorMap(SecretHasher.Busy.class, (busy) -> {
				ApiProblem problem = new ApiProblem(ProblemCode.BUSY,
						"The portal is busy checking client secrets; retry after the time in Retry-After.");
				problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(busy.retryAfter().toSeconds()));
				return problem;
			});
	}

	@Operation(operationId = "createApplication", summary = "Create an application and its client credentials")
	@Refuses({ ProblemCode.BUSY })
	@ResponseStatus(HttpStatus.CREATED)
	@PostMapping
	Mono<ResponseEntity<ApplicationView>> create(@Valid @RequestBody CreateApplication request) {
		List<String> scopes = validScopes(request.scopes());
		UUID id = IdKind.newUuid();
		String clientId = ClientSecrets.newClientId();
		String secret = ClientSecrets.newSecret();
		return hash(secret)
			.flatMap((hash) -> this.database
				.sql("insert into applications (id, name, client_id, client_secret_hash, scopes) "
						+ "values (:id, :name, :clientId, :hash, :scopes) returning " + COLUMNS)
				.bind("id", id)
				.bind("name", request.name().strip())
				.bind("clientId", clientId)
				.bind("hash", hash)
				.bind("scopes", scopes.toArray(String[]::new))
				.map((row, metadata) -> view(row, secret))
				.one())
			.map((created) -> ResponseEntity.created(URI.create("/v1/applications/" + created.id())).body(created));
	}

	@Operation(operationId = "listApplications", summary = "List applications, newest first")
	@GetMapping
	Mono<Page<ApplicationView>> list(@RequestParam(required = false) @Nullable String limit,
			@RequestParam(required = false) @Nullable String cursor) {
		int size = Page.limit(limit);
		Page.Position after = Page.after(cursor);
		return this.database
			.sql("select " + COLUMNS + " from applications where (created_at, id) < (:createdAt, :id) "
					+ "order by created_at desc, id desc limit :limit")
			.bind("createdAt", after.createdAt())
			.bind("id", after.id())
			.bind("limit", size + 1)
			.map((row, metadata) -> view(row, null))
			.all()
			.collectList()
			.map((rows) -> Page.of(rows, size, ApplicationView::position, (view) -> view));
	}

	@Operation(operationId = "getApplication", summary = "Get an application (without its secret)")
	@GetMapping("/{id}")
	Mono<ApplicationView> get(@PathVariable String id) {
		return this.database.sql("select " + COLUMNS + " from applications where id = :id")
			.bind("id", parse(id))
			.map((row, metadata) -> view(row, null))
			.one()
			.switchIfEmpty(Mono.error(() -> notFound(id)));
	}

	@Operation(operationId = "rotateApplicationSecret", summary = "Rotate an application's client secret")
	@Refuses({ ProblemCode.BUSY })
	@PostMapping("/{id}/rotate-secret")
	Mono<ApplicationView> rotateSecret(@PathVariable String id) {
		UUID applicationId = parse(id);
		String secret = ClientSecrets.newSecret();
		return hash(secret).flatMap((hash) -> this.database
			.sql("update applications set client_secret_hash = :hash, updated_at = now() "
					+ "where id = :id and status = 'ACTIVE' returning " + COLUMNS)
			.bind("hash", hash)
			.bind("id", applicationId)
			.map((row, metadata) -> view(row, secret))
			.one()).switchIfEmpty(Mono.error(() -> notFound(id)));
	}

	/**
	 * Disables the application: its tokens stop working within seconds, its waiting tasks
	 * are cancelled and its pending deliveries end as failed.
	 */
	@Operation(operationId = "disableApplication",
			summary = "Disable an application: its tokens are refused and its pending work cancelled")
	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	Mono<Void> disable(@PathVariable String id) {
		UUID applicationId = parse(id);
		Mono<Long> disabled = this.database
			.sql("update applications set status = 'DISABLED', disabled_at = coalesce(disabled_at, now()), "
					+ "updated_at = now() where id = :id")
			.bind("id", applicationId)
			.fetch()
			.rowsUpdated();
		// work not in a worker's hands stops now; what a worker holds finishes, as a
		// cancel would
		Mono<Long> cancelled = this.database
			.sql("update tasks set status = 'CANCELLED', next_attempt_at = null, completed_at = now(), updated_at = now() "
					+ "where application_id = :id and (status = 'ACCEPTED' or (status = 'RUNNING' and lease_id is null))")
			.bind("id", applicationId)
			.fetch()
			.rowsUpdated();
		Mono<Long> deliveriesStopped = this.database
			.sql("update webhook_deliveries set status = 'FAILED', next_attempt_at = null, updated_at = now() "
					+ "where application_id = :id and status = 'PENDING' and lease_id is null")
			.bind("id", applicationId)
			.fetch()
			.rowsUpdated();
		return disabled.flatMap((count) -> (count == 0) ? Mono.error(notFound(id)) : cancelled.then(deliveriesStopped))
			.as(this.transaction::transactional)
			.then();
	}

	private static List<String> validScopes(@Nullable List<String> requested) {
		if (requested == null) {
			return Scopes.APPLICATION_DEFAULTS;
		}
		List<ApiProblem.FieldError> errors = new ArrayList<>();
		for (int i = 0; i < requested.size(); i++) {
			if (!Scopes.GRANTABLE_TO_APPLICATIONS.contains(requested.get(i))) {
				errors.add(new ApiProblem.FieldError("scopes[" + i + "]", "must be one of "
						+ String.join(", ", Scopes.GRANTABLE_TO_APPLICATIONS.stream().sorted().toList())));
			}
		}
		if (requested.isEmpty()) {
			errors.add(new ApiProblem.FieldError("scopes", "must name at least one scope"));
		}
		if (!errors.isEmpty()) {
			throw ApiProblem.invalid(errors);
		}
		return List.copyOf(new LinkedHashSet<>(requested));
	}

	private static UUID parse(String id) {
		return IdKind.APPLICATION.parse(id).orElseThrow(() -> notFound(id));
	}

	private static ApiProblem notFound(String id) {
		return ApiProblem.notFound("There is no application " + id + ".");
	}

	private static ApplicationView view(io.r2dbc.spi.Readable row, @Nullable String secret) {
		return new ApplicationView(IdKind.APPLICATION.format(row.get("id", UUID.class)), row.get("name", String.class),
				row.get("client_id", String.class), secret, List.of(row.get("scopes", String[].class)),
				row.get("status", String.class), row.get("created_at", Instant.class));
	}

	record CreateApplication(@NotBlank @Size(max = 200) String name, @ArraySchema(minItems = 1,
			schema = @Schema(allowableValues = {
					Scopes.TASKS_WRITE, Scopes.TASKS_READ, Scopes.WEBHOOKS_MANAGE, Scopes.TASKS_COMPLETE,
					Scopes.EVENTS_PUBLISH }),
			arraySchema = @Schema(
					description = "Defaults to tasks:write tasks:read webhooks:manage when absent")) @Nullable List<String> scopes){
	}

	record ApplicationView(String id, String name, String clientId,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String clientSecret, List<String> scopes,
			String status, Instant createdAt) {

		Page.Position position() {
			return new Page.Position(this.createdAt, IdKind.APPLICATION.parse(this.id).orElseThrow());
		}

	}

}
