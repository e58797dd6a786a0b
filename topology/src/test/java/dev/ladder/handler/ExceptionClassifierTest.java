package dev.ladder.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Which thrown exceptions are retried and which go straight to the dead-letter topic. */
class ExceptionClassifierTest {

    final ExceptionClassifier defaults = ExceptionClassifier.defaults();

    @Test
    void shouldMakeANonRetryableExceptionPermanentWhateverTheLists() {
        // given a classifier that would retry anything
        ExceptionClassifier classifier =
                new ExceptionClassifier(Set.of(), Set.of(RuntimeException.class.getName()), true);

        // when
        Outcome outcome = classifier.classify(new NonRetryableException("order id is malformed"));

        // then
        assertThat(outcome).isInstanceOf(Outcome.Permanent.class);
        assertThat(((Outcome.Permanent) outcome).message()).isEqualTo("order id is malformed");
    }

    @Test
    void shouldMakeARetryableExceptionTransientAndKeepItsNotBefore() {
        // given
        Instant notBefore = Instant.parse("2026-01-01T00:10:00Z");
        ExceptionClassifier classifier =
                new ExceptionClassifier(Set.of(RuntimeException.class.getName()), Set.of(), false);

        // when
        Outcome outcome = classifier.classify(new RetryableException("rate limited", notBefore));

        // then
        assertThat(outcome).isInstanceOf(Outcome.Transient.class);
        assertThat(((Outcome.Transient) outcome).notBefore()).isEqualTo(notBefore);
        assertThat(((Outcome.Transient) outcome).message()).isEqualTo("rate limited");
    }

    @Test
    void shouldMakeTheDefaultNonRetryableExceptionsPermanent() {
        // when
        Outcome outcome = defaults.classify(new ClassCastException("String cannot be cast to Order"));

        // then
        assertThat(outcome).isInstanceOf(Outcome.Permanent.class);
    }

    @Test
    void shouldRetryAnExceptionOnNeitherListByDefault() {
        // when
        Outcome outcome = defaults.classify(new IllegalStateException("partner down"));

        // then
        assertThat(outcome).isInstanceOf(Outcome.Transient.class);
        assertThat(((Outcome.Transient) outcome).cause()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldMatchACauseDeepInTheChain() {
        // given a fatal exception wrapped three times
        Exception failure = new RuntimeException(
                "outer",
                new IllegalStateException("middle", new RuntimeException("inner", new ClassCastException("bad cast"))));

        // when
        Outcome outcome = defaults.classify(failure);

        // then the cause decides, and the outcome still carries the outer exception and message
        assertThat(outcome).isInstanceOf(Outcome.Permanent.class);
        assertThat(((Outcome.Permanent) outcome).cause()).isSameAs(failure);
        assertThat(((Outcome.Permanent) outcome).message()).isEqualTo("outer");
    }

    @Test
    void shouldMatchASuperclassName() {
        // given IllegalArgumentException is non-retryable
        ExceptionClassifier classifier =
                new ExceptionClassifier(Set.of(IllegalArgumentException.class.getName()), Set.of(), true);

        // when a subclass of it is thrown
        Outcome outcome = classifier.classify(new NumberFormatException("not a number"));

        // then
        assertThat(outcome).isInstanceOf(Outcome.Permanent.class);
    }

    @Test
    void shouldLetTheRetryableListOverrideTheDefaultNonRetryableList() {
        // given the default non-retryable list, as the config always builds it, plus a retryable entry on it
        ExceptionClassifier classifier = new ExceptionClassifier(
                new LinkedHashSet<>(ExceptionClassifier.DEFAULT_NON_RETRYABLE),
                Set.of(ClassCastException.class.getName()),
                true);

        // when
        Outcome outcome = classifier.classify(new ClassCastException("flaky plugin class loader"));

        // then the explicit retryable entry wins
        assertThat(outcome).isInstanceOf(Outcome.Transient.class);
    }

    @Test
    void shouldLetTheMostSpecificClassDecideBetweenTheLists() {
        // given RuntimeException is retryable but IllegalArgumentException is not
        ExceptionClassifier classifier = new ExceptionClassifier(
                Set.of(IllegalArgumentException.class.getName()), Set.of(RuntimeException.class.getName()), false);

        // then
        assertThat(classifier.classify(new NumberFormatException("x"))).isInstanceOf(Outcome.Permanent.class);
        assertThat(classifier.classify(new IllegalStateException("x"))).isInstanceOf(Outcome.Transient.class);
    }

    @Test
    void shouldMakeUnlistedExceptionsPermanentWhenDefaultRetryableIsFalse() {
        // given
        ExceptionClassifier classifier =
                new ExceptionClassifier(Set.of(), Set.of(IllegalStateException.class.getName()), false);

        // then
        assertThat(classifier.classify(new UnsupportedOperationException("nope")))
                .isInstanceOf(Outcome.Permanent.class);
        assertThat(classifier.classify(new IllegalStateException("partner down")))
                .isInstanceOf(Outcome.Transient.class);
    }

    @Test
    void shouldRetryATimeoutEvenWhenDefaultRetryableIsFalse() {
        // given
        ExceptionClassifier classifier = new ExceptionClassifier(Set.of(), Set.of(), false);

        // then
        assertThat(classifier.classify(new TimeoutException("slow"))).isInstanceOf(Outcome.Transient.class);
    }

    @Test
    void shouldUseTheClassNameWhenTheExceptionHasNoMessage() {
        // when
        Outcome outcome = defaults.classify(new IllegalStateException());

        // then
        assertThat(((Outcome.Transient) outcome).message()).isEqualTo(IllegalStateException.class.getName());
    }
}
