package io.hookway.core.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;

import javax.crypto.Mac;

/**
 * Standard Webhooks 1.0 signatures:
 * {@code v1,<base64 HMAC-SHA256(key, "id.timestamp.body")>}, one per still-valid secret,
 * separated by spaces.
 */
public final class WebhookSigner {

	private static final String ALGORITHM = "HmacSHA256";

	/**
	 * {@code Mac.getInstance} looks the algorithm up in the providers on every call: one
	 * instance per thread is initialised with each key instead.
	 */
	private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
		try {
			return Mac.getInstance(ALGORITHM);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	});

	private WebhookSigner() {
	}

	public static String signatureHeader(List<WebhookSecret> secrets, String messageId, long timestampSeconds,
			String body) {
		StringJoiner header = new StringJoiner(" ");
		for (WebhookSecret secret : secrets) {
			header.add(sign(secret, messageId, timestampSeconds, body));
		}
		return header.toString();
	}

	public static String sign(WebhookSecret secret, String messageId, long timestampSeconds, String body) {
		return "v1," + Base64.getEncoder().encodeToString(mac(secret, messageId, timestampSeconds, body));
	}

	/**
	 * Whether any signature in the header matches; the receiving side's check, used by
	 * the demo inbox.
	 */
	public static boolean verify(WebhookSecret secret, String messageId, long timestampSeconds, String body,
			String signatureHeader) {
		byte[] expected = mac(secret, messageId, timestampSeconds, body);
		for (String candidate : signatureHeader.split(" ")) {
			if (candidate.startsWith("v1,")) {
				byte[] actual;
				try {
					actual = Base64.getDecoder().decode(candidate.substring(3));
				}
				catch (IllegalArgumentException ex) {
					continue;
				}
				if (MessageDigest.isEqual(expected, actual)) {
					return true;
				}
			}
		}
		return false;
	}

	private static byte[] mac(WebhookSecret secret, String messageId, long timestampSeconds, String body) {
		try {
			Mac mac = MACS.get();
			mac.init(secret.signingKey());
			String signed = messageId + "." + timestampSeconds + "." + body;
			return mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

}
