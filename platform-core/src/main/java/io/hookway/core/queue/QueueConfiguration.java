package io.hookway.core.queue;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.r2dbc.core.DatabaseClient;

@AutoConfiguration
public class QueueConfiguration {

	@Bean
	QueueNotifier queueNotifier(DatabaseClient database) {
		return new QueueNotifier(database);
	}

}
