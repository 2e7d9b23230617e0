package io.hookway.core.test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Mints real RS256 access tokens for services tested without the portal: it publishes its
 * public key in {@code signing_keys}, exactly where the embedded issuer publishes its
 * own, so the services verify these tokens the way they verify production ones. The key
 * is stored as retired (published, never picked to sign) and without a usable private
 * part.
 */
public final class TestIssuer {

	private final RSAKey key;

	private final NimbusJwtEncoder encoder;

	private final String issuer;

	private TestIssuer(RSAKey key, String issuer) {
		this.key = key;
		this.issuer = issuer;
		this.encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(List.of(key))));
	}

	private static TestIssuer shared;

	/**
	 * One issuer per JVM, published on first use. Call it once the application context
	 * has started: the key goes into a table the application's migrations create.
	 */
	public static synchronized TestIssuer shared() {
		if (shared == null) {
			shared = publish();
		}
		return shared;
	}

	/**
	 * A new key, published in the test database; issuer and audience are the defaults.
	 */
	public static TestIssuer publish() {
		return publish(TestDatabase.jdbcUrl());
	}

	/** A new key, published in the database at this JDBC URL. */
	public static TestIssuer publish(String jdbcUrl) {
		try {
			RSAKey key = newKey("test");
			try (Connection connection = DriverManager.getConnection(jdbcUrl);
					PreparedStatement insert = connection.prepareStatement(
							"insert into signing_keys (kid, algorithm, public_jwk, private_key_encrypted, retired_at, expires_at) "
									+ "values (?, 'RS256', ?, ?, now(), now() + interval '1 day')")) {
				insert.setString(1, key.getKeyID());
				insert.setString(2, key.toPublicJWK().toJSONString());
				insert.setBytes(3, new byte[] { 0 });
				insert.executeUpdate();
			}
			return new TestIssuer(key, "http://localhost:8080");
		}
		catch (NoSuchAlgorithmException | SQLException ex) {
			throw new IllegalStateException("Could not publish a test signing key", ex);
		}
	}

	private static RSAKey newKey(String kidPrefix) throws NoSuchAlgorithmException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		KeyPair pair = generator.generateKeyPair();
		return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
			.keyID(kidPrefix + "-" + UUID.randomUUID())
			.keyUse(KeyUse.SIGNATURE)
			.algorithm(JWSAlgorithm.RS256)
			.build();
	}

	/**
	 * An issuer of its own, as an external identity provider would be: its key is not in
	 * the database; serve {@link #jwkSetJson()} for services to verify its tokens.
	 */
	public static TestIssuer external(String issuer) {
		try {
			RSAKey key = newKey("external");
			return new TestIssuer(key, issuer);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public String jwkSetJson() {
		return new JWKSet(this.key.toPublicJWK()).toString();
	}

	/** A token with any claims, signed by this issuer. */
	public String tokenWithClaims(java.util.Map<String, Object> extraClaims, String... scopes) {
		Instant now = Instant.now();
		JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
			.issuer(this.issuer)
			.subject("external-client")
			.audience(List.of("hookway"))
			.issuedAt(now)
			.expiresAt(now.plus(Duration.ofMinutes(15)))
			.claim("scope", String.join(" ", scopes));
		extraClaims.forEach(claims::claim);
		JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).keyId(this.key.getKeyID()).build();
		return this.encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
	}

	/** A token for an application, as the embedded issuer would write it. */
	public String applicationToken(UUID applicationId, String... scopes) {
		return token("cli_test", io.hookway.core.id.IdKind.APPLICATION.format(applicationId), scopes);
	}

	public String token(String subject, String applicationId, String... scopes) {
		Instant now = Instant.now();
		JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
			.issuer(this.issuer)
			.subject(subject)
			.audience(List.of("hookway"))
			.issuedAt(now)
			.expiresAt(now.plus(Duration.ofMinutes(15)))
			.claim("scope", String.join(" ", scopes));
		if (applicationId != null) {
			claims.claim("app_id", applicationId);
		}
		JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).keyId(this.key.getKeyID()).build();
		return this.encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
	}

}
