package io.hookway.core.test;

import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * What BlockHound lets block on a Reactor thread in the services' tests, beyond its own
 * integrations (Reactor's schedulers, logging to the console): only calls that are not
 * ours and block legitimately, each with the reason. Every refusal is also recorded for
 * {@link BlockingCallCheck}. Found by BlockHound through
 * {@code META-INF/services/reactor.blockhound.integration.BlockHoundIntegration}.
 */
public final class BlockingCallAllowances implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		// class loading reads class files from jars, once per class, on whatever thread
		// first needs the class
		builder.allowBlockingCallsInside("java.lang.ClassLoader", "loadClass");
		// a DRBG reads the operating system's entropy when it is seeded (SecureRandoms:
		// once, when first used) and then computes its bytes
		builder.allowBlockingCallsInside("sun.security.provider.AbstractDrbg", "getEntropyInput");
		// Hibernate Validator reads its message bundles from the class path at the first
		// violation it describes, then keeps them
		builder.allowBlockingCallsInside("org.hibernate.validator.resourceloading.PlatformResourceBundleLocator",
				"loadBundle");
		// json-schema-validator (event schemas) likewise reads its message bundle once
		builder.allowBlockingCallsInside("com.networknt.schema.i18n.ResourceBundleMessageSource", "getResourceBundle");
		// Netty's DNS resolver draws its query ids from the JDK's default SecureRandom,
		// which reads /dev/urandom (it never waits), on the query's event loop
		builder.allowBlockingCallsInside("io.netty.resolver.dns.DnsQueryIdSpace$DnsQueryIdRange", "pushId");
		// Resilience4j's circuit breakers record each outcome under a short lock of their
		// sliding window; a contended one parks for the few instructions the holder needs
		builder.allowBlockingCallsInside("io.github.resilience4j.core.metrics.FixedSizeSlidingWindowMetrics", "record");
		// springdoc builds the OpenAPI document at its first request by scanning the
		// class path, then serves it from its cache
		builder.allowBlockingCallsInside("org.springdoc.api.AbstractOpenApiResource", "getOpenApi");
		// Netty's adaptive buffer allocator grows and frees its shared magazines under a
		// short StampedLock; a contended one parks for the few instructions the holder
		// needs
		builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup",
				"tryExpandMagazines");
		builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
		// Thymeleaf (the dashboard) builds its JavaScript serializer at the first page,
		// finding Jackson's modules through a ServiceLoader, and reads each template from
		// the class path once, then keeps it in its cache
		builder.allowBlockingCallsInside("org.thymeleaf.standard.StandardDialect", "getJavaScriptSerializer");
		builder.allowBlockingCallsInside("org.thymeleaf.templateresource.ClassLoaderTemplateResource", "reader");
		builder.allowBlockingCallsInside("org.attoparser.MarkupParser", "parse");
		// Spring's SingletonSupplier makes a lazy bean (the tracer the Prometheus
		// exemplars
		// ask for) once under a lock; a contended first call parks until it is made
		builder.allowBlockingCallsInside("org.springframework.util.function.SingletonSupplier", "get");
		// Jackson builds a type's deserializer once under its cache's lock; a contended
		// first use parks until it is built
		builder.allowBlockingCallsInside("tools.jackson.databind.deser.DeserializerCache",
				"_createAndCacheValueDeserializer");
		// webjars-locator-lite reads a WebJar's version from its jar once, then caches it
		builder.allowBlockingCallsInside("org.webjars.WebJarVersionLocator", "version");
		builder.blockingMethodCallback((method) -> {
			BlockingOperationError refusal = new BlockingOperationError(method);
			BlockingCalls.record(refusal);
			throw refusal;
		});
	}

}
