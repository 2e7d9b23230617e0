package io.hookway.gateway.ingest;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.postgresql.codec.Json;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.id.IdKind;
import io.hookway.core.route.RouteSettings;
import io.hookway.core.security.Caller;
import io.hookway.core.tracing.Traces;
import io.hookway.core.web.ApiProblem;
import io.hookway.gateway.GatewaySettings;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code <METHOD> /api/{route}/{path…}}: stores the call as a task and answers 202 once
 * the row is committed. The body is read up to the configured limit and never further.
 */
@RestController
class IngestController {

	private static final Logger logger = LoggerFactory.getLogger(IngestController.class);

	/**
	 * Headers never stored or forwarded: credentials, hop-by-hop ones (RFC 9110 §7.6.1),
	 * the body's framing and encoding, since the body is stored decoded, and the trace
	 * context, which the task carries on in a column of its own.
	 */
	private static final Set<String> DROPPED_HEADERS = Set.of("authorization", "cookie", "connection", "keep-alive",
			"proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding",
			"upgrade", "host", "content-length", "content-encoding", "idempotency-key", "traceparent", "tracestate");

	private final RouteSettings routes;

	private final GatewaySettings settings;

	private final DatabaseClient database;

	private final JsonMapper json;

	private final TaskInserter inserter;

	private final MeterRegistry meters;

	private final BodyBudget budget;

	IngestController(RouteSettings routes, GatewaySettings settings, DatabaseClient database, JsonMapper json,
			TaskInserter inserter, MeterRegistry meters, BodyBudget budget) {
		this.budget = budget;
		this.routes = routes;
		this.settings = settings;
		this.database = database;
		this.json = json;
		this.inserter = inserter;
		this.meters = meters;
	}

	@RequestMapping({ "/api/{route}", "/api/{route}/**" })
	Mono<ResponseEntity<AcceptedTask>> accept(@PathVariable String route, ServerWebExchange exchange,
			@AuthenticationPrincipal Jwt jwt) {
		ServerHttpRequest request = exchange.getRequest();
		UUID applicationId = Caller.of(jwt).requireApplication();
		RouteSettings.Route target = this.routes.route(route)
			.orElseThrow(() -> ApiProblem.notFound("There is no route named " + route + "."));
		if (!target.allows(request.getMethod())) {
			throw new MethodNotAllowedException(request.getMethod(),
					target.allowedMethods().stream().map(org.springframework.http.HttpMethod::valueOf).toList());
		}
		String idempotencyKey = idempotencyKey(request.getHeaders());
		// the raw elements after /api/{route}, exactly as sent, whatever encoding the
		// route name used
		String path = request.getPath().pathWithinApplication().subPath(4).value();
		String query = request.getURI().getRawQuery();
		int limit = (int) this.settings.maxBodySize().toBytes();
		BodyBudget.Reservation reservation = this.budget.tryReserve(RequestBodies.bytesToHold(request, limit));
		if (reservation == null) {
			return RequestBodies.discard(request, limit).then(Mono.error(BodyBudget::busy));
		}
		return RequestBodies.read(request, limit).flatMap((body) -> {
			NewTask task = new NewTask(IdKind.newUuid(), applicationId, route, request.getMethod().name(),
					path.isEmpty() ? "/" : path, query,
					this.json.writeValueAsString(ForwardedHeaders.apply(headers(request.getHeaders()), request)), body,
					idempotencyKey, Traces.traceparentOf(exchange));
			reservation.shrinkTo(task.weight());
			long due = System.nanoTime() + this.settings.databaseTimeout().toNanos();
			return (idempotencyKey != null) ? insertIdempotent(task, due)
					: this.inserter.insert(task).map(Accepted::fresh);
		})
			.doFinally((signal) -> reservation.release())
			.doOnNext((accepted) -> log(accepted, applicationId))
			.map(this::response);
	}

