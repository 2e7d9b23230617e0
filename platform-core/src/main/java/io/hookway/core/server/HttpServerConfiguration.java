package io.hookway.core.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;

@AutoConfiguration
@ConditionalOnClass(HttpServer.class)
@EnableConfigurationProperties(HttpServerSettings.class)
public class HttpServerConfiguration {

	@Bean
	NettyServerCustomizer hookwayHttpServerCustomizer(HttpServerSettings settings,
			ObjectProvider<MeterRegistry> meters) {
		MeterRegistry registry = meters.getIfAvailable(SimpleMeterRegistry::new);
		return customizer(settings,
				(status) -> registry
					.counter("hookway.refusals", "status", Integer.toString(status), "code",
							ParserRefusals.code(status))
					.increment());
	}

	/**
	 * The server's slow-client deadlines and problem+json for what its decoder refuses.
	 */
	static NettyServerCustomizer customizer(HttpServerSettings settings, java.util.function.Consumer<Integer> refused) {
		ParserRefusals refusals = new ParserRefusals(refused);
		return (server) -> server.readTimeout(settings.readTimeout()).doOnChannelInit((observer, channel, address) -> {
			if (channel.pipeline().get(NettyPipeline.HttpCodec) == null) {
				return;
			}
			HeaderDeadline deadline = new HeaderDeadline(settings.headerTimeout());
			channel.pipeline()
				.addBefore(NettyPipeline.HttpCodec, "hookway.headerDeadline.bytes", deadline.bytes())
				.addAfter(NettyPipeline.HttpCodec, "hookway.readAfterResponse", ReadAfterResponse.INSTANCE)
				.addAfter("hookway.readAfterResponse", "hookway.parserRefusals", refusals)
				.addAfter("hookway.parserRefusals", "hookway.headerDeadline.requests", deadline.requests());
		});
	}

}
