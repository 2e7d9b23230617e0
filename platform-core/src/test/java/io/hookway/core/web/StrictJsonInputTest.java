package io.hookway.core.web;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StrictJsonInputTest {

	private final JsonMapper json = StrictJsonInput.apply(JsonMapper.builder()).build();

	@ParameterizedTest
	@ValueSource(strings = { "{\"name\":42}", "{\"name\":4.2}", "{\"name\":true}", "{\"count\":\"42\"}",
			"{\"count\":4.5}", "{\"count\":true}", "{\"count\":\"\"}", "{\"primitive\":\"7\"}", "{\"primitive\":1.0}",
			"{\"flag\":1}", "{\"flag\":\"true\"}", "{\"flag\":0.0}", "{\"ratio\":\"0.5\"}", "{\"ratio\":false}",
			"{\"color\":0}", "{\"color\":true}", "{\"names\":[1]}", "{\"counts\":[\"1\"]}" })
	void scalarsOfAnotherTypeAreRefusedNamingTheField(String body) {
		assertThatExceptionOfType(MismatchedInputException.class)
			.isThrownBy(() -> this.json.readValue(body, Body.class))
			.satisfies((ex) -> assertThat(ex.getPath()).isNotEmpty());
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"names\":[null]}", "{\"names\":[\"a\",null]}", "{\"headers\":{\"a\":null}}",
			"{\"counts\":[null]}" })
	void nullElementsAreRefused(String body) {
		assertThatExceptionOfType(InvalidNullException.class).isThrownBy(() -> this.json.readValue(body, Body.class))
			.satisfies((ex) -> assertThat(ex.getPath()).isNotEmpty());
	}

	@Test
	void valuesOfTheirOwnTypeAndOpaqueJsonAreRead() {
		Body body = this.json.readValue("{\"name\":\"42\",\"count\":42,\"primitive\":7,\"flag\":true,\"ratio\":1,"
				+ "\"color\":\"RED\",\"names\":[\"\"],\"counts\":[1],\"headers\":{\"a\":\"b\"},"
				+ "\"body\":{\"x\":[null,1,\"2\",true,1.5]}}", Body.class);
		assertThat(body.name()).isEqualTo("42");
		assertThat(body.ratio()).isEqualTo(1.0);
		assertThat(body.body().get("x").size()).isEqualTo(5);
		assertThat(
				this.json.readValue("{\"name\":null,\"primitive\":1,\"names\":null,\"body\":null}", Body.class).names())
			.isNull();
		assertThat(this.json.readTree("[null, \"1\", 1]").size()).isEqualTo(3);
	}

	enum Color {

		RED

	}

	record Body(String name, Integer count, int primitive, Boolean flag, Double ratio, Color color, List<String> names,
			List<Integer> counts, Map<String, String> headers, JsonNode body) {
	}

}
