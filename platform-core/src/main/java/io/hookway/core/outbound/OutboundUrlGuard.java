package io.hookway.core.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

/**
 * Keeps webhooks away from the platform's own network (SSRF). A target URL must be https
 * without user info, and every address its host resolves to must be public: not loopback,
 * private, link-local (where cloud metadata lives), CGNAT, unique-local, multicast,
 * unspecified, or an IPv6 form carrying such an IPv4 address (mapped, compatible, NAT64,
 * 6to4, Teredo). The dispatcher checks again the address it actually connects to.
 */
public final class OutboundUrlGuard {

	public static final int MAX_URL_LENGTH = 2048;

	private static final Pattern NUMERIC_LABEL = Pattern.compile("0[xX][0-9a-fA-F]*|[0-9]+");

	private static final Pattern DECIMAL_OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");

	private final boolean allowPrivateTargets;

	private final boolean allowHttp;

	private final HostLookup lookup;

	/** With the system's name servers and the default look-up deadline. */
	public OutboundUrlGuard(WebhookSettings settings) {
		this(settings, HostLookup.shared());
	}

	public OutboundUrlGuard(WebhookSettings settings, HostLookup lookup) {
		this.allowPrivateTargets = settings.allowPrivateTargets();
		this.allowHttp = settings.allowHttp();
		this.lookup = lookup;
	}