	/**
	 * When the Idempotency-Key is taken, the row holding it is read back instead.
	 * Postgres makes a concurrent insert of the same key wait for the first one's commit,
	 * so a racing request sees the first task, never a second one. The read-back gets
	 * what is left of the call's database timeout ({@code due}, in nanoTime), not a
	 * timeout of its own.
	 */
	private Mono<Accepted> insertIdempotent(NewTask task, long due) {
		byte[] hash = task.requestHash();
		Mono<StoredTask> readBack = this.database
			.sql("select id, route, created_at, request_hash from tasks "
					+ "where application_id = :applicationId and idempotency_key = :idempotencyKey")
			.bind("applicationId", task.applicationId())
			.bind("idempotencyKey", task.idempotencyKey())
			.map((row, metadata) -> new StoredTask(row.get("id", UUID.class), row.get("route", String.class),
					row.get("created_at", Instant.class), row.get("request_hash", byte[].class)))
			.one();
		Mono<Accepted> existing = Mono.defer(() -> {
			long left = due - System.nanoTime();
			return (left > 0) ? readBack.timeout(Duration.ofNanos(left))
					: Mono.error(new TimeoutException("No time left to read back the task holding the key"));
		})
			.switchIfEmpty(Mono.error(() -> ApiProblem.conflict("idempotency_key_in_use",
					"A request with this Idempotency-Key is still being processed; retry shortly.")))
			.map((stored) -> {
				if (!MessageDigest.isEqual(stored.requestHash(), hash)) {
					throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency_key_reused",
							"This Idempotency-Key was already used with a different request.");
				}
				return Accepted.replayed(stored);
			});
		return this.inserter.insert(task).map(Accepted::fresh).switchIfEmpty(existing);
	}

	private static void log(Accepted accepted, UUID applicationId) {
		String taskId = IdKind.TASK.format(accepted.task().id());
		String application = IdKind.APPLICATION.format(applicationId);
		logger.atDebug()
			.addKeyValue("taskId", taskId)
			.addKeyValue("applicationId", application)
			.addKeyValue("route", accepted.task().route())
			.addKeyValue("replayed", accepted.replayed())
			.log("Accepted task {} of application {} on route {}{}", taskId, application, accepted.task().route(),
					accepted.replayed() ? " (replayed)" : "");
	}

	private ResponseEntity<AcceptedTask> response(Accepted accepted) {
		StoredTask task = accepted.task();
		this.meters
			.counter("hookway.calls.accepted", "route", task.route(), "replayed", Boolean.toString(accepted.replayed()))
			.increment();
		String taskId = IdKind.TASK.format(task.id());
		String statusUrl = "/v1/tasks/" + taskId;
		ResponseEntity.BodyBuilder response = ResponseEntity.accepted()
			.location(URI.create(statusUrl))
			.header(HttpHeaders.RETRY_AFTER, Integer.toString(this.settings.pollAfterSeconds()));
		if (accepted.replayed()) {
			response.header("Idempotent-Replayed", "true");
		}
		return response.body(new AcceptedTask(taskId, "ACCEPTED", task.route(), task.createdAt(), statusUrl));
	}

	private static @Nullable String idempotencyKey(HttpHeaders headers) {
		List<String> values = headers.get("Idempotency-Key");
		if (values == null || values.isEmpty()) {
			return null;
		}
		String key = values.get(0);
		boolean visibleAscii = !key.isEmpty() && key.length() <= 255
				&& key.chars().allMatch((c) -> c >= 0x21 && c <= 0x7e);
		if (values.size() > 1 || !visibleAscii) {
			throw ApiProblem.badRequest("Idempotency-Key must be one value of 1 to 255 visible ASCII characters.");
		}
		return key;
	}

	private static Map<String, List<String>> headers(HttpHeaders headers) {
		Map<String, List<String>> kept = new LinkedHashMap<>();
		headers.forEach((name, values) -> {
			String lower = name.toLowerCase(Locale.ROOT);
			if (!DROPPED_HEADERS.contains(lower)) {
				kept.computeIfAbsent(lower, (key) -> new ArrayList<>()).addAll(values);
			}
		});
		return kept;
	}

	private record Accepted(StoredTask task, boolean replayed) {

		static Accepted fresh(StoredTask task) {
			return new Accepted(task, false);
		}

		static Accepted replayed(StoredTask task) {
			return new Accepted(task, true);
		}

	}

	record AcceptedTask(String taskId, String status, String route, Instant createdAt, String statusUrl) {
	}

}
