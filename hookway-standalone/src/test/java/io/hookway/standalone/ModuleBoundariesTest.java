package io.hookway.standalone;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.hookway.core.test.ModuleBoundaries;

/**
 * This module's feature packages and the ones each may use; no cycles, and the root
 * package is only the application and its wiring.
 */
class ModuleBoundariesTest {

	@Test
	void featurePackagesUseOnlyWhatTheyDeclare() {
		// one feature package (database), used by the application class only
		ModuleBoundaries.verify("io.hookway.standalone", Map.of());
	}

}
