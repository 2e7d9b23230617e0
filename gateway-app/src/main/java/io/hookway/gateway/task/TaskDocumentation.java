package io.hookway.gateway.task;

import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;

import io.hookway.core.openapi.ApiHeaders;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A task's answer carries {@code Retry-After} while the task is not final, telling the
 * client when to poll again.
 */
@Configuration(proxyBeanMethods = false)
class TaskDocumentation {

	@Bean
	OpenApiCustomizer taskPollingDocumentation() {
		return (openApi) -> {
			PathItem task = (openApi.getPaths() != null) ? openApi.getPaths().get("/v1/tasks/{taskId}") : null;
			if (task != null) {
				task.readOperations().forEach((operation) -> {
					ApiResponse ok = operation.getResponses().get("200");
					if (ok != null) {
						ApiHeaders.with(ok, ApiHeaders.RETRY_AFTER);
					}
				});
			}
		};
	}

}
