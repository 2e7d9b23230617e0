package io.hookway.core.web;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

@AutoConfiguration(before = ErrorWebFluxAutoConfiguration.class)
public class WebConfiguration {

	@Bean
	ProblemResponses problemResponses(JsonMapper jsonMapper) {
		return new ProblemResponses(jsonMapper);
	}

	@Bean
	@Order(-2)
	ProblemExceptionHandler problemExceptionHandler(ProblemResponses problemResponses) {
		return new ProblemExceptionHandler(problemResponses);
	}

}
