package io.hookway.core.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The OpenAPI 3 document each service generates from its controllers at
 * {@code /v3/api-docs}, browsable at {@code /swagger-ui.html}: bearer-token security and
 * the service's name.
 */
@AutoConfiguration
public class OpenApiConfiguration {

	@Bean
	OpenAPI hookwayOpenApi(Environment environment) {
		String service = environment.getProperty("spring.application.name", "hookway");
		return new OpenAPI()
			.info(new Info().title("Hookway API (" + service + ")")
				.version("v1")
				.description("Asynchronous calls with signed webhook callbacks. Errors are RFC 9457 problem+json."))
			.components(new Components().addSecuritySchemes("bearer",
					new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
			.addSecurityItem(new SecurityRequirement().addList("bearer"));
	}

}
