package io.hookway.gateway;

import java.net.URI;

import io.hookway.core.test.TcpProxy;
import io.hookway.core.test.TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The test database reached through a {@link TcpProxy}, for tests that take it away from
 * a running gateway (cut or stall it) and give it back.
 */
public final class ProxiedDatabase {

	private ProxiedDatabase() {
	}

	/** A proxy to the test database's server; the test class closes it when done. */
	public static TcpProxy proxy() {
		URI uri = uri();
		return TcpProxy.to(uri.getHost(), (uri.getPort() != -1) ? uri.getPort() : 5432);
	}

	/** Points the gateway at the test database through the proxy. */
	public static void register(DynamicPropertyRegistry registry, TcpProxy proxy) {
		URI uri = uri();
		String userInfo = (uri.getUserInfo() != null) ? uri.getUserInfo() + "@" : "";
		TestDatabase.register(registry, "postgresql://" + userInfo + "127.0.0.1:" + proxy.port() + uri.getPath());
	}

	private static URI uri() {
		return URI.create(TestDatabase.url().replaceFirst("^postgres(ql)?://", "postgresql://"));
	}

}
