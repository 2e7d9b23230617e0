package io.hookway.standalone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed {@code docs/openapi.yaml} is the document the standalone process serves.
 * Run with {@code -Dhookway.openapi.write=true} to write the served document over it.
 */
class OpenApiDocumentTest extends StandaloneIntegrationTest {

	static final Path COMMITTED = Path.of("..", "docs", "openapi.yaml");

	@Test
	void committedDocumentIsTheServedOne() throws IOException {
		String served = this.client.http()
			.get()
			.uri("/v3/api-docs.yaml")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(served).isNotBlank();
		if (Boolean.getBoolean("hookway.openapi.write")) {
			Files.writeString(COMMITTED, served, StandardCharsets.UTF_8);
		}
		assertThat(Files.readString(COMMITTED, StandardCharsets.UTF_8))
			.as("docs/openapi.yaml differs from the served document: regenerate it with "
					+ "./mvnw -pl hookway-standalone -am verify -Dtest=OpenApiDocumentTest "
					+ "-Dsurefire.failIfNoSpecifiedTests=false -Dhookway.openapi.write=true")
			.isEqualTo(served);
	}

}
