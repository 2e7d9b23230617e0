package io.hookway.core.db;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the PostgreSQL database is. One URL in libpq form feeds both the R2DBC pool of
 * the application and the JDBC connection Flyway migrates with.
 *
 * @param url {@code postgresql://[user[:password]@]host[:port]/database[?options]}
 * @param username overrides the user of the URL
 * @param password overrides the password of the URL
 */
@ConfigurationProperties("hookway.database")
public record DatabaseSettings(@DefaultValue("postgresql://127.0.0.1:5432/hookway") String url, String username,
		String password) {

	/** host, port, database and options, without scheme and user info */
	String location() {
		URI uri = uri();
		String port = (uri.getPort() != -1) ? ":" + uri.getPort() : "";
		String query = (uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "";
		return uri.getHost() + port + uri.getRawPath() + query;
	}

	String effectiveUsername() {
		if (this.username != null) {
			return this.username;
		}
		String userInfo = uri().getUserInfo();
		if (userInfo == null) {
			return "postgres";
		}
		int colon = userInfo.indexOf(':');
		return (colon < 0) ? userInfo : userInfo.substring(0, colon);
	}

	String effectivePassword() {
		if (this.password != null) {
			return this.password;
		}
		String userInfo = uri().getUserInfo();
		int colon = (userInfo != null) ? userInfo.indexOf(':') : -1;
		return (colon < 0) ? "" : userInfo.substring(colon + 1);
	}

	private URI uri() {
		String value = this.url;
		for (String prefix : new String[] { "jdbc:", "r2dbc:" }) {
			if (value.startsWith(prefix)) {
				value = value.substring(prefix.length());
			}
		}
		if (value.startsWith("postgres://")) {
			value = "postgresql://" + value.substring("postgres://".length());
		}
		URI uri = URI.create(value);
		if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null) {
			throw new IllegalArgumentException(
					"hookway.database.url must look like postgresql://host:5432/database, got "
							+ this.url.replaceFirst("//[^@/]*@", "//***@"));
		}
		return uri;
	}

}
