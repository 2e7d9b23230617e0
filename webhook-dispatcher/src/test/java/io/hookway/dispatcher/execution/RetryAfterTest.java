package io.hookway.dispatcher.execution;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Retry-After} is delay-seconds in plain digits or an HTTP date; other spellings
 * are ignored, not read as some number.
 */
class RetryAfterTest {

	@ParameterizedTest(name = "Retry-After: [{0}] is ignored")
	@ValueSource(strings = { "+5", "-5", "0x10", "1.5", "5s", "1e3", "99999999999", "\uff15", "" })
	void retryAfterThatIsNeitherDigitsNorAnHttpDateIsIgnored(String value) {
		assertThat(UpstreamClient.retryAfter(headers(value))).isNull();
	}

	@Test
	void delaySecondsAndHttpDatesAreRead() {
		assertThat(UpstreamClient.retryAfter(headers("120"))).isEqualTo(Duration.ofSeconds(120));
		assertThat(UpstreamClient.retryAfter(headers("0"))).isEqualTo(Duration.ZERO);
		String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME
			.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(61).withNano(0));
		assertThat(UpstreamClient.retryAfter(headers(inAMinute))).isBetween(Duration.ofSeconds(50),
				Duration.ofSeconds(61));
		assertThat(UpstreamClient.retryAfter(new HttpHeaders())).isNull();
	}

	private static HttpHeaders headers(String value) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, value);
		return headers;
	}

}
