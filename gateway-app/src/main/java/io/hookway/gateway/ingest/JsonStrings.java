package io.hookway.gateway.ingest;

/** JSON text written by hand where the shape is fixed and small. */
final class JsonStrings {

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private JsonStrings() {
	}

	/** Appends a JSON string (RFC 8259 §7): quote, backslash and controls escaped. */
	static void quote(String text, StringBuilder json) {
		json.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20) {
				json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
			}
			else {
				json.append(c);
			}
		}
		json.append('"');
	}

}
