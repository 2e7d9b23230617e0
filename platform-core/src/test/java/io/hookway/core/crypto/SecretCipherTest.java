package io.hookway.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SecretCipherTest {

	private final SecretCipher cipher = new SecretCipher(randomKey());

	@Test
	void decryptsWhatItEncrypted() {
		byte[] secret = "s3cret".getBytes(StandardCharsets.UTF_8);
		byte[] sealed = this.cipher.encrypt("purpose", secret);
		assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("s3cret");
		assertThat(this.cipher.decrypt("purpose", sealed)).isEqualTo(secret);
		assertThat(this.cipher.encrypt("purpose", secret)).as("a fresh nonce every time").isNotEqualTo(sealed);
	}

	@Test
	void refusesAnotherPurposeAnotherKeyOrATamperedValue() {
		byte[] sealed = this.cipher.encrypt("webhook-endpoint-secret", new byte[] { 1, 2, 3 });
		assertThatIllegalStateException().isThrownBy(() -> this.cipher.decrypt("signing-key", sealed));
		assertThatIllegalStateException()
			.isThrownBy(() -> new SecretCipher(randomKey()).decrypt("webhook-endpoint-secret", sealed));
		sealed[sealed.length - 1] ^= 1;
		assertThatIllegalStateException().isThrownBy(() -> this.cipher.decrypt("webhook-endpoint-secret", sealed));
	}

	private static byte[] randomKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return key;
	}

}
