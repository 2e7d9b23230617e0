package io.hookway.core.outbound;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How webhooks are delivered, and which targets they may go to.
 *
 * @param timeout per attempt: connect, send and the whole response
 * @param retrySchedule delays after the first attempt, each with ±20% jitter; one attempt
 * more than there are entries
 * @param disableAfter an endpoint failing without a single success for this long is
 * disabled
 * @param allowPrivateTargets lets endpoints resolve to loopback, private and other
 * internal addresses; for development and tests only
 * @param allowHttp lets endpoints use plain http; for development and tests only
 * @param maxConcurrencyPerEndpoint deliveries in flight to one endpoint at once, per
 * dispatcher process
 */
@ConfigurationProperties("hookway.webhooks")
public record WebhookSettings(@DefaultValue("15s") Duration timeout, @DefaultValue( {
		"5s", "5m", "30m", "2h", "5h", "10h", "10h" }) List<Duration> retrySchedule,
		@DefaultValue("5d") Duration disableAfter, @DefaultValue("false") boolean allowPrivateTargets,
		@DefaultValue("false") boolean allowHttp, @DefaultValue("10") int maxConcurrencyPerEndpoint){

	public WebhookSettings {
		retrySchedule = List.copyOf(retrySchedule);
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("hookway.webhooks.timeout must be positive");
		}
		if (maxConcurrencyPerEndpoint < 1) {
			throw new IllegalArgumentException("hookway.webhooks.max-concurrency-per-endpoint must be at least 1");
		}
		if (retrySchedule.stream().anyMatch(Duration::isNegative)) {
			throw new IllegalArgumentException("hookway.webhooks.retry-schedule must not contain negative delays");
		}
	}

	/** Attempts a delivery gets in all: the first and one per schedule entry. */
	public int maxAttempts() {
		return this.retrySchedule.size() + 1;
	}

}
