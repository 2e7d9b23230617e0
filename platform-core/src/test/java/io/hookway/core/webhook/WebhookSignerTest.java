package io.hookway.core.webhook;

import java.util.List;
import java.util.Map;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** Hookway's signatures checked by the Standard Webhooks reference library. */
class WebhookSignerTest {

	private static final String BODY = "{\"type\":\"task.succeeded\",\"data\":{\"taskId\":\"tsk_1\"}}";

	@Test
	void referenceLibraryAcceptsTheSignature() {
		WebhookSecret secret = WebhookSecret.generate();
		long now = System.currentTimeMillis() / 1000;
		String signature = WebhookSigner.signatureHeader(List.of(secret), "msg_1", now, BODY);
		assertThat(signature).startsWith("v1,");
		assertThatNoException()
			.isThrownBy(() -> new Webhook(secret.encoded()).verify(BODY, headers("msg_1", now, signature)));
	}

	@Test
	void referenceLibraryAcceptsEitherSecretDuringRotation() {
		WebhookSecret current = WebhookSecret.generate();
		WebhookSecret previous = WebhookSecret.generate();
		long now = System.currentTimeMillis() / 1000;
		String signature = WebhookSigner.signatureHeader(List.of(current, previous), "msg_2", now, BODY);
		assertThat(signature.split(" ")).hasSize(2);
		assertThatNoException()
			.isThrownBy(() -> new Webhook(current.encoded()).verify(BODY, headers("msg_2", now, signature)));
		assertThatNoException()
			.isThrownBy(() -> new Webhook(previous.encoded()).verify(BODY, headers("msg_2", now, signature)));
	}

	@Test
	void tamperedBodyOrOtherSecretIsRejected() {
		WebhookSecret secret = WebhookSecret.generate();
		long now = System.currentTimeMillis() / 1000;
		String signature = WebhookSigner.sign(secret, "msg_3", now, BODY);
		assertThatExceptionOfType(WebhookVerificationException.class).isThrownBy(() -> new Webhook(secret.encoded())
			.verify(BODY.replace("tsk_1", "tsk_2"), headers("msg_3", now, signature)));
		assertThatExceptionOfType(WebhookVerificationException.class).isThrownBy(
				() -> new Webhook(WebhookSecret.generate().encoded()).verify(BODY, headers("msg_3", now, signature)));
		assertThat(WebhookSigner.verify(secret, "msg_3", now, BODY, signature)).isTrue();
		assertThat(WebhookSigner.verify(secret, "msg_4", now, BODY, signature)).isFalse();
	}

	@Test
	void secretRoundTripsThroughItsEncodedFormAndNeverPrintsItself() {
		WebhookSecret secret = WebhookSecret.generate();
		assertThat(secret.encoded()).startsWith("whsec_");
		assertThat(WebhookSecret.parse(secret.encoded())).isEqualTo(secret);
		assertThat(secret.toString()).doesNotContain(secret.encoded().substring(6));
	}

	private static Map<String, List<String>> headers(String id, long timestamp, String signature) {
		return Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(Long.toString(timestamp)),
				"webhook-signature", List.of(signature));
	}

}
