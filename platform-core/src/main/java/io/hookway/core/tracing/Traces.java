package io.hookway.core.tracing;

import java.util.Map;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.server.ServerWebExchange;

/**
 * A trace crosses the task queue as a W3C {@code traceparent} stored with the row: the
 * gateway stores that of the call it accepted, and the dispatcher continues it for the
 * upstream call and the webhook deliveries, whose HTTP clients then send a
 * {@code traceparent} of the same trace.
 */
public final class Traces {

	public static final String TRACEPARENT = "traceparent";

	private Traces() {
	}

	/**
	 * The {@code traceparent} of the span serving this request, a child of the client's
	 * when it sent one; null when tracing is off.
	 */
	public static @Nullable String traceparentOf(ServerWebExchange exchange) {
		ServerRequestObservationContext context = ServerRequestObservationContext.findCurrent(exchange.getAttributes())
			.orElse(null);
		TracingObservationHandler.TracingContext tracing = (context != null)
				? context.get(TracingObservationHandler.TracingContext.class) : null;
		Span span = (tracing != null) ? tracing.getSpan() : null;
		return (span != null) ? format(span.context()) : null;
	}

	/**
	 * A not yet started observation whose span continues the stored trace, or starts a
	 * trace of its own when nothing was stored.
	 */
	public static Observation continuing(String name, @Nullable String traceparent, ObservationRegistry registry) {
		ReceiverContext<Map<String, String>> context = new ReceiverContext<>((carrier, key) -> carrier.get(key));
		context.setCarrier((traceparent != null) ? Map.of(TRACEPARENT, traceparent) : Map.of());
		return Observation.createNotStarted(name, () -> context, registry);
	}

	/**
	 * Runs the work inside the observation: started on subscription, stopped when the
	 * work ends however it ends, and the parent of observations made within it, such as a
	 * WebClient exchange's.
	 */
	public static <T> Mono<T> within(Observation observation, Mono<T> work) {
		return Mono.defer(() -> {
			observation.start();
			return work;
		})
			.doOnError(observation::error)
			.doFinally((signal) -> observation.stop())
			.contextWrite(Context.of(ObservationThreadLocalAccessor.KEY, observation));
	}

	/** {@code 2xx}, {@code 4xx} …: a status as a tag of few values. */
	public static String statusClass(int status) {
		return (status / 100) + "xx";
	}

	private static @Nullable String format(TraceContext context) {
		String traceId = context.traceId();
		String spanId = context.spanId();
		if (traceId.length() != 32 || spanId.length() != 16) {
			return null;
		}
		return "00-" + traceId + "-" + spanId + "-" + (Boolean.TRUE.equals(context.sampled()) ? "01" : "00");
	}

}
