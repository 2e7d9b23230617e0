package io.hookway.core.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest with AES-256-GCM. The stored form is a version byte, a random
 * 96-bit nonce and the ciphertext with its tag. The purpose is bound as associated data,
 * so a value encrypted as one kind of secret cannot be decrypted as another.
 */
public final class SecretCipher {

	private static final byte VERSION = 1;

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private static final SecureRandom RANDOM = SecureRandoms.get();

	private final SecretKey key;

	public SecretCipher(byte[] key) {
		if (key.length != 32) {
			throw new IllegalArgumentException("The encryption key must be 32 bytes (AES-256)");
		}
		this.key = new SecretKeySpec(key, "AES");
	}

	public byte[] encrypt(String purpose, byte[] plaintext) {
		byte[] nonce = new byte[NONCE_BYTES];
		RANDOM.nextBytes(nonce);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
			byte[] sealed = cipher.doFinal(plaintext);
			return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM encryption failed", ex);
		}
	}

	public byte[] decrypt(String purpose, byte[] stored) {
		if (stored.length < 1 + NONCE_BYTES || stored[0] != VERSION) {
			throw new IllegalArgumentException("Not a value sealed by this cipher");
		}
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, stored, 1, NONCE_BYTES));
			cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
			return cipher.doFinal(stored, 1 + NONCE_BYTES, stored.length - 1 - NONCE_BYTES);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(
					"Stored secret could not be decrypted: wrong hookway.secrets.encryption-key?", ex);
		}
	}

}
