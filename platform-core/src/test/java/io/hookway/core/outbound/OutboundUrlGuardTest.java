package io.hookway.core.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundUrlGuardTest {

	private final OutboundUrlGuard strict = new OutboundUrlGuard(settings(false, false));

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
			"0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1",
			"::ffff:127.0.0.1", "::ffff:169.254.169.254", "ff02::1", "64:ff9b::a9fe:a9fe", "2002:c0a8:0101::1" })
	void internalAddressesAreRefused(String literal) throws UnknownHostException {
		assertThat(OutboundUrlGuard.isPublic(InetAddress.getByName(literal))).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8" })
	void publicAddressesAreAllowed(String literal) throws UnknownHostException {
		assertThat(OutboundUrlGuard.isPublic(InetAddress.getByName(literal))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "::ffff:10.0.0.1", "::10.0.0.1", "::127.0.0.1", "::ffff:0:10.0.0.1",
			"::ffff:0:169.254.169.254", "64:ff9b::10.0.0.1", "64:ff9b::127.0.0.1", "64:ff9b::192.168.0.1",
			"64:ff9b:1::10.0.0.1", "64:ff9b:1::169.254.169.254", "64:ff9b:1:a00:1::", "2002:0a00:0001::1",
			"2002:7f00:0001::", "2002:a9fe:a9fe:1::1", "2001:0:4136:e378:8000:63bf:f5ff:fffe",
			"2001:0:4136:e378:8000:63bf:80ff:fffe", "2001:db8::1" })
	void ipv6FormsCarryingAnInternalIpv4AddressAreRefused(String literal) throws UnknownHostException {
		assertThat(OutboundUrlGuard.isPublic(InetAddress.getByName(literal))).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "::ffff:93.184.216.34", "::93.184.216.34", "::ffff:0:8.8.8.8", "64:ff9b::8.8.8.8",
			"64:ff9b::93.184.216.34", "64:ff9b:1::8.8.8.8", "2002:0808:0808::1", "2002:5db8:d822:1::1",
			"2001:0:4136:e378:8000:63bf:f7f7:f7f7" })
	void ipv6FormsCarryingAPublicIpv4AddressAreAllowed(String literal) throws UnknownHostException {
		assertThat(OutboundUrlGuard.isPublic(InetAddress.getByName(literal))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "2130706433", "0x7f000001", "0x7f.0.0.1", "0177.0.0.1", "017700000001", "127.1",
			"127.000.000.001", "0", "1.2.3.4.5", "0177.0.0.1.", "256.1.1.1" })
	void numericHostsOtherThanDottedDecimalAreRefusedAsAmbiguous(String host) {
		assertThat(OutboundUrlGuard.isAmbiguousNumericHost(host)).isTrue();
		// some of these java.net.URI already refuses to read as a host
		StepVerifier.create(this.strict.violation("https://" + host + "/hook")).expectNextCount(1).verifyComplete();
	}

	@ParameterizedTest
	@ValueSource(strings = { "93.184.216.34", "0.0.0.0", "example.com", "cafe.be", "deadbeef.com", "1.2.3.example",
			"[::1]" })
	void hostNamesAndDottedDecimalAreNotAmbiguous(String host) {
		assertThat(OutboundUrlGuard.isAmbiguousNumericHost(host)).isFalse();
	}

	@Test
	void urlFormIsChecked() {
		StepVerifier.create(this.strict.violation("http://93.184.216.34/hook"))
			.expectNext("must use https")
			.verifyComplete();
		StepVerifier.create(this.strict.violation("https://user:pw@93.184.216.34/hook"))
			.expectNext("must not contain user info")
			.verifyComplete();
		StepVerifier.create(this.strict.violation("not a url")).expectNextCount(1).verifyComplete();
		StepVerifier.create(this.strict.violation("https://127.0.0.1/hook")).expectNextCount(1).verifyComplete();
		StepVerifier.create(this.strict.violation("https://[::1]/hook")).expectNextCount(1).verifyComplete();
		StepVerifier.create(this.strict.violation("https://localhost/hook")).expectNextCount(1).verifyComplete();
		StepVerifier.create(this.strict.violation("https://93.184.216.34/hook")).verifyComplete();
	}

	@Test
	void developmentSwitchesLiftTheChecks() {
		OutboundUrlGuard relaxed = new OutboundUrlGuard(settings(true, true));
		StepVerifier.create(relaxed.violation("http://127.0.0.1:8080/demo/inbox")).verifyComplete();
		StepVerifier.create(relaxed.violation("https://user@127.0.0.1/")).expectNextCount(1).verifyComplete();
	}

	private static WebhookSettings settings(boolean allowPrivate, boolean allowHttp) {
		return new WebhookSettings(Duration.ofSeconds(15), List.of(Duration.ofSeconds(5)), Duration.ofDays(5),
				allowPrivate, allowHttp, 10);
	}

}
