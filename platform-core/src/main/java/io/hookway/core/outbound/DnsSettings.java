package io.hookway.core.outbound;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Name resolution for webhook endpoints: when an endpoint is registered or changed,
 * before each delivery and when connecting.
 *
 * @param timeout the most one look-up may take, all servers and search domains included;
 * a delivery whose look-up takes longer fails that attempt (it is retried on the
 * schedule), a registration is answered 503
 * @param servers name servers as {@code host:port} (port 53 when left out); empty uses
 * the system's ({@code /etc/resolv.conf}). {@code /etc/hosts} is read either way
 */
@ConfigurationProperties("hookway.dns")
public record DnsSettings(@DefaultValue("5s") Duration timeout, @DefaultValue List<String> servers) {

	public DnsSettings {
		servers = List.copyOf(servers);
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("hookway.dns.timeout must be positive");
		}
		servers.forEach(DnsSettings::address);
	}

	public static DnsSettings defaults() {
		return new DnsSettings(Duration.ofSeconds(5), List.of());
	}

	List<InetSocketAddress> serverAddresses() {
		return this.servers.stream().map(DnsSettings::address).toList();
	}

	private static InetSocketAddress address(String server) {
		try {
			URI uri = URI.create("dns://" + server.trim());
			if (uri.getHost() == null || uri.getPath() != null && !uri.getPath().isEmpty()) {
				throw new IllegalArgumentException(server);
			}
			return new InetSocketAddress(uri.getHost(), (uri.getPort() != -1) ? uri.getPort() : 53);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"hookway.dns.servers entries must be host:port, such as 10.0.0.2:53 or [fd00::2]:53, not '" + server
							+ "'",
					ex);
		}
	}

}
