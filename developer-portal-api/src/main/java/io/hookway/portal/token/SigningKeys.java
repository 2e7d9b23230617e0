package io.hookway.portal.token;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.crypto.SecureRandoms;
import io.hookway.portal.PortalSettings;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The issuer's RSA signing key, kept in the database so that it survives restarts and is
 * the same on every portal replica. The private key is stored AES-GCM encrypted; the
 * public JWK is stored in the clear for every service to verify with.
 */
@Component
class SigningKeys {

	private static final String PURPOSE = "signing-key";

	private static final Duration RELOAD_AFTER = Duration.ofMinutes(5);

	/**
	 * Retired keys stay published this much longer than a token lives, for skewed clocks.
	 */
	private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

	private final DatabaseClient database;

	private final SecretCipher cipher;

	private final Mono<ActiveKey> active;

	private final Duration rotation;

	private final Duration tokenTtl;

	private final TransactionalOperator transaction;

	SigningKeys(DatabaseClient database, SecretCipher cipher, PortalSettings settings,
			TransactionalOperator transaction) {
		this.database = database;
		this.cipher = cipher;
		this.rotation = settings.signingKeyRotation();
		this.tokenTtl = settings.tokenTtl();
		this.transaction = transaction;
		Duration quarter = this.rotation.dividedBy(4);
		Duration reload = (quarter.compareTo(RELOAD_AFTER) < 0) ? quarter : RELOAD_AFTER;
		this.active = loadOrCreate().cache((key) -> reload, (error) -> Duration.ZERO, () -> Duration.ZERO);
	}

	Mono<ActiveKey> active() {
		return this.active;
	}

	/**
	 * The public keys that are still published: the signing one and retired ones still in
	 * use.
	 */
	Mono<JWKSet> publicKeys() {
		return this.database.sql(
				"select public_jwk from signing_keys where expires_at is null or expires_at > now() order by created_at desc")
			.map((row, metadata) -> parse(row.get("public_jwk", String.class)))
			.all()
			.collectList()
			.map(JWKSet::new);
	}

	/**
	 * The newest signing key, made first when there is none or when the newest is older
	 * than the rotation period. Replicas rotate under an advisory lock, so they make one
	 * new key between them; the keys it replaces are retired (no longer sign) and stay
	 * published until the last token they signed has expired.
	 */
	private Mono<ActiveKey> loadOrCreate() {
		Mono<Void> rotateIfDue = this.database.sql("select pg_advisory_xact_lock(hashtext('hookway.signing-keys'))")
			.then()
			.then(this.database
				.sql("select count(*) from signing_keys where retired_at is null "
						+ "and created_at > now() - make_interval(secs => :rotation)")
				.bind("rotation", (double) this.rotation.toSeconds())
				.map((row, metadata) -> row.get(0, Long.class))
				.one())
			.flatMap((fresh) -> (fresh > 0) ? Mono.<Void>empty() : retireAll().then(create()))
			.as(this.transaction::transactional);
		return rotateIfDue.then(loadNewest());
	}

	private Mono<Void> retireAll() {
		return this.database
			.sql("update signing_keys set retired_at = now(), expires_at = now() + make_interval(secs => :keep) "
					+ "where retired_at is null")
			.bind("keep", (double) this.tokenTtl.plus(CLOCK_SKEW).toSeconds())
			.then();
	}

	private Mono<ActiveKey> loadNewest() {
		return this.database
			.sql("select kid, public_jwk, private_key_encrypted from signing_keys where retired_at is null "
					+ "order by created_at desc, kid limit 1")
			.map((row, metadata) -> toActiveKey(row.get("public_jwk", String.class),
					row.get("private_key_encrypted", byte[].class)))
			.one();
	}

	private Mono<Void> create() {
		// RSA key generation takes up to a few hundred milliseconds: not on the event
		// loop
		return Mono.fromCallable(SigningKeys::generate).subscribeOn(Schedulers.boundedElastic()).flatMap(this::store);
	}

	private Mono<Void> store(KeyPair pair) {
		String kid = SecureRandoms.randomUuid().toString();
		RSAKey publicJwk = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID(kid)
			.keyUse(KeyUse.SIGNATURE)
			.algorithm(JWSAlgorithm.RS256)
			.build();
		byte[] sealed = this.cipher.encrypt(PURPOSE, pair.getPrivate().getEncoded());
		return this.database.sql(
				"insert into signing_keys (kid, algorithm, public_jwk, private_key_encrypted) values (:kid, 'RS256', :jwk, :key)")
			.bind("kid", kid)
			.bind("jwk", publicJwk.toJSONString())
			.bind("key", sealed)
			.then();
	}

	private ActiveKey toActiveKey(String publicJwk, byte[] sealedPrivateKey) {
		RSAKey publicKey = (RSAKey) parse(publicJwk);
		try {
			byte[] pkcs8 = this.cipher.decrypt(PURPOSE, sealedPrivateKey);
			RSAPrivateKey privateKey = (RSAPrivateKey) KeyFactory.getInstance("RSA")
				.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
			RSAKey fullKey = new RSAKey.Builder(publicKey).privateKey(privateKey).build();
			JwtEncoder encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(List.of(fullKey))));
			return new ActiveKey(publicKey.getKeyID(), encoder);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Stored signing key is unreadable", ex);
		}
	}

	private static KeyPair generate() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("RSA is not available", ex);
		}
	}

	private static JWK parse(String json) {
		try {
			return JWK.parse(json);
		}
		catch (ParseException ex) {
			throw new IllegalStateException("A stored signing key is not a JWK", ex);
		}
	}

	record ActiveKey(String kid, JwtEncoder encoder) {
	}

}