	/**
	 * Checks the URL's form and resolves its host; emits why it is refused, or nothing
	 * when it is acceptable. Fails with {@link HostLookup.LookupTimeoutException} when
	 * the name servers do not answer in time: the URL may well be fine.
	 */
	public Mono<String> violation(String url) {
		Optional<URI> parsed = parse(url);
		if (parsed.isEmpty()) {
			return Mono.just("must be an absolute https URL of at most " + MAX_URL_LENGTH + " characters");
		}
		URI uri = parsed.get();
		String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("https") && !(this.allowHttp && scheme.equals("http"))) {
			return Mono.just("must use https");
		}
		if (uri.getRawUserInfo() != null) {
			return Mono.just("must not contain user info");
		}
		if (uri.getRawFragment() != null) {
			return Mono.just("must not contain a fragment");
		}
		if (isAmbiguousNumericHost(uri.getHost())) {
			return Mono.just("must name its host, or give an IPv4 address as four decimal numbers");
		}
		if (this.allowPrivateTargets) {
			return Mono.empty();
		}
		return this.lookup.addresses(uri.getHost())
			.map((addresses) -> addresses.stream().allMatch(OutboundUrlGuard::isPublic) ? ""
					: "must not point to a loopback, private, link-local or otherwise internal address")
			.onErrorResume(
					(ex) -> ex instanceof UnknownHostException && !(ex instanceof HostLookup.LookupTimeoutException),
					(ex) -> Mono.just("host does not resolve"))
			.filter((reason) -> !reason.isEmpty());
	}

	/** Whether a connection to this address is allowed. */
	public boolean permits(InetAddress address) {
		return this.allowPrivateTargets || isPublic(address);
	}

	HostLookup lookup() {
		return this.lookup;
	}

	private static Optional<URI> parse(String url) {
		if (url == null || url.isBlank() || url.length() > MAX_URL_LENGTH) {
			return Optional.empty();
		}
		try {
			URI uri = new URI(url);
			if (!uri.isAbsolute() || uri.getScheme() == null || uri.getHost() == null || uri.isOpaque()) {
				return Optional.empty();
			}
			return Optional.of(uri);
		}
		catch (URISyntaxException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Numeric hosts other than four plain decimal octets ({@code 2130706433},
	 * {@code 0x7f.1}, {@code 0177.0.0.1}, {@code 127.000.0.1}): resolvers disagree on
	 * what they mean (the JDK reads {@code 0177} as 177, the C library as 127), so the
	 * address checked here might not be the one a proxy or another client connects to. A
	 * real host name never has an all-numeric last label.
	 */
	static boolean isAmbiguousNumericHost(String host) {
		String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
		String[] labels = name.split("\\.", -1);
		for (String label : labels) {
			if (!NUMERIC_LABEL.matcher(label).matches()) {
				return false;
			}
		}
		if (labels.length != 4) {
			return true;
		}
		for (String label : labels) {
			if (!DECIMAL_OCTET.matcher(label).matches() || Integer.parseInt(label) > 255) {
				return true;
			}
		}
		return false;
	}

	static boolean isPublic(InetAddress address) {
		if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
				|| address.isSiteLocalAddress() || address.isMulticastAddress()) {
			return false;
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet4Address) {
			return isPublicIpv4(bytes);
		}
		if (address instanceof Inet6Address) {
			return isPublicIpv6(bytes);
		}
		return false;
	}

	/**
	 * Forms that carry an IPv4 address reach that address (through a translator or a
	 * tunnel), so they are as public as the address they carry.
	 */
	private static boolean isPublicIpv6(byte[] b) {
		int first = b[0] & 0xff;
		int second = b[1] & 0xff;
		if (isZero(b, 0, 10) && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0))) {
			// ::ffff:0:0/96 IPv4-mapped, ::/96 IPv4-compatible
			return isPublicIpv4(slice(b, 12));
		}
		if (isZero(b, 0, 8) && b[8] == (byte) 0xff && b[9] == (byte) 0xff && b[10] == 0 && b[11] == 0) {
			// ::ffff:0:0:0/96 IPv4-translated (SIIT)
			return isPublicIpv4(slice(b, 12));
		}
		if (first == 0x00 && second == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
			if (isZero(b, 4, 12)) {
				// 64:ff9b::/96, the well-known NAT64 prefix DNS64 answers with
				return isPublicIpv4(slice(b, 12));
			}
			if (b[4] == 0 && b[5] == 1 && isZero(b, 6, 12)) {
				// 64:ff9b:1::/48 local-use translation with a /96 prefix; with a
				// longer prefix the address could sit elsewhere, so those are refused
				return isPublicIpv4(slice(b, 12));
			}
			return false;
		}
		if (first == 0x20 && second == 0x02) {
			// 2002::/16 6to4: the tunnel's IPv4 end follows the prefix
			return isPublicIpv4(slice(b, 2));
		}
		if (first == 0x20 && second == 0x01 && b[2] == 0 && b[3] == 0) {
			// 2001::/32 Teredo: the client's IPv4 address, inverted, ends the address
			byte[] client = slice(b, 12);
			for (int i = 0; i < client.length; i++) {
				client[i] = (byte) ~client[i];
			}
			return isPublicIpv4(client);
		}
		if (first == 0x20 && second == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
			// 2001:db8::/32 documentation
			return false;
		}
		// fc00::/7 unique-local, fec0::/10 site-local
		return !((first & 0xfe) == 0xfc || (first == 0xfe && (second & 0xc0) == 0xc0));
	}

	private static byte[] slice(byte[] bytes, int from) {
		return new byte[] { bytes[from], bytes[from + 1], bytes[from + 2], bytes[from + 3] };
	}

	private static boolean isPublicIpv4(byte[] b) {
		int first = b[0] & 0xff;
		int second = b[1] & 0xff;
		return !(first == 0 // "this network", unspecified
				|| first == 10 || first == 127 //
				|| (first == 100 && (second & 0xc0) == 64) // CGNAT 100.64/10
				|| (first == 169 && second == 254) // link-local, cloud metadata
				|| (first == 172 && (second & 0xf0) == 16) //
				|| (first == 192 && second == 168) //
				|| (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol
																		// assignments
				|| (first == 198 && (second & 0xfe) == 18) // benchmarking
				|| first >= 224); // multicast, reserved, broadcast
	}

	private static boolean isZero(byte[] bytes, int from, int to) {
		for (int i = from; i < to; i++) {
			if (bytes[i] != 0) {
				return false;
			}
		}
		return true;
	}

}
