package io.hookway.portal;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The developer portal API and the embedded OAuth2 issuer, on their own. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PortalApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(PortalApplication.class);
		// actuator (health, metrics) on a port of its own, kept off the public one
		application.setDefaultProperties(Map.of("server.port", "8081", "management.server.port", "9081",
				"spring.application.name", "hookway-portal"));
		application.run(args);
	}

}
