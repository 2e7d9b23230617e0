package io.hookway.core.openapi;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import io.hookway.core.security.AccessRule;
import io.hookway.core.security.ApiAccessRules;
import io.hookway.core.security.AuthSettings;
import io.hookway.core.security.Scopes;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * The OpenAPI 3 document each service generates from its controllers at
 * {@code /v3/api-docs} (and {@code /v3/api-docs.yaml}), browsable at
 * {@code /swagger-ui.html}: OAuth2 client credentials against the configured issuer, the
 * scopes of each operation as the access rules enforce them, and its refusals as
 * problem+json. In standalone mode one document covers every service.
 */
@AutoConfiguration
public class OpenApiConfiguration {

	/** The name of the security scheme operations refer to. */
	static final String SCHEME = "oauth2";

	/** The order of customizers that need every response of the document in place. */
	public static final int LAST = Ordered.LOWEST_PRECEDENCE;

	private static final Map<String, String> SCOPES = Map.of(Scopes.APPLICATIONS_MANAGE,
			"Create, list and disable applications, rotate their secrets; manage the event type catalog.",
			Scopes.TASKS_WRITE, "Submit calls to gateway routes and cancel the application's tasks.", Scopes.TASKS_READ,
			"Read the application's tasks.", Scopes.WEBHOOKS_MANAGE,
			"Manage the application's webhook endpoints, read and retry deliveries, read messages.",
			Scopes.TASKS_COMPLETE,
			"Report the result of a task an upstream accepted asynchronously (internal services).",
			Scopes.EVENTS_PUBLISH, "Publish events to applications' endpoints (internal services).");

	static {
		// any JSON value: the schema of a tree node's Java getters is not what it holds
		SpringDocUtils.getConfig()
			.replaceWithSchema(JsonNode.class, new Schema<>().description("Any JSON value."))
			.replaceWithSchema(ObjectNode.class, new Schema<>().type("object").description("A JSON object."));
	}

	@Bean
	OpenAPI hookwayOpenApi(Environment environment, AuthSettings auth) {
		String service = environment.getProperty("spring.application.name", "hookway");
		io.swagger.v3.oas.models.security.Scopes scopes = new io.swagger.v3.oas.models.security.Scopes();
		new TreeMap<>(SCOPES).forEach(scopes::addString);
		String issuer = auth.issuer().endsWith("/") ? auth.issuer().substring(0, auth.issuer().length() - 1)
				: auth.issuer();
		Components components = new Components().addSecuritySchemes(SCHEME,
				new SecurityScheme().type(SecurityScheme.Type.OAUTH2)
					.description("OAuth 2.0 client credentials from the portal's token endpoint (or the "
							+ "configured issuer); the access token is sent as a bearer token.")
					.flows(new OAuthFlows()
						.clientCredentials(new OAuthFlow().tokenUrl(issuer + "/oauth2/token").scopes(scopes))));
		components.addSecuritySchemes("basic",
				new SecurityScheme().type(SecurityScheme.Type.HTTP)
					.scheme("basic")
					.description("Client id and secret, for the token endpoint (client_secret_basic)."));
		ProblemDocumentation.addExamples(components);
		ApiHeaders.addTo(components);
		return new OpenAPI()
			.info(new Info().title("Hookway API (" + service + ")")
				.version("v1")
				.license(new License().name("Apache-2.0").identifier("Apache-2.0"))
				.description("Asynchronous calls with signed webhook callbacks. Every refusal is RFC 9457 "
						+ "application/problem+json with a stable code (the token endpoint alone answers "
						+ "RFC 6749 errors). The HTTP layer also refuses, before any operation, request lines "
						+ "over its limit (414 request_line_too_long), headers over it (431 "
						+ "request_headers_too_large) and malformed requests (400 malformed_request, "
						+ "request_rejected)."))
			.servers(List.of(new Server().url("/").description("The service that serves this document")))
			.components(components);
	}

	@Bean
	OperationCustomizer hookwayDeclaredRefusals() {
		return new DeclaredRefusals();
	}

	@Bean
	OpenApiCustomizer hookwayPagingDocumentation() {
		return new PagingDocumentation();
	}

	@Bean
	ModelConverter hookwayRecordComponents() {
		return new RecordComponents();
	}

	@Bean
	OpenApiCustomizer hookwayResponseExamples() {
		return ResponseExamples.load();
	}

	/**
	 * Near the end, so that the services' own parts of the document are refused alike;
	 * {@link #LAST} is left for headers that every response of a part carries.
	 */
	@Bean
	@Order(LAST - 1)
	OpenApiCustomizer hookwayAccessDocumentation(ObjectProvider<ApiAccessRules> rules) {
		List<AccessRule> all = rules.orderedStream().flatMap((service) -> service.rules().stream()).toList();
		return new AccessDocumentation(all);
	}

}
