package io.hookway.core;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import io.hookway.core.test.StatusVocabulary;

/** This module's SQL spells a status only as a constant of its column's enum. */
class StatusLiteralsTest {

	@Test
	void quotedUpperCaseWordsAreStatusesOfTheVocabulary() throws IOException {
		StatusVocabulary.verifyMainSources();
	}

}
