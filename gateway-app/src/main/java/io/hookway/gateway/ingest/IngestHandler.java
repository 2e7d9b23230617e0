package io.hookway.gateway.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import io.hookway.core.id.IdKind;
import io.hookway.core.route.RouteSettings;
import io.hookway.core.security.Caller;
import io.hookway.core.tracing.Traces;
import io.hookway.core.web.ApiProblem;
import io.hookway.gateway.GatewaySettings;
import io.hookway.gateway.idempotency.IdempotencyKey;
import io.hookway.gateway.ingest.IdempotencyKeys.Accepted;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.MethodNotAllowedException;

/**
 * {@code <METHOD> /api/{route}/{path…}}: stores the call as a task and answers 202 once
 * the row is committed. The body is read up to the configured limit and never further.
 * <p>
 * A functional endpoint rather than an annotated controller, and its 202 written by hand:
 * this is the gateway's hot path, and argument resolution, return-value handling and
 * content negotiation cost more per call than a fixed answer needs.
 */
@Component
class IngestHandler implements HandlerFunction<ServerResponse> {

	private static final Logger logger = LoggerFactory.getLogger(IngestHandler.class);

	private final RouteSettings routes;

	private final TaskInserter inserter;

	private final IdempotencyKeys keys;

	private final BodyBudget budget;

	private final MeterRegistry meters;

	private final int limit;

	private final long databaseTimeoutNanos;

	private final String retryAfter;

	/** {@code hookway.calls.accepted} by route (configured, so few) and replay. */
	private final Map<String, Counter[]> acceptedCounters = new ConcurrentHashMap<>();

	IngestHandler(RouteSettings routes, GatewaySettings settings, TaskInserter inserter, IdempotencyKeys keys,
			BodyBudget budget, MeterRegistry meters) {
		this.routes = routes;
		this.inserter = inserter;
		this.keys = keys;
		this.budget = budget;
		this.meters = meters;
		this.limit = (int) settings.maxBodySize().toBytes();
		this.databaseTimeoutNanos = settings.databaseTimeout().toNanos();
		this.retryAfter = Integer.toString(settings.pollAfterSeconds());
	}

	@Override
	public Mono<ServerResponse> handle(ServerRequest request) {
		// the chain admits only verified bearer tokens here
		return request.principal()
			.cast(JwtAuthenticationToken.class)
			.switchIfEmpty(Mono.error(() -> new IllegalStateException("An unauthenticated call reached ingest")))
			.flatMap((principal) -> accept(request, Caller.of(principal.getToken()).requireApplication()));
	}

	private Mono<ServerResponse> accept(ServerRequest request, UUID applicationId) {
		ServerHttpRequest http = request.exchange().getRequest();
		String route = request.pathVariable("route");
		RouteSettings.Route target = this.routes.route(route)
			.orElseThrow(() -> ApiProblem.notFound("There is no route named " + route + "."));
		HttpMethod method = http.getMethod();
		if (!target.allows(method)) {
			throw new MethodNotAllowedException(method,
					target.allowedMethods().stream().map(HttpMethod::valueOf).toList());
		}
		String idempotencyKey = IdempotencyKey.of(http.getHeaders());
		// the raw elements after /api/{route}, exactly as sent, whatever encoding the
		// route name used
		String path = http.getPath().pathWithinApplication().subPath(4).value();
		String query = http.getURI().getRawQuery();
		BodyBudget.Reservation reservation = this.budget.tryReserve(RequestBodies.bytesToHold(http, this.limit));
		if (reservation == null) {
			return RequestBodies.discard(http, this.limit).then(Mono.error(BodyBudget::busy));
		}
		return RequestBodies.read(http, this.limit).flatMap((body) -> {
			NewTask task = new NewTask(IdKind.newUuid(), applicationId, route, method.name(),
					path.isEmpty() ? "/" : path, query, StoredHeaders.json(http), body, idempotencyKey,
					Traces.traceparentOf(request.exchange()));
			reservation.shrinkTo(task.weight());
			return (idempotencyKey != null) ? this.keys.insert(task, System.nanoTime() + this.databaseTimeoutNanos)
					: this.inserter.insert(task).map(Accepted::fresh);
		}).doFinally((signal) -> reservation.release()).flatMap((accepted) -> answer(accepted, applicationId));
	}

	/**
	 * 202 with {@code Location} and {@code Retry-After}, and the task as
	 * {@code {"taskId", "status", "route", "createdAt", "statusUrl"}}.
	 */
	private Mono<ServerResponse> answer(Accepted accepted, UUID applicationId) {
		StoredTask task = accepted.task();
		String taskId = IdKind.TASK.format(task.id());
		if (logger.isDebugEnabled()) {
			log(taskId, accepted, applicationId);
		}
		counter(task.route(), accepted.replayed()).increment();
		String statusUrl = "/v1/tasks/" + taskId;
		StringBuilder json = new StringBuilder(160).append("{\"taskId\":\"")
			.append(taskId)
			.append("\",\"status\":\"ACCEPTED\",\"route\":");
		JsonStrings.quote(task.route(), json);
		json.append(",\"createdAt\":\"")
			.append(task.createdAt())
			.append("\",\"statusUrl\":\"")
			.append(statusUrl)
			.append("\"}");
		byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
		ServerResponse.BodyBuilder response = ServerResponse.accepted()
			.header(HttpHeaders.LOCATION, statusUrl)
			.header(HttpHeaders.RETRY_AFTER, this.retryAfter);
		if (accepted.replayed()) {
			response.header("Idempotent-Replayed", "true");
		}
		return response.contentType(MediaType.APPLICATION_JSON)
			.contentLength(body.length)
			.build((exchange, context) -> exchange.getResponse()
				.writeWith(Mono.fromSupplier(() -> exchange.getResponse().bufferFactory().wrap(body))));
	}

	private Counter counter(String route, boolean replayed) {
		return this.acceptedCounters.computeIfAbsent(route,
				(name) -> new Counter[] { acceptedCounter(name, false), acceptedCounter(name, true) })[replayed ? 1
						: 0];
	}

	private Counter acceptedCounter(String route, boolean replayed) {
		return this.meters.counter("hookway.calls.accepted", "route", route, "replayed", Boolean.toString(replayed));
	}

	private static void log(String taskId, Accepted accepted, UUID applicationId) {
		String application = IdKind.APPLICATION.format(applicationId);
		logger.atDebug()
			.addKeyValue("taskId", taskId)
			.addKeyValue("applicationId", application)
			.addKeyValue("route", accepted.task().route())
			.addKeyValue("replayed", accepted.replayed())
			.log("Accepted task {} of application {} on route {}{}", taskId, application, accepted.task().route(),
					accepted.replayed() ? " (replayed)" : "");
	}

}
