package io.hookway.core.crypto;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * The one cryptographically strong generator of the process, safe to call on an event
 * loop. The JDK's default on Linux (NativePRNG) reads {@code /dev/urandom} whenever its
 * buffer runs out, a file read on whatever thread asks; a DRBG reads the operating
 * system's entropy once, when it is seeded here, and then computes its bytes.
 */
public final class SecureRandoms {

	private static final SecureRandom INSTANCE = seeded();

	private SecureRandoms() {
	}

	/** The shared generator (a DRBG, safe for concurrent use). */
	public static SecureRandom get() {
		return INSTANCE;
	}

	/**
	 * A random (version 4) UUID, as {@link UUID#randomUUID()} but from this generator.
	 */
	public static UUID randomUuid() {
		byte[] bytes = new byte[16];
		INSTANCE.nextBytes(bytes);
		bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
		bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
		long high = 0;
		long low = 0;
		for (int i = 0; i < 8; i++) {
			high = (high << 8) | (bytes[i] & 0xff);
			low = (low << 8) | (bytes[i + 8] & 0xff);
		}
		return new UUID(high, low);
	}

	private static SecureRandom seeded() {
		try {
			SecureRandom random = SecureRandom.getInstance("DRBG");
			// a DRBG seeds itself on first use: here, when this class is initialised
			random.nextBytes(new byte[1]);
			return random;
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("The JDK offers no DRBG SecureRandom", ex);
		}
	}

}
