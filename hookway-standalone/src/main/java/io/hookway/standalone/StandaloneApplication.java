package io.hookway.standalone;

import io.hookway.dispatcher.DispatcherApplication;
import io.hookway.gateway.GatewayApplication;
import io.hookway.portal.PortalApplication;
import io.hookway.standalone.database.EmbeddedDatabaseInitializer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;

/**
 * Gateway, dispatcher and portal in one process on one port: for small installs, demos
 * and the quickstart. The services still talk to each other only through the database,
 * which this process starts itself when none is configured or running locally.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan
@Import({ GatewayApplication.class, DispatcherApplication.class, PortalApplication.class })
public class StandaloneApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(StandaloneApplication.class);
		application.addInitializers(new EmbeddedDatabaseInitializer());
		application.run(args);
	}

}
