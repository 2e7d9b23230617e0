package io.hookway.dispatcher.delivery;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.resources.ConnectionProvider;

import io.hookway.core.id.IdKind;
import io.hookway.core.outbound.GuardedAddressResolverGroup;
import io.hookway.core.outbound.HostLookup;
import io.hookway.core.outbound.OutboundUrlGuard;
import io.hookway.core.outbound.WebhookSettings;
import io.hookway.core.tracing.Traces;
import io.hookway.core.webhook.WebhookSigner;
import io.hookway.dispatcher.queue.RetryAfter;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Sends one webhook attempt: checks the endpoint's address again, signs the message with
 * every still-valid secret of its endpoint (Standard Webhooks) and POSTs it with the
 * endpoint's static headers, never following a redirect. Every failure is an outcome, not
 * an error.
 */
final class WebhookSender {

	private final WebhookSettings webhooks;

	private final OutboundUrlGuard guard;

	private final WebClient client;

	private final ObservationRegistry observations;

	WebhookSender(WebhookSettings webhooks, OutboundUrlGuard guard, WebClient.Builder builder,
			ObservationRegistry observations) {
		this.webhooks = webhooks;
		this.guard = guard;
		HttpClient http = HttpClient.create(ConnectionProvider.builder("hookway-webhooks").maxConnections(512).build())
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(webhooks.timeout().toMillis(), 10_000))
			.resolver(new GuardedAddressResolverGroup(guard))
			.followRedirect(false);
		this.client = builder.clone()
			.clientConnector(new ReactorClientHttpConnector(http))
			.observationConvention(new WebhookClientConvention())
			.build();
		this.observations = observations;
	}

	Mono<Attempt> send(ClaimedDelivery delivery) {
		return this.guard.violation(delivery.url())
			// a name server that does not answer fails this attempt; the schedule retries
			// it
			.onErrorResume(HostLookup.LookupTimeoutException.class, (ex) -> Mono.just(ex.getMessage()))
			.map(Attempt::notSent)
			.switchIfEmpty(Mono.defer(() -> observed(delivery)));
	}

	/**
	 * One attempt, observed as {@code hookway.webhook} (a timer by outcome, and a span in
	 * the trace of the task the message reports on), so the receiver gets a
	 * {@code traceparent} of that trace.
	 */
	private Mono<Attempt> observed(ClaimedDelivery delivery) {
		Observation observation = Traces.continuing("hookway.webhook", delivery.traceParent(), this.observations)
			.contextualName("webhook delivery")
			.lowCardinalityKeyValue("outcome", "error")
			.highCardinalityKeyValue("hookway.delivery.id", IdKind.DELIVERY.format(delivery.id()))
			.highCardinalityKeyValue("hookway.message.id", IdKind.MESSAGE.format(delivery.messageId()));
		return Traces.within(observation, post(delivery).doOnNext((attempt) -> {
			if (attempt.statusCode() != null) {
				observation.lowCardinalityKeyValue("outcome", Traces.statusClass(attempt.statusCode()));
			}
		}));
	}

	private Mono<Attempt> post(ClaimedDelivery delivery) {
		String messageId = IdKind.MESSAGE.format(delivery.messageId());
		long timestamp = Instant.now().getEpochSecond();
		String signature = WebhookSigner.signatureHeader(delivery.secrets(), messageId, timestamp, delivery.payload());
		Instant started = Instant.now();
		Map<String, String> headers = delivery.headers();
		return this.client.post()
			.uri(delivery.url())
			// first, and without the names set below: those always win
			.headers((set) -> {
				if (headers != null) {
					headers.forEach(set::set);
				}
			})
			.contentType(MediaType.APPLICATION_JSON)
			.header("webhook-id", messageId)
			.header("webhook-timestamp", Long.toString(timestamp))
			.header("webhook-signature", signature)
			.header(HttpHeaders.USER_AGENT, "Hookway-Webhooks/1")
			.bodyValue(delivery.payload())
			.httpRequest(
					(request) -> request.<HttpClientRequest>getNativeRequest().responseTimeout(this.webhooks.timeout()))
			.exchangeToMono((response) -> response.releaseBody()
				.thenReturn(Attempt.answered(started, response.statusCode().value(),
						RetryAfter.of(response.headers().asHttpHeaders()))))
			.timeout(this.webhooks.timeout())
			.onErrorResume((ex) -> Mono.just(Attempt.failed(started, describe(ex))));
	}

	private String describe(Throwable ex) {
		if (ex instanceof TimeoutException || ex instanceof io.netty.handler.timeout.ReadTimeoutException
				|| ex.getCause() instanceof io.netty.handler.timeout.ReadTimeoutException) {
			return "No response within " + this.webhooks.timeout() + ".";
		}
		if (ex.getCause() instanceof java.net.ConnectException || ex instanceof java.net.ConnectException) {
			return "Connection refused.";
		}
		// the endpoint's own host name: its look-up timed out, failed, or gave a
		// forbidden address
		for (Throwable cause = ex; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			if (cause instanceof java.net.UnknownHostException unknown) {
				return unknown.getMessage() + ".";
			}
		}
		return "Request failed: " + ex.getClass().getSimpleName() + ".";
	}

	/**
	 * Names every webhook request's client {@code webhooks} in
	 * {@code http.client.requests}: the host, the default, would add series for every
	 * endpoint host any application ever registered.
	 */
	private static final class WebhookClientConvention extends DefaultClientRequestObservationConvention {

		@Override
		protected KeyValue clientName(ClientRequestObservationContext context) {
			return KeyValue.of("client.name", "webhooks");
		}

		/**
		 * Not the endpoint's path, which WebClient would take for a template: thousands
		 * of endpoints would make as many meters (until Spring Boot's cap drops the
		 * rest).
		 */
		@Override
		protected KeyValue uri(ClientRequestObservationContext context) {
			return KeyValue.of("uri", "webhook");
		}

	}

}
