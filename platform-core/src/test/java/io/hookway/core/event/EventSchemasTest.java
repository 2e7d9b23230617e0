package io.hookway.core.event;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.test.RecordingHttpServer;
import io.hookway.core.web.ApiProblem.FieldError;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EventSchemasTest {

	private static final String INVOICE = """
			{"type":"object","required":["amount","currency"],"additionalProperties":false,
			 "properties":{"amount":{"type":"integer","minimum":0},"currency":{"type":"string"},
			               "lines":{"type":"array","items":{"type":"object","required":["sku"]}}}}""";

	private final JsonMapper json = JsonMapper.builder().build();

	private final EventSchemas schemas = new EventSchemas(this.json);

	private final Instant changedAt = Instant.parse("2026-11-01T00:00:00Z");

	@Test
	void validDataHasNoViolations() {
		assertThat(violations(INVOICE, "{\"amount\":5,\"currency\":\"EUR\",\"lines\":[{\"sku\":\"a\"}]}")).isEmpty();
	}

	@Test
	void eachViolationIsReportedAtThePointerOfItsValueUnderTheField() {
		List<FieldError> errors = violations(INVOICE,
				"{\"amount\":-1,\"lines\":[{\"sku\":\"a\"},{}],\"extra/field\":true}");
		assertThat(errors).extracting(FieldError::field)
			.containsExactlyInAnyOrder("data/amount", "data/currency", "data/lines/1/sku", "data/extra~1field");
		assertThat(errors).allSatisfy((error) -> assertThat(error.message()).isNotBlank());
	}

	@Test
	void dataOfTheWrongTypeAtTheTopIsReportedOnTheFieldItself() {
		assertThat(violations(INVOICE, "[1,2]")).extracting(FieldError::field).containsExactly("data");
	}

	@Test
	void schemasSharingAnIdAreEachAppliedAsTheyAre() {
		String loose = "{\"$id\":\"https://example.com/invoice\",\"type\":\"object\"}";
		String strict = "{\"$id\":\"https://example.com/invoice\",\"type\":\"object\",\"required\":[\"currency\"]}";
		String data = "{\"amount\":5}";
		assertThat(this.schemas.violations("invoice.paid", this.changedAt, loose, tree(data), "data")).isEmpty();
		assertThat(this.schemas.violations("invoice.sent", this.changedAt, strict, tree(data), "data"))
			.as("another type's schema with the same $id")
			.extracting(FieldError::field)
			.containsExactly("data/currency");
		assertThat(this.schemas.violations("invoice.paid", this.changedAt.plusMillis(1), strict, tree(data), "data"))
			.as("the first type's schema edited, its $id kept")
			.extracting(FieldError::field)
			.containsExactly("data/currency");
	}

	@Test
	void aChangedSchemaAppliesOnceTheTypesChangeTimeMovesOn() {
		String data = "{\"amount\":5}";
		assertThat(this.schemas.violations("invoice.paid", this.changedAt, "{\"type\":\"object\"}", tree(data), "data"))
			.isEmpty();
		assertThat(this.schemas.violations("invoice.paid", this.changedAt, INVOICE, tree(data), "data"))
			.as("same version: the compiled schema is reused")
			.isEmpty();
		assertThat(this.schemas.violations("invoice.paid", this.changedAt.plusMillis(1), INVOICE, tree(data), "data"))
			.extracting(FieldError::field)
			.containsExactly("data/currency");
	}

	@Test
	void violationsAreCappedAtTheFirstHundred() {
		String schema = "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}";
		String data = "[" + "1,".repeat(300) + "1]";
		assertThat(violations(schema, data)).hasSize(EventSchemas.MAX_ERRORS);
	}

	@Test
	void aSchemaReferringToARemoteDocumentIsUnusableAndNothingIsFetched() {
		try (RecordingHttpServer server = RecordingHttpServer.start()) {
			server.respondWith((request) -> RecordingHttpServer.Response.json(200, "{\"type\":\"object\"}"));
			String schema = "{\"$ref\":\"" + server.baseUrl() + "/schema.json\"}";
			assertThatExceptionOfType(EventSchemas.UnusableSchemaException.class)
				.isThrownBy(() -> violations(schema, "{}"));
			assertThat(server.requests()).isEmpty();
		}
	}

	@Test
	void aSchemaThatIsNotJsonIsUnusable() {
		assertThatExceptionOfType(EventSchemas.UnusableSchemaException.class)
			.isThrownBy(() -> violations("not json", "{}"));
	}

	@Test
	void theEnvelopeHasTypeTimestampWithThreeDigitMillisecondsAndDataInThatOrder() {
		assertThat(EventEnvelope.of("invoice.paid", Instant.parse("2026-11-22T10:00:00Z"), "{\"a\":[1]}"))
			.isEqualTo("{\"type\":\"invoice.paid\",\"timestamp\":\"2026-11-22T10:00:00.000Z\",\"data\":{\"a\":[1]}}");
	}

	private List<FieldError> violations(String schema, String data) {
		return this.schemas.violations("invoice.paid", this.changedAt, schema, tree(data), "data");
	}

	private JsonNode tree(String data) {
		return this.json.readTree(data);
	}

}
