package io.hookway.gateway.ingest;

import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While its statement runs, a body is held as bytes, as base64 text and as that text
 * encoded for the statement: the body budget counts all three, from the reservation made
 * before the body is read to the weight it is shrunk to once read.
 */
class BodyWeightTest {

	private static final int BODY = 1_000_000;

	private static final int LIMIT = 1_048_576;

	@Test
	void aBodyWeighsItsBytesAndTwiceItsBase64Text() {
		byte[] body = new byte[BODY];
		NewTask task = new NewTask(UUID.randomUUID(), UUID.randomUUID(), "ledger", "POST", "/entries", null, "{}", body,
				null, null);
		long base64 = Base64.getEncoder().encodeToString(body).length();
		assertThat(task.weight()).isGreaterThanOrEqualTo(BODY + 2 * base64);
	}

	@Test
	void theReservationCoversWhatTheReadBodyWillWeigh() {
		byte[] body = new byte[BODY];
		NewTask task = new NewTask(UUID.randomUUID(), UUID.randomUUID(), "ledger", "POST", "/entries", null, "{}", body,
				null, null);
		MockServerHttpRequest declared = MockServerHttpRequest.post("/api/ledger/entries")
			.header(HttpHeaders.CONTENT_LENGTH, Integer.toString(BODY))
			.build();
		assertThat(RequestBodies.bytesToHold(declared, LIMIT)).isGreaterThanOrEqualTo(task.weight());
		MockServerHttpRequest gzip = MockServerHttpRequest.post("/api/ledger/entries")
			.header(HttpHeaders.CONTENT_ENCODING, "gzip")
			.header(HttpHeaders.CONTENT_LENGTH, "1000")
			.build();
		NewTask decoded = new NewTask(UUID.randomUUID(), UUID.randomUUID(), "ledger", "POST", "/entries", null, "{}",
				new byte[LIMIT], null, null);
		assertThat(RequestBodies.bytesToHold(gzip, LIMIT)).isGreaterThanOrEqualTo(decoded.weight());
	}

}
