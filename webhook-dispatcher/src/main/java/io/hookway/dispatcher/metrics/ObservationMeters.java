package io.hookway.dispatcher.metrics;

import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ObservationMeters {

	/**
	 * The long task timers the {@code hookway.upstream} and {@code hookway.webhook}
	 * observations would add next to their timers: work in flight is bounded by
	 * configuration anyway, and the histogram setting for those names, a prefix, would
	 * give them a hundred buckets each.
	 */
	@Bean
	MeterFilter noActiveUpstreamAndWebhookTimers() {
		return MeterFilter.deny((id) -> id.getName().equals("hookway.upstream.active")
				|| id.getName().equals("hookway.webhook.active"));
	}

}
