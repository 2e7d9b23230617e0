package io.hookway.dispatcher;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The task executor and the webhook deliverer, on their own. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DispatcherApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(DispatcherApplication.class);
		application
			// actuator (health, metrics) on a port of its own, kept off the public one;
			// no
			// OpenAPI document: the dispatcher serves no API, and building one costs
			// about
			// a tenth of its start
			.setDefaultProperties(Map.of("server.port", "8082", "management.server.port", "9082",
					"spring.application.name", "hookway-dispatcher", "springdoc.api-docs.enabled", "false",
					"springdoc.swagger-ui.enabled", "false"));
		application.run(args);
	}

}
