package io.hookway.core.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

@AutoConfiguration(before = ErrorWebFluxAutoConfiguration.class)
public class WebConfiguration {

	@Bean
	StrictJsonInput strictJsonInput() {
		return new StrictJsonInput();
	}

	@Bean
	ProblemResponses problemResponses(JsonMapper jsonMapper, ObjectProvider<MeterRegistry> meters) {
		return new ProblemResponses(jsonMapper, meters.getIfAvailable(SimpleMeterRegistry::new));
	}

	@Bean
	@Order(-2)
	ProblemExceptionHandler problemExceptionHandler(ProblemResponses problemResponses) {
		return new ProblemExceptionHandler(problemResponses);
	}

}
