package io.hookway.core.outbound;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

@AutoConfiguration
@EnableConfigurationProperties({ WebhookSettings.class, DnsSettings.class })
public class OutboundConfiguration {

	private static final Log logger = LogFactory.getLog(OutboundConfiguration.class);

	@Bean(destroyMethod = "close")
	HostLookup hostLookup(DnsSettings settings) {
		return new HostLookup(settings);
	}

	@Bean
	OutboundUrlGuard outboundUrlGuard(WebhookSettings settings, HostLookup lookup) {
		if (settings.allowPrivateTargets()) {
			logger.warn("hookway.webhooks.allow-private-targets=true: webhooks may reach internal addresses");
		}
		if (settings.allowHttp()) {
			logger.warn("hookway.webhooks.allow-http=true: webhooks may be sent over plain http");
		}
		return new OutboundUrlGuard(settings, lookup);
	}

}
