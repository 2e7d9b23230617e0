package io.hookway.portal;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.hookway.core.test.ModuleBoundaries;

/**
 * This module's feature packages and the ones each may use; no cycles, and the root
 * package is only the application and its wiring.
 */
class ModuleBoundariesTest {

	@Test
	void featurePackagesUseOnlyWhatTheyDeclare() {
		ModuleBoundaries.verify("io.hookway.portal",
				Map.of("application", Set.of("token"), "dashboard",
						Set.of("delivery", "endpoint", "eventtype", "message"), "delivery", Set.of("limits", "message"),
						"endpoint", Set.of("eventtype", "limits"), "token", Set.of("limits")));
	}

}
