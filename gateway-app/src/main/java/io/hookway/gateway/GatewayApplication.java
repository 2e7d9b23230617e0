package io.hookway.gateway;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The public asynchronous API, on its own. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(GatewayApplication.class);
		// actuator (health, metrics) on a port of its own, kept off the public one
		application.setDefaultProperties(Map.of("server.port", "8080", "management.server.port", "9080",
				"spring.application.name", "hookway-gateway"));
		application.run(args);
	}

}
