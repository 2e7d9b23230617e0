package io.hookway.dispatcher.execution;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.netty.channel.ChannelOption;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.resources.ConnectionProvider;

import io.hookway.core.id.IdKind;
import io.hookway.core.route.RouteSettings;
import io.hookway.core.task.CompletionToken;
import io.hookway.core.tracing.Traces;
import io.hookway.core.web.Bodies;
import io.hookway.dispatcher.DispatcherSettings;
import io.hookway.dispatcher.queue.RetryAfter;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Sends a stored call to its route's upstream: the original method, path, query, body and
 * headers (minus credentials and hop-by-hop headers, which the gateway never stored),
 * plus {@code Hookway-Task-Id}, {@code Hookway-Application-Id} and the attempt's
 * {@code Hookway-Completion-Token}. The call is observed as {@code hookway.upstream} (a
 * timer by route and outcome, and a span continuing the client's trace), so the W3C
 * {@code traceparent} the upstream receives belongs to the client's trace. Redirects are
 * not followed.
 */
@Component
class UpstreamClient {

	/**
	 * Dropped again on the way out: the dispatcher reads the body itself and decodes it,
	 * and sends the trace context of its own span (rows stored by older gateways may
	 * still hold the client's).
	 */
	private static final Set<String> NOT_FORWARDED = Set.of("accept-encoding", "content-length", "host", "traceparent",
			"tracestate");

	private final WebClient client;

	private final int maxResponseBytes;

	private final ObservationRegistry observations;

	UpstreamClient(WebClient.Builder builder, DispatcherSettings settings, ObservationRegistry observations) {
		HttpClient http = HttpClient.create(ConnectionProvider.builder("hookway-upstreams").maxConnections(512).build())
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
			.compress(true)
			.followRedirect(false);
		this.client = builder.clone().clientConnector(new ReactorClientHttpConnector(http)).build();
		this.maxResponseBytes = (int) settings.maxResponseSize().toBytes();
		this.observations = observations;
	}

	Mono<UpstreamResponse> call(ClaimedTask task, RouteSettings.Route route) {
		Observation observation = Traces.continuing("hookway.upstream", task.traceParent(), this.observations)
			.contextualName("upstream " + task.route())
			.lowCardinalityKeyValue("route", task.route())
			.lowCardinalityKeyValue("outcome", "error")
			.highCardinalityKeyValue("hookway.task.id", IdKind.TASK.format(task.id()));
		return Traces.within(observation, send(task, route).doOnNext((response) -> observation
			.lowCardinalityKeyValue("outcome", Traces.statusClass(response.statusCode()))));
	}

	private Mono<UpstreamResponse> send(ClaimedTask task, RouteSettings.Route route) {
		URI uri = URI.create(stripTrailingSlash(route.upstream().toString()) + task.path()
				+ ((task.query() != null) ? "?" + task.query() : ""));
		return this.client.method(HttpMethod.valueOf(task.method())).uri(uri).headers((headers) -> {
			task.headers().forEach((name, values) -> {
				// Hookway-* names are the platform's alone, whatever a row stored by an
				// older gateway still holds
				if (!NOT_FORWARDED.contains(name) && !name.startsWith("hookway-")) {
					headers.addAll(name, values);
				}
			});
			headers.set("Hookway-Task-Id", IdKind.TASK.format(task.id()));
			headers.set("Hookway-Application-Id", IdKind.APPLICATION.format(task.applicationId()));
			if (task.completionToken() != null) {
				headers.set(CompletionToken.HEADER, task.completionToken());
			}
		})
			.bodyValue(task.body())
			.httpRequest((request) -> request.<HttpClientRequest>getNativeRequest().responseTimeout(route.timeout()))
			.exchangeToMono(
					(response) -> Bodies.readAtMost(response.bodyToFlux(DataBuffer.class), this.maxResponseBytes)
						.map((body) -> new UpstreamResponse(response.statusCode().value(),
								headers(response.headers().asHttpHeaders()), body,
								retryAfter(response.headers().asHttpHeaders()))))
			.timeout(route.timeout());
	}

	private static Map<String, String> headers(HttpHeaders headers) {
		Map<String, String> flat = new LinkedHashMap<>();
		headers.forEach((name, values) -> flat.merge(name.toLowerCase(Locale.ROOT), String.join(", ", values),
				(first, second) -> first + ", " + second));
		return flat;
	}

	/** {@code Retry-After} as delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
	static @Nullable Duration retryAfter(HttpHeaders headers) {
		return RetryAfter.of(headers);
	}

	private static String stripTrailingSlash(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

}
